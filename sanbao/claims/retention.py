"""IV.8: the warranty claims the purge anonymises once their half year is over
(``sanbao.core.retention`` lists them by dotted path).

A claim's clock starts when it was done with: closed (``closed_at``), else
resolved (``resolved_at``), else rejected (``judged_at``). Kept: the model, serial,
category and fault kind, the dates, the verdict and each rule's outcome, the
remedy and outcome, the documents' numbers. Gone: the consumer's name and
telephone, the fault description, the judgement and resolution notes, the
inspection notes (also where the verdict quotes them) and every uploaded scan,
photo and video (the consumer's of the fault too)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce

from sanbao.claims.models import Claim, ClaimStatus, FaultFile, InspectionFinding
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
    the rule's outcome and reason stay. One UPDATE for the claims of the batch that
    quote a note, joined to their new verdicts given as ``VALUES`` (a hash join:
    ``CASE id WHEN …`` compares every row with every id, and Django's
    ``bulk_update`` builds that CASE slowly besides)."""
    field = Claim._meta.get_field("verdict_results")
    rows, params = [], []
    for pk, results in Claim._base_manager.filter(pk__in=ids).values_list("pk", field.name):
        if not any("note" in (r.get("evidence") or {}) for r in results or []):
            continue
        for r in results:
            (r.get("evidence") or {}).pop("note", None)
        rows.append("(%s, %s)")
        params += [pk, field.get_db_prep_save(results, connection)]
    if not rows:
        return
    quote = connection.ops.quote_name
    table, column, pk = (
        quote(Claim._meta.db_table),
        quote(field.column),
        quote(Claim._meta.pk.column),
    )
    sql = (
        f"WITH new (id, verdict) AS (VALUES {', '.join(rows)}) "
        f"UPDATE {table} SET {column} = new.verdict FROM new "
        f"WHERE {table}.{pk} = new.id AND {table}.{pk} IN ({', '.join(['%s'] * len(rows))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params[::2])


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
                # A consumer claim keeps a telephone (a constraint): its digits go.
                "consumer_phone": Case(
                    When(consumer_phone="", then=Value("")), default=Value(REDACTED)
                ),
                "fault_description": "",
                "judgement_note": "",
                "resolution_note": "",
            },
            files=("proof_of_purchase_scan", "warranty_card_scan"),
        ),
        Scrub(InspectionFinding, "claim_id", {"note": ""}, files=("photo",)),
        # The consumer's photos and videos of the fault (issue 16 item 3).
        Scrub(FaultFile, "claim_id", files=("file",)),
    ),
    rewrite=_without_notes,
)
