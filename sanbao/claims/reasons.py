"""Readable texts for the reason codes of ``policy.evaluate`` and the checklist
(the rules' titles are in ``catalog.exclusions``, shared with returns).

Stored on a claim as codes with their evidence; rendered in the reader's
language when shown, so the same claim reads well in English and Chinese.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Questions of the inspection checklist: "found" means the exclusion applies.
CHECKLIST_QUESTIONS = {
    "III.1": _("Unit not registered: was it sold outside the brand's legal channels?"),
    "III.3": _("Unit not registered: does the warranty card describe a different product?"),
    "III.4": _("Is the failure natural wear or ageing of a consumable part?"),
    "III.5": _("Are there signs of lightning or electrical-system damage?"),
    "III.6": _("Are there signs of dropping, crushing, moisture, liquid or foreign matter?"),
    "III.7": _("Was the damage caused by an accident, disaster or war?"),
    "III.8": _("Was the unit modified, opened or repaired by a non-designated third party?"),
    "III.10": _("Was the unit used, maintained or stored against the instructions?"),
}

REASONS = {
    "region_unknown": _("The region of sale is not known."),
    "sold_in_mainland": _("Sold in mainland China."),
    "sold_outside_mainland": _(
        "Sold in %(region_label)s, outside mainland China: this policy does not apply."
    ),
    "no_card_no_proof": _("Neither a warranty card nor a proof of purchase was presented."),
    "no_proof_of_purchase": _("No proof of purchase (invoice or equivalent) was presented."),
    "no_warranty_card": _("No warranty card was presented."),
    "scan_missing": _("Attach the scans of both the warranty card and the proof of purchase."),
    "documents_presented": _("Warranty card %(card_no)s and proof of purchase %(proof_no)s."),
    "authorised_channel": _("The registry shows the unit was sold through an authorised channel."),
    "unauthorised_channel": _(
        "The registry shows the unit was not sold through the brand's legal channels."
    ),
    "unauthorised_channel_confirmed": _(
        "The person judging found the unit was not sold through the brand's legal channels."
    ),
    "channel_confirmed": _("The person judging confirmed the sales channel."),
    "unit_not_registered": _(
        "The serial number is not in the registry; the person judging must check this."
    ),
    "model_mismatch": _(
        "The unit is registered as model %(registered_model)s, not %(claimed_model)s."
    ),
    "card_mismatch": _(
        "Warranty card %(card_no)s does not match the card %(registered_card_no)s "
        "registered with this serial number."
    ),
    "card_matches": _("The warranty card matches the registered unit."),
    "mismatch_confirmed": _("The person judging found the warranty card does not match."),
    "match_confirmed": _("The person judging confirmed the warranty card matches."),
    "exclusion_found": _("Found on inspection."),
    "exclusion_not_found": _("Not found on inspection."),
    "not_inspected": _("Not inspected yet."),
    "start_unknown": _("The sale or delivery date is not known."),
    "warranty_expired": _("The warranty period ended on %(warranty_end)s."),
    "within_warranty": _("Within the warranty period, which ends on %(warranty_end)s."),
}

# The same reasons when the person judging wrote a note: the note is the evidence.
REASONS_NOTED = {
    "unauthorised_channel_confirmed": _(
        "The person judging found the unit was not sold through the brand's legal "
        "channels: %(note)s"
    ),
    "mismatch_confirmed": _("The person judging found the warranty card does not match: %(note)s"),
    "exclusion_found": _("Found on inspection: %(note)s"),
}

# A rule's outcome as the claim pages (staff's and consumer's) show it.
OUTCOME_CLASSES = {"pass": "success", "fail": "danger", "unknown": "warning"}
OUTCOME_LABELS = {
    "pass": pgettext_lazy("rule outcome", "pass"),
    "fail": pgettext_lazy("rule outcome", "fail"),
    "unknown": pgettext_lazy("rule outcome", "unknown"),
}

VERDICTS = {
    "covered": _("Covered by the three guarantees"),
    "not_covered": _("Not covered"),
    "needs_judgement": _("Needs judgement"),
}

REMEDY_LABELS = {
    "return": pgettext_lazy("remedy", "Return (refund)"),
    "replacement": pgettext_lazy("remedy", "Replacement"),
    "repair": pgettext_lazy("remedy", "Repair"),
}


def reason_text(result: dict) -> str:
    """The reason of one stored rule result, in the active language."""
    from sanbao.catalog.models import Region

    reason = result.get("reason", "")
    params = dict(result.get("evidence") or {})
    template = REASONS_NOTED.get(reason) if params.get("note") else None
    template = template or REASONS.get(reason, "")
    if "region" in params:
        params["region_label"] = dict(Region.choices).get(params["region"], params["region"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
