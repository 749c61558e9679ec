"""The Django admin shows return batches, their lines and scans, and receipt
anomalies, read-mostly: every move of a batch goes through a service that checks
the state, the role and the policy and writes its audit event (CONVENTIONS), which
an admin form would bypass. Only a batch's free-text note may be corrected here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sanbao.core.admin import NoAddNoDeleteAdmin, ReadOnlyAdmin, ReadOnlyInline
from sanbao.returns.models import BatchLine, ReceiptAnomaly, ReceiptScan, ReturnBatch


class BatchLineInline(ReadOnlyInline):
    model = BatchLine
    fields = (
        "line_no",
        "model",
        "serial",
        "quantity",
        "fault",
        "accessories",
        "bundled",
        "box_no",
        "counted",
        "accessories_missing",
        "received_quantity",
    )
    readonly_fields = fields


class ReceiptAnomalyInline(ReadOnlyInline):
    model = ReceiptAnomaly
    fields = ("kind", "line", "expected", "found", "detail", "opened_at", "resolved_at")
    readonly_fields = fields


@admin.register(ReturnBatch)
class ReturnBatchAdmin(NoAddNoDeleteAdmin):
    list_display = (
        "number",
        "packed_on",
        "return_org",
        "status",
        "declared_units",
        "received_units",
        "declared_boxes",
        "received_boxes",
        "freight",
        "home_delivery",
    )
    list_filter = ("status", "freight", "home_delivery", "return_org")
    list_select_related = ("return_org",)
    search_fields = ("number", "waybill_no", "contact_person", "contact_phone")
    date_hierarchy = "created_at"
    inlines = (BatchLineInline, ReceiptAnomalyInline)
    fieldsets = (
        (None, {"fields": ("number", "status", "return_org", "created_by", "created_at")}),
        (
            _("Packing list (IV.2)"),
            {
                "fields": (
                    "declared_units",
                    "declared_boxes",
                    "repair_list_pages",
                    "packed_on",
                    "contact_person",
                    "contact_phone",
                    "note",
                )
            },
        ),
        (
            _("Shipping terms"),
            {
                "fields": (
                    "carrier",
                    "waybill_no",
                    "home_delivery",
                    "freight",
                    "extra_cost_to_shipper",
                    "submitted_at",
                    "refusal_reason",
                )
            },
        ),
        (
            _("Receipt (IV.1)"),
            {
                "fields": (
                    "received_units",
                    "received_boxes",
                    "receipt_opened_at",
                    "receipt_closed_at",
                    "received_by",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = [f.name for f in ReturnBatch._meta.fields if f.name != "note"]


@admin.register(ReceiptAnomaly)
class ReceiptAnomalyAdmin(ReadOnlyAdmin):
    list_display = ("batch", "kind", "line", "expected", "found", "opened_at", "resolved_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("batch", "line")
    search_fields = ("batch__number", "detail", "resolution_note")
    date_hierarchy = "opened_at"
    readonly_fields = [f.name for f in ReceiptAnomaly._meta.fields]


@admin.register(ReceiptScan)
class ReceiptScanAdmin(ReadOnlyAdmin):
    list_display = ("batch", "code", "kind", "line", "box_no", "model", "scanned_by", "scanned_at")
    list_filter = ("kind",)
    list_select_related = ("batch", "line", "model", "scanned_by")
    search_fields = ("batch__number", "code")
    readonly_fields = [f.name for f in ReceiptScan._meta.fields]
