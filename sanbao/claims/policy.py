"""The three guarantees as pure rules (SPEC I, II, III). No ORM here.

``evaluate`` decides a claim's eligibility from plain facts: each rule gives
``pass``, ``fail`` or ``unknown`` with the evidence it used and a reason code;
the verdict is ``not_covered`` when any rule fails (naming them), else
``needs_judgement`` when any fact is missing (naming them), else ``covered``.
``open_remedies`` says which of return, replacement and repair are open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sanbao.catalog.policy import region_in_scope, warranty_last_day

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
COVERED, NOT_COVERED, NEEDS_JUDGEMENT = "covered", "not_covered", "needs_judgement"

# Exclusions judged by the person inspecting the unit (III.4–III.8, III.10).
CHECKLIST_RULES = ("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
# Rules decided from data that the person judging may confirm when the data
# cannot decide (no readable serial, so no registry entry to compare with).
CONFIRMABLE_RULES = ("III.1", "III.3")
FINDING_RULES = CONFIRMABLE_RULES + CHECKLIST_RULES
ALL_RULES = (
    "I.1", "II.2", "III.1", "III.2", "III.3", "III.4", "III.5",
    "III.6", "III.7", "III.8", "III.9", "III.10",
)  # fmt: skip

RETURN, REPLACEMENT, REPAIR = "return", "replacement", "repair"
REMEDIES = (RETURN, REPLACEMENT, REPAIR)


@dataclass(frozen=True)
class ClaimFacts:
    """What is known about a claim when it is evaluated."""

    on: dt.date  # the day of the evaluation (claim date or judgement date)
    region: str | None  # of sale: registry first, else as claimed
    unit_registered: bool
    authorised_channel: bool | None  # registry; None when the unit is not registered
    proof_no: str = ""
    proof_scan: bool = False
    card_no: str = ""
    card_scan: bool = False
    claimed_model: str | None = None
    registered_model: str | None = None
    registered_card_no: str = ""
    warranty_end: dt.date | None = None
    # rule id -> True (found: the exclusion applies / for III.1, III.3: the problem
    # is confirmed), False (checked, not found), None or absent (not checked).
    findings: Mapping[str, bool | None] = field(default_factory=dict)
    # rule id -> what the person judging noted; shown with a finding that excludes.
    finding_notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: str  # pass / fail / unknown
    reason: str  # a code of REASONS in sanbao.claims.reasons
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Verdict:
    status: str
    results: tuple[RuleResult, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.results if r.outcome == FAIL)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.results if r.outcome == UNKNOWN)


def _scope(f: ClaimFacts) -> RuleResult:
    """I.1: only products sold in mainland China are covered."""
    if not f.region:
        return RuleResult("I.1", UNKNOWN, "region_unknown")
    if region_in_scope(f.region):
        return RuleResult("I.1", PASS, "sold_in_mainland", {"region": f.region})
    return RuleResult("I.1", FAIL, "sold_outside_mainland", {"region": f.region})


# II.2: what people type in the number box when they have no proof of purchase,
# compared once punctuation and spaces are gone and the case folded.
NO_NUMBER_PLACEHOLDERS = frozenset(
    {"na", "none", "nil", "null", "no", "无", "没有", "暂无", "无票", "无发票"}
)


def proof_number_given(number: str) -> bool:
    """II.2: a proof-of-purchase number is a number only when it has a letter or a
    digit and is not a placeholder: "-", "/", "——", "无", "N/A", "none" are what
    is typed when there is no proof, and a claim with them has none."""
    kept = "".join(ch for ch in (number or "").casefold() if ch.isalnum())
    return bool(kept) and kept not in NO_NUMBER_PLACEHOLDERS


def _documents(f: ClaimFacts, rule: str) -> RuleResult:
    """II.2 / III.2: the warranty card and the proof of purchase are presented
    together. A number without its scan needs the scan; no number at all (or one
    that is no number, ``proof_number_given``) means the document was not
    presented and the claim is not covered."""
    evidence = {"proof_no": f.proof_no, "card_no": f.card_no}
    has_proof = proof_number_given(f.proof_no)
    if not has_proof and not f.card_no:
        return RuleResult(rule, FAIL, "no_card_no_proof", evidence)
    if not has_proof:
        return RuleResult(rule, FAIL, "no_proof_of_purchase", evidence)
    if not f.card_no:
        return RuleResult(rule, FAIL, "no_warranty_card", evidence)
    if not (f.proof_scan and f.card_scan):
        return RuleResult(
            rule,
            UNKNOWN,
            "scan_missing",
            {**evidence, "proof_scan": f.proof_scan, "card_scan": f.card_scan},
        )
    return RuleResult(rule, PASS, "documents_presented", evidence)


def _channel(f: ClaimFacts) -> RuleResult:
    """III.1: not sold through the brand's legal channels (the registry says so)."""
    if f.unit_registered:
        if f.authorised_channel:
            return RuleResult("III.1", PASS, "authorised_channel")
        return RuleResult("III.1", FAIL, "unauthorised_channel")
    confirmed = f.findings.get("III.1")
    if confirmed is True:
        return RuleResult("III.1", FAIL, "unauthorised_channel_confirmed", _noted(f, "III.1"))
    if confirmed is False:
        return RuleResult("III.1", PASS, "channel_confirmed")
    return RuleResult("III.1", UNKNOWN, "unit_not_registered")


