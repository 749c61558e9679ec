"""The Django admin shows claims read-only (the retained-parts ledger is in
catalog's admin): every
change to a claim goes through a service that checks the move and writes its
audit event (CONVENTIONS), which an admin form would bypass."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sanbao.claims.models import Claim, InspectionFinding
from sanbao.core.admin import ReadOnlyAdmin, ReadOnlyInline


class InspectionFindingInline(ReadOnlyInline):
    model = InspectionFinding
    fields = ("rule", "found", "note", "photo", "recorded_by", "recorded_at")
    readonly_fields = fields


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
    list_filter = (
        "status",
        "verdict",
        "remedy",
        "outcome",
        "claimant_kind",
        "channel",
        "handling_org",
    )
    list_select_related = ("model", "model__category", "handling_org")
    search_fields = ("number", "serial_reported", "consumer_phone", "warranty_card_no")
    date_hierarchy = "created_at"
    inlines = (InspectionFindingInline,)
    fieldsets = (
        (
            None,
            {"fields": ("number", "status", "handling_org", "channel", "created_by", "created_at")},
        ),
        (
            _("Claimant"),
            {
                "fields": (
                    "claimant_kind",
                    "claimant_org",
                    "consumer_name",
                    "consumer_phone",
                    "consent_version",
                    "consent_at",
                )
            },
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
                    "proof_of_purchase_date",
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
                    "kept_parts",
                    "resolved_at",
                    "closed_at",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = [*(f.name for f in Claim._meta.fields), "kept_parts"]

    @admin.display(description=_("retained parts"))
    def kept_parts(self, obj):
        """The ledger is catalog's and points at the claim by its key, so the parts
        are listed here rather than as an inline."""
        rows = [
            (p.get_kind_display(), p.label, p.serial, p.location, p.get_disposal_display())
            for p in obj.retained_parts
        ]
        return format_html_join(mark_safe("<br>"), "{} · {} {} · {} {}", rows) or "—"
