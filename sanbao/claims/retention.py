"""IV.8: the warranty claims the purge anonymises once their half year is over
(``sanbao.core.retention`` lists them by dotted path).

A claim's clock starts when it was done with: closed (``closed_at``), else
resolved (``resolved_at``), else rejected (``judged_at``). Kept: the model, serial,
category and fault kind, the dates, the verdict and each rule's outcome, the
remedy and outcome, the documents' numbers. Gone: the consumer's name and
telephone, the fault description, the judgement and resolution notes, the
inspection notes (also where the verdict quotes them) and every uploaded scan
and photo."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Coalesce

from sanbao.claims.models import Claim, ClaimStatus, InspectionFinding
from sanbao.core.retention import REDACTED, REPAIR, PurgeKind, Scrub

CLAIM_FINAL = (ClaimStatus.RESOLVED, ClaimStatus.REJECTED, ClaimStatus.CLOSED)


def expired_claims(cutoff):
    return (
        Claim.objects.filter(status__in=CLAIM_FINAL)
        .alias(done_at=Coalesce("closed_at", "resolved_at", "judged_at"))
        .filter(done_at__lt=cutoff)
    )


def _without_notes(ids: list[int]) -> None:
    """The verdict quotes what the inspector noted for an exclusion: the quote goes,
    the rule's outcome and reason stay."""
    changed = []
    for claim in Claim._base_manager.filter(pk__in=ids).only("pk", "verdict_results"):
        results = claim.verdict_results or []
        if not any("note" in (r.get("evidence") or {}) for r in results):
            continue
        for r in results:
            (r.get("evidence") or {}).pop("note", None)
        changed.append(claim)
    Claim._base_manager.bulk_update(changed, ["verdict_results"])


CLAIMS = PurgeKind(
    name="claims",
    model=Claim,
    expired=expired_claims,
    organisation="claimant_org_id",
    retention=REPAIR,
    scrubs=(
        Scrub(
            Claim,
            "pk",
            {
                "consumer_name": "",
                "fault_description": "",
                "judgement_note": "",
                "resolution_note": "",
            },
            files=("proof_of_purchase_scan", "warranty_card_scan"),
        ),
        # A consumer claim keeps a telephone (a constraint): its digits go.
        Scrub(Claim, "pk", {"consumer_phone": REDACTED}, condition=~Q(consumer_phone="")),
        Scrub(InspectionFinding, "claim_id", {"note": ""}, files=("photo",)),
    ),
    rewrite=_without_notes,
)