def _card_matches(f: ClaimFacts) -> RuleResult:
    """III.3: the product on the warranty card must be the real unit: the model
    presented must be the registered model, and the card number must be the one
    registered with the serial (when the registry has one)."""
    if f.unit_registered:
        evidence = {
            "claimed_model": f.claimed_model,
            "registered_model": f.registered_model,
            "card_no": f.card_no,
            "registered_card_no": f.registered_card_no,
        }
        if f.claimed_model and f.registered_model and f.claimed_model != f.registered_model:
            return RuleResult("III.3", FAIL, "model_mismatch", evidence)
        if f.card_no and f.registered_card_no and not same_card_no(f.card_no, f.registered_card_no):
            return RuleResult("III.3", FAIL, "card_mismatch", evidence)
        return RuleResult("III.3", PASS, "card_matches", evidence)
    confirmed = f.findings.get("III.3")
    if confirmed is True:
        return RuleResult("III.3", FAIL, "mismatch_confirmed", _noted(f, "III.3"))
    if confirmed is False:
        return RuleResult("III.3", PASS, "match_confirmed")
    return RuleResult("III.3", UNKNOWN, "unit_not_registered")


def same_card_no(a: str, b: str) -> bool:
    """III.3: two warranty card numbers are the same card whatever their case and
    the spaces around them (" wc-001 " is WC-001)."""
    return a.strip().casefold() == b.strip().casefold()


def _noted(f: ClaimFacts, rule: str) -> dict[str, Any]:
    """The evidence of a finding that excludes: what the person judging noted."""
    note = (f.finding_notes.get(rule) or "").strip()
    return {"note": note} if note else {}


def _checklist(f: ClaimFacts, rule: str) -> RuleResult:
    """III.4–III.8, III.10: exclusions found (or not) on inspection."""
    found = f.findings.get(rule)
    if found is True:
        return RuleResult(rule, FAIL, "exclusion_found", _noted(f, rule))
    if found is False:
        return RuleResult(rule, PASS, "exclusion_not_found")
    return RuleResult(rule, UNKNOWN, "not_inspected")


def _period(f: ClaimFacts) -> RuleResult:
    """III.9: the warranty period (extended by earlier time in repair) is exceeded."""
    if f.warranty_end is None:
        return RuleResult("III.9", UNKNOWN, "start_unknown")
    evidence = {"warranty_end": f.warranty_end.isoformat(), "on": f.on.isoformat()}
    if f.on > f.warranty_end:
        return RuleResult("III.9", FAIL, "warranty_expired", evidence)
    return RuleResult("III.9", PASS, "within_warranty", evidence)


def evaluate(facts: ClaimFacts) -> Verdict:
    """Every rule of I.1, II.2 and III, in the policy's order, and the verdict."""
    results = (
        _scope(facts),
        _documents(facts, "II.2"),
        _channel(facts),
        _documents(facts, "III.2"),
        _card_matches(facts),
        *(_checklist(facts, r) for r in ("III.4", "III.5", "III.6", "III.7", "III.8")),
        _period(facts),
        _checklist(facts, "III.10"),
    )
    if any(r.outcome == FAIL for r in results):
        status = NOT_COVERED
    elif any(r.outcome == UNKNOWN for r in results):
        status = NEEDS_JUDGEMENT
    else:
        status = COVERED
    return Verdict(status, results)


def warranty_end(start: dt.date | None, months: int, days_in_repair: int = 0) -> dt.date | None:
    """I.2: the last day covered: the category's months from the start, plus every
    day the unit has already spent in warranty repair (time in repair does not
    count toward the warranty period)."""
    last = warranty_last_day(start, months)
    if last is None:
        return None
    return last + dt.timedelta(days=max(0, days_in_repair))


@dataclass(frozen=True)
class RemedyWindow:
    delivered_on: dt.date
    on: dt.date
    return_days: int
    exchange_days: int
    warranty_end: dt.date | None
    same_fault_repairs: int = 0
    repair_attempts_limit: int = 2
    days_in_repair: int = 0
    repair_days_limit: int = 30
    repair_impossible: bool = False
    # The day the claim was made. Every window (return, exchange, warranty) is
    # counted on that day (I.2; III.9 is evaluated then too): a claim made on day 6
    # and judged on day 9 still gets its return. None: counted on ``on``.
    claimed_on: dt.date | None = None


def open_remedies(w: RemedyWindow) -> tuple[str, ...]:
    """I.2 and II.3: which remedies the customer or the outlet may choose.

    Every window is counted on the day the claim was made (``claimed_on``; when
    None, ``on``), not on the day it is judged, so slow handling takes no right
    away from the consumer:

    - within ``return_days`` of delivery: return, replacement or repair;
    - within ``exchange_days``: replacement or repair;
    - within the warranty period: repair, or replacement when the outlet judges
      repair impossible;
    - after ``repair_attempts_limit`` warranty repairs of the same fault, or a
      repair taking more than ``repair_days_limit`` days: replacement or return.
    Outside the warranty period (on the day the claim was made) nothing is open.
    Day 0 is the delivery day, so "within 7 days" includes the seventh day after it.
    """
    day = w.claimed_on or w.on
    if w.warranty_end is not None and day > w.warranty_end:
        return ()
    if day < w.delivered_on:
        return ()
    age = (day - w.delivered_on).days
    open_ = {REPAIR}
    if age <= w.exchange_days or w.repair_impossible:
        open_.add(REPLACEMENT)
    if age <= w.return_days:
        open_.add(RETURN)
    if w.same_fault_repairs >= w.repair_attempts_limit or w.days_in_repair > w.repair_days_limit:
        open_ |= {REPLACEMENT, RETURN}
    return tuple(r for r in REMEDIES if r in open_)
