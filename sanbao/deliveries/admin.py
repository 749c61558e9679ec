"""The Django admin reads deliveries and declarations (every move goes through a
service that checks it and writes its audit event), and is where an
administrator assigns each agent its commissioner (V.2, routing by assignment)."""

from django.contrib import admin

from sanbao.core.admin import ReadOnlyAdmin, ReadOnlyInline
from sanbao.deliveries.models import (
    AgentCommissioner,
    CreditLine,
    CreditNote,
    Declaration,
    DeclarationLine,
    Delivery,
    DeliveryBox,
    DeliveryItem,
    Evidence,
)


class BoxInline(ReadOnlyInline):
    model = DeliveryBox
    fields = (
        "box_no",
        "expected_weight_g",
        "labels_intact",
        "outside_undamaged",
        "opened_inspected",
        "inside_note",
        "courier_labels_intact",
        "courier_box_undamaged",
        "actual_weight_g",
        "weight_gap",
    )
    readonly_fields = fields


class ItemInline(ReadOnlyInline):
    model = DeliveryItem
    fields = ("model", "quantity", "box")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("number", "agent", "note_no", "source", "status", "shipped_at", "weight_gap")
    list_filter = ("status", "source", "weight_gap")
    search_fields = ("number", "note_no", "waybill_no", "agent__code")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [BoxInline, ItemInline]


class LineInline(ReadOnlyInline):
    model = DeclarationLine
    fields = ("model", "quantity", "settled_quantity")
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("kind", "media_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("number", "delivery", "status", "department", "opened_at", "decided_at")
    list_filter = ("status", "department", "outcome")
    search_fields = ("number", "delivery__number")
    readonly_fields = [f.name for f in Declaration._meta.fields]
    inlines = [LineInline, EvidenceInline]


class CreditLineInline(ReadOnlyInline):
    model = CreditLine
    fields = ("model", "quantity")
    readonly_fields = fields


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("number", "agent", "declaration", "issued_at")
    search_fields = ("number", "declaration__number", "agent__code")
    readonly_fields = [f.name for f in CreditNote._meta.fields]
    inlines = [CreditLineInline]


@admin.register(AgentCommissioner)
class AgentCommissionerAdmin(admin.ModelAdmin):
    list_display = ("agent", "commissioner")
    autocomplete_fields = ()
    raw_id_fields = ("agent", "commissioner")
