"""The Django admin shows claims and the retained-parts ledger read-only: every
change to a claim goes through a service that checks the move and writes its
audit event (CONVENTIONS), which an admin form would bypass."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sanbao.claims.models import Claim, InspectionFinding, RetainedPart


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InspectionFindingInline(admin.TabularInline):
    model = InspectionFinding
    fields = ("rule", "found", "note", "photo", "recorded_by", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RetainedPartInline(admin.TabularInline):
    model = RetainedPart
    fields = ("kind", "description", "serial", "held_by", "location", "disposal", "disposed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "created_at",
        "status",
        "verdict",
        "model",
        "serial_reported",
        "handling_org",
        "claimant_kind",
        "remedy",
        "outcome",
    )
    list_filter = ("status", "verdict", "remedy", "outcome", "claimant_kind", "handling_org")
    list_select_related = ("model", "model__category", "handling_org")
    search_fields = ("number", "serial_reported", "consumer_phone", "warranty_card_no")
    date_hierarchy = "created_at"
    inlines = (InspectionFindingInline, RetainedPartInline)
    fieldsets = (
        (None, {"fields": ("number", "status", "handling_org", "created_by", "created_at")}),
        (
            _("Claimant"),
            {"fields": ("claimant_kind", "claimant_org", "consumer_name", "consumer_phone")},
        ),
        (
            _("Unit and documents"),
            {
                "fields": (
                    "unit",
                    "serial_reported",
                    "model",
                    "delivered_on",
                    "region",
                    "proof_of_purchase_no",
                    "proof_of_purchase_scan",
                    "warranty_card_no",
                    "warranty_card_scan",
                    "fault_kind",
                    "fault_description",
                )
            },
        ),
        (
            _("Eligibility and terms"),
            {
                "fields": (
                    "verdict",
                    "verdict_results",
                    "policy_version",
                    "terms",
                    "warranty_end",
                )
            },
        ),
        (
            _("Judgement and remedy"),
            {
                "fields": (
                    "failure_confirmed",
                    "open_remedies",
                    "remedy",
                    "repair_impossible",
                    "replacement_model",
                    "judgement_note",
                    "judged_by",
                    "judged_at",
                )
            },
        ),
        (
            _("Service and resolution"),
            {
                "fields": (
                    "in_service_at",
                    "outcome",
                    "replacement_unit",
                    "resolution_note",
                    "resolved_at",
                    "closed_at",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = [f.name for f in Claim._meta.fields]


@admin.register(RetainedPart)
class RetainedPartAdmin(ReadOnlyAdmin):
    list_display = (
        "taken_in_at",
        "claim",
        "kind",
        "description",
        "serial",
        "held_by",
        "location",
        "disposal",
        "disposed_at",
    )
    list_filter = ("kind", "disposal", "held_by")
    list_select_related = ("claim", "held_by")
    search_fields = ("serial", "description", "claim__number", "location")
    date_hierarchy = "taken_in_at"
    readonly_fields = [f.name for f in RetainedPart._meta.fields]
