"""Stable codes and messages of the claims app's refusals."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.catalog.errors import LEDGER_MESSAGES
from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "claims.intake_invalid": _("The claim cannot be taken in: check the fields marked."),
    "claims.value_required": _("This value is required."),
    "claims.value_too_long": _("At most %(limit)s characters."),
    "claims.model_required": _("The serial number is not registered: choose the model."),
    "claims.model_unknown": _("No product model has the code “%(value)s”."),
    "claims.date_in_future": _("The date cannot be in the future."),
    "claims.proof_date_differs": _(
        "The delivery date is the date on the proof of purchase: give it once."
    ),
    "claims.date_too_early": _("The date cannot be earlier than %(earliest)s."),
    "claims.delivered_before_sale": _(
        "The purchase cannot be earlier than the sale recorded with the serial number "
        "(%(sale_date)s)."
    ),
    "claims.handed_in_before_claim": _(
        "The unit cannot have been handed in before the claim date."
    ),
    "claims.claimed_before_delivery": _(
        "The claim cannot have been made before the delivery or purchase date."
    ),
    "claims.claimed_on_today_only": _(
        "A claim you make for yourself is made today: leave the claim date empty."
    ),
    "claims.remedy_invalid": _("Choose return, replacement or repair."),
    "claims.remedy_not_open_on_claim_date": _(
        "%(remedy)s was not open on the claim date; open then: %(open)s."
    ),
    "claims.remedy_not_requested": _(
        "The claimant chose %(requested)s at intake within its window: it cannot be "
        "changed to %(remedy)s."
    ),
    "claims.phone_invalid": _("Enter a telephone number of 7 to 20 digits."),
    "claims.claimant_org_invalid": _("Choose an agent or enterprise as the claimant."),
    "claims.outlet_claims_for_consumers": _(
        "A service outlet takes in consumers' claims; an agent or enterprise claims "
        "through the after-sales department."
    ),
    "claims.handling_org_invalid": _("Choose the after-sales department or an authorised outlet."),
    "claims.fault_kind_invalid": _("Choose the kind of fault."),
    "claims.file_invalid": _("Upload a PDF, JPEG or PNG file of at most %(limit_mb)s MB."),
    "claims.finding_rule_invalid": _("“%(value)s” is not an item of the inspection checklist."),
    "claims.verdict_needs_judgement": _(
        "Facts are missing (%(rules)s): record the inspection before judging."
    ),
    "claims.note_required": _("Say why: a note is required when the failure is not confirmed."),
    "claims.remedy_not_open": _("%(remedy)s is not open for this claim today; open: %(open)s."),
    "claims.replacement_model_required": _("Choose the replacement model."),
    "claims.replacement_lower": _(
        "%(candidate)s cannot replace %(original)s: its %(shortfalls)s is lower (II.3)."
    ),
    "claims.replacement_other_category": _(
        "%(candidate)s cannot replace %(original)s: it is of another category (II.3)."
    ),
    "claims.unit_replaced": _(
        "This unit was replaced under warranty by unit %(replacement)s and is kept by the "
        "brand (II.4): claim on the replacement unit instead."
    ),
    "claims.unit_kept": _(
        "This unit was replaced or refunded under warranty and is kept by the brand (II.4): "
        "it cannot be claimed again."
    ),
    "claims.claim_open": _(
        "Claim %(number)s on this unit is still open: add to it instead of opening another."
    ),
    "claims.claim_open_elsewhere": _(
        "A claim on this unit is already being dealt with by the after-sales service."
    ),
    "claims.replacement_unspecified": _(
        "%(original)s has no performance specifications recorded, so only the same model "
        "replaces it, unless an after-sales manager decides otherwise and says why (II.3)."
    ),
    "claims.outcome_not_allowed": _(
        "The outcome %(outcome)s does not follow from the remedy %(remedy)s."
    ),
    "claims.replacement_serial_required": _("Enter the serial number of the replacement unit."),
    "claims.move_not_allowed": _("A claim that is %(status)s cannot be %(action)s."),
    "claims.changed_meanwhile": _("Someone changed this claim meanwhile; reload it and try again."),
    "claims.claim_not_found": _("No such claim."),
    "claims.document_not_found": _("No such document."),
    # Issue 10 item 7: an exclusion the unit shows is recorded with a note and a photo.
    "claims.findings_invalid": _("The inspection cannot be recorded: check the fields marked."),
    "claims.exclusion_note_required": _(
        "Say what was seen: an exclusion found (%(rule)s) needs a note."
    ),
    "claims.exclusion_photo_required": _(
        "Attach a photo of what the unit shows: an exclusion found (%(rule)s) needs one."
    ),
    "claims.fault_file_invalid": _(
        "“%(name)s” is neither a JPEG or PNG photo nor a video of a type accepted "
        "(MP4, MOV) of at most %(limit_mb)s MB."
    ),
    "claims.fault_files_too_many": _("At most %(limit)s photos and videos."),
    "claims.photo_invalid": _("Upload a JPEG or PNG photo of at most %(limit_mb)s MB."),
    "claims.image_too_large": _("The image is too large: at most %(limit)s pixels are accepted."),
    # The retained-parts ledger (catalog) answers claims' pages and API with these.
    **LEDGER_MESSAGES,
}

ERRORS = ErrorCatalog("claims", MESSAGES)

ACTION_LABELS = {
    "start_judgement": _("taken into judgement"),
    "record_findings": _("inspected"),
    "judge": _("judged"),
    "start_service": _("put into service"),
    "resolve": pgettext_lazy("claim action, as in: cannot be resolved", "resolved"),
    "close": _("closed"),
}
