"""The claims API's shapes: intake, actions, the claim as read, the ledger.

Field values the services judge (a date in the future, a phone number, a rule of
the checklist) are checked there and answered 400 with the field named; the
schemas only refuse what is not the right shape (422).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel

from sanbao.accounts.roles import PLATFORM_ROLES, can
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import Disposal, Region
from sanbao.catalog.replacements import MAX_DECISION_REASON
from sanbao.catalog.selectors import RETAINED_PART_SORTS
from sanbao.claims import policy
from sanbao.claims.models import ClaimantKind, ClaimStatus, FaultKind, Outcome, Remedy, Verdict
from sanbao.claims.reasons import reason_text
from sanbao.claims.selectors import CLAIM_SORTS
from sanbao.claims.states import allowed_actions
from sanbao.claims.warranty import claim_open_remedies
from sanbao.core.api import SORT_HELP, Day, PageNumber, PageSize

# Input -----------------------------------------------------------------------------


class FindingIn(Schema):
    """One answer of the inspection checklist: ``found`` true means the exclusion
    applies (for III.1 and III.3: the problem is confirmed); null means not checked."""

    rule: str = Field(..., max_length=8, description="A checklist rule id, e.g. III.6")
    found: bool | None = None
    note: str = Field("", max_length=500)


class ClaimIn(Schema):
    serial: str = Field("", max_length=40, description="The serial as read off the unit")
    model_code: str = Field(
        "", max_length=40, description="Required when the serial is unreadable or unknown"
    )
    region: Region | None = Field(
        None, description="Region of sale; the registry's wins for a registered serial"
    )
    delivered_on: Day | None = Field(
        None,
        description="Delivery or purchase date: the earlier name of proof_of_purchase_date "
        "(give one of them)",
    )
    claimed_on: Day | None = Field(
        None,
        description="I.2: the day the consumer asked (default today); the windows "
        "are counted on it. Never in the future nor before the delivery date.",
    )
    handed_in_on: Day | None = Field(
        None,
        description="I.2: the day the unit was handed in (default the claim date); the "
        "repair-day limit counts from it",
    )
    remedy_requested: Remedy | None = Field(
        None,
        description="I.2: the claimant's choice among the remedies open on the claim "
        "date (return within 7 days, replacement within 15, repair); honoured at judgement",
    )
    claimant_kind: ClaimantKind = ClaimantKind.CONSUMER
    claimant_org_code: str = Field(
        "", max_length=32, description="The agent or enterprise claiming (organisation claims)"
    )
    consumer_name: str = Field("", max_length=100)
    consumer_phone: str = Field("", max_length=40)
    proof_of_purchase_no: str = Field("", max_length=60)
    proof_of_purchase_date: Day | None = Field(
        None,
        description="I.2, II.2: the delivery or purchase date on the proof of purchase; "
        "never before the registry's sale date; when none is given the registry's sale "
        "date counts (required for an unregistered unit)",
    )
    warranty_card_no: str = Field("", max_length=40)
    fault_kind: FaultKind
    fault_description: str = Field(..., max_length=4000)
    handling_org_code: str = Field(
        "", max_length=32, description="Platform users: the outlet that will judge the claim"
    )
    findings: list[FindingIn] = Field(default_factory=list, max_length=20)


class CardNumberIn(Schema):
    warranty_card_no: str = Field(..., max_length=100, description="III.3: the corrected number")


class FindingsIn(Schema):
    findings: list[FindingIn] = Field(..., min_length=1, max_length=20)


class JudgementIn(Schema):
    failure_confirmed: bool
    remedy: Remedy | None = Field(None, description="Required when approving")
    replacement_model_code: str = Field(
        "", max_length=40, description="Required when the remedy is a replacement"
    )
    repair_impossible: bool = False
    note: str = Field("", max_length=2000)
    replacement_decision: str = Field(
        "",
        max_length=MAX_DECISION_REASON,
        description="II.3: an after-sales manager's reason for accepting a different model "
        "when the original has no performance specifications (replacements.decide; audited)",
    )


class RetainedPartIn(Schema):
    description: str = Field(..., max_length=200)
    serial: str = Field("", max_length=40)


class ClaimResolutionIn(Schema):
    outcome: Outcome
    retained_location: str = Field("", max_length=100)
    replacement_serial: str = Field("", max_length=40)
    replacement_model_code: str = Field(
        "", max_length=40, description="When a repair that took too long ends in a replacement"
    )
    retained_parts: list[RetainedPartIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=2000)
    replacement_card_no: str = Field(
        "", max_length=40, description="The replacement unit's own warranty card number (I.2)"
    )
    replacement_decision: str = Field(
        "",
        max_length=MAX_DECISION_REASON,
        description="II.3: an after-sales manager's reason for accepting a different model "
        "when the original has no performance specifications (replacements.decide; audited)",
    )
    return_waybill: str = Field(
        "",
        max_length=40,
        description="The waybill of a unit posted back to a consumer who sent it by post "
        "(issue 16); their SMS names it",
    )


class DisposalIn(Schema):
    disposal: Disposal = Field(..., description="Never a return to the user (II.4)")
    note: str = Field("", max_length=300)


ClaimSort = CLAIM_SORTS.literal()


class ClaimFilters(Schema):
    status: ClaimStatus | None = None
    verdict: Verdict | None = None
    model: str | None = Field(None, max_length=40, description="Model code")
    outlet: str | None = Field(None, max_length=32, description="Code of the handling organisation")
    serial: str | None = Field(None, max_length=40, description="Serial prefix")
    submitted_from: Day | None = None
    submitted_to: Day | None = None
    sort: ClaimSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


RetainedPartSort = RETAINED_PART_SORTS.literal()


class RetainedPartFilters(Schema):
    open_only: bool = Field(False, description="Only parts not yet disposed of")
    sort: RetainedPartSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


# Output ----------------------------------------------------------------------------


# A plain pydantic model, not a ninja Schema: it is only ever given the dicts
# ``_rule_result`` builds, which pydantic validates natively; a Schema would read each
# of a claim's dozen results back field by field through ninja's getter (issue 14).
class RuleResultOut(BaseModel):
    rule: str
    title: str
    outcome: str = Field(..., description="pass, fail or unknown")
    reason: str = Field(..., description="A stable reason code")
    reason_text: str = Field(..., description="The reason in the request's language")
    evidence: dict[str, Any]


def _rule_result(result: dict) -> dict:
    return {
        "rule": result["rule"],
        "title": str(RULE_TITLES.get(result["rule"], result["rule"])),
        "outcome": result["outcome"],
        "reason": result["reason"],
        "reason_text": reason_text(result),
        "evidence": result.get("evidence") or {},
    }


def _rules_with(results: list[dict], outcome: str) -> list[str]:
    return [r["rule"] for r in results if r["outcome"] == outcome]


class FindingOut(Schema):
    rule: str
    found: bool | None
    note: str
    has_photo: bool = Field(
        ..., description="A photo is stored (POST /claims/{number}/findings/{rule}/photo)"
    )

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)


class ClaimSummaryOut(Schema):
    """A claim in the list, read from the rows of ``selectors.claim_summaries``."""

    number: str
    status: ClaimStatus
    verdict: Verdict
    failed_rules: list[str]
    serial: str = Field(..., alias="serial_shown")
    model: str = Field(..., alias="model_code")
    region: str
    claimant_kind: ClaimantKind
    claimant_org: str | None = Field(None, alias="claimant_org_code")
    handling_org: str = Field(..., alias="handling_org_code")
    remedy: str
    outcome: str
    warranty_end: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_failed_rules(row) -> list[str]:
        return _rules_with(row["verdict_results"], policy.FAIL)


def _may_see_consumer(claim, actor) -> bool:
    """The consumer's name and phone: for whoever may judge claims, the platform,
    and the organisation that made the claim."""
    return (
        can(actor, "claims.judge")
        or getattr(actor, "role", None) in PLATFORM_ROLES
        or (claim.claimant_org_id is not None and claim.claimant_org_id == actor.organisation_id)
    )


class ClaimOut(Schema):
    number: str
    status: ClaimStatus
    verdict: Verdict
    verdict_results: list[RuleResultOut]
    failed_rules: list[str]
    missing_rules: list[str]
    policy_version: str
    terms: dict[str, Any]
    warranty_end: dt.date | None

    serial: str
    model: str
    region: str
    delivered_on: dt.date = Field(
        ..., description="I.2: the warranty counts from it: the proof's date, else the registry's"
    )
    claimed_on: dt.date = Field(..., description="I.2: the day the claim was made")
    handed_in_on: dt.date = Field(..., description="I.2: the day the unit was handed in")
    remedy_requested: str = Field(..., description="I.2: the claimant's choice; empty if none")
    claimant_kind: ClaimantKind
    claimant_org: str | None = None
    handling_org: str
    consumer_name: str | None = Field(None, description="Null when the caller may not see it")
    consumer_phone: str | None = Field(None, description="Null when the caller may not see it")
    proof_of_purchase_no: str
    proof_of_purchase_date: dt.date | None = Field(
        None, description="I.2: the date on the proof of purchase; null when none was given"
    )
    has_proof_of_purchase_scan: bool
    warranty_card_no: str
    has_warranty_card_scan: bool
    fault_kind: FaultKind
    fault_description: str
    findings: list[FindingOut]

    failure_confirmed: bool | None
    open_remedies: list[str] = Field(
        ...,
        description="I.2: return, replacement, repair: before judgement those the "
        "windows open on the claim date (none when not covered); after, those recorded",
    )
    remedy: str
    repair_impossible: bool
    judgement_note: str
    outcome: str
    replacement_model: str | None = None
    replacement_serial: str | None = None
    resolution_note: str
    days_in_service: int | None
    days_in_repair: int = Field(
        ..., description="I.2: days since the unit was handed in (to its resolution)"
    )

    allowed_actions: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    judged_at: dt.datetime | None
    in_service_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None

    # The related records' codes, read directly: an alias such as "model.code" is
    # looked up by ninja through Django's template variables after a failed getattr.
    @staticmethod
    def resolve_model(obj) -> str:
        return obj.model.code

    @staticmethod
    def resolve_claimant_org(obj) -> str | None:
        return obj.claimant_org.code if obj.claimant_org_id else None

    @staticmethod
    def resolve_handling_org(obj) -> str:
        return obj.handling_org.code

    @staticmethod
    def resolve_replacement_model(obj) -> str | None:
        return obj.replacement_model.code if obj.replacement_model_id else None

    @staticmethod
    def resolve_replacement_serial(obj) -> str | None:
        return obj.replacement_unit.serial if obj.replacement_unit_id else None

    @staticmethod
    def resolve_verdict_results(obj) -> list[dict]:
        return [_rule_result(r) for r in obj.verdict_results]

    @staticmethod
    def resolve_failed_rules(obj) -> list[str]:
        return _rules_with(obj.verdict_results, policy.FAIL)

    @staticmethod
    def resolve_missing_rules(obj) -> list[str]:
        return _rules_with(obj.verdict_results, policy.UNKNOWN)

    @staticmethod
    def resolve_consumer_name(obj, context) -> str | None:
        return obj.consumer_name if _may_see_consumer(obj, context["request"].auth) else None

    @staticmethod
    def resolve_consumer_phone(obj, context) -> str | None:
        return obj.consumer_phone if _may_see_consumer(obj, context["request"].auth) else None

    @staticmethod
    def resolve_has_proof_of_purchase_scan(obj) -> bool:
        return bool(obj.proof_of_purchase_scan)

    @staticmethod
    def resolve_has_warranty_card_scan(obj) -> bool:
        return bool(obj.warranty_card_scan)

    @staticmethod
    def resolve_findings(obj) -> list:
        return list(obj.findings.all())

    @staticmethod
    def resolve_open_remedies(obj) -> list[str]:
        return claim_open_remedies(obj)

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        return allowed_actions(obj, context["request"].auth)


class TimelineEventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id and obj.actor else obj.actor_label


class RetainedPartOut(Schema):
    id: int
    claim: str | None = Field(None, alias="claim.number")
    taken_from: str = Field(
        "", alias="taken_from", description="The record it came from, when not a claim"
    )
    kind: str
    description: str = Field(..., alias="label")
    serial: str
    held_by: str = Field(..., alias="held_by.code")
    location: str
    taken_in_at: dt.datetime
    disposal: str
    disposed_at: dt.datetime | None
    disposal_note: str
