"""The consumer's public claim-status page (issue 3, item 7): no account, the
claim number and the telephone on the claim, nothing else revealed.

Three guarantees against enumeration:

* a wrong number and a wrong telephone get the same answer (one lookup, one
  template, one "no claim matches" text) and take the same path: a single query
  on number AND phone, whichever is wrong;
* the page shows a projection of the claim (:class:`PublicStatus`) built here,
  so the template cannot reach the name, the address, the serial or a note;
* look-ups are counted per client (IP address, or its /64 for IPv6) and per
  claim number from that client, in fixed one-hour windows of the default cache
  (shared by every worker and kept over a restart: the database's by default;
  ``sanbao.core.ratelimit``, which the warranty-card page counts with too);
  past ``settings.SANBAO_STATUS_LOOKUPS_PER_HOUR`` for the client, or
  ``SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR`` for one number from it, the answer
  is 429. Nothing counts a number on its own: wrong telephones typed from one
  address must not lock the consumer out from theirs (issue 13 item 4).

The form is POSTed, so numbers and phones stay out of server logs, proxies and
browser history, and the answers are never cached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.claims import policy, selectors
from sanbao.claims.errors import MESSAGES
from sanbao.claims.models import Claim, ClaimantKind, ClaimStatus, Outcome, Remedy
from sanbao.claims.reasons import VERDICTS, reason_text
from sanbao.core import ratelimit
from sanbao.core.phones import PHONE_RE, normalise_phone

TEMPLATE = "claims/public_status.html"
WINDOW_SECONDS = 3600  # the limit is per hour (SANBAO_STATUS_LOOKUPS_PER_HOUR)
CACHE_PREFIX = "sanbao:status-lookups"

# The audit actions that change a claim's status, and the status each leads to.
STATUS_EVENTS = {
    "claim.submitted": ClaimStatus.SUBMITTED,
    "claim.judgement_started": ClaimStatus.UNDER_JUDGEMENT,
    "claim.approved": ClaimStatus.APPROVED,
    "claim.rejected": ClaimStatus.REJECTED,
    "claim.service_started": ClaimStatus.IN_SERVICE,
    "claim.resolved": ClaimStatus.RESOLVED,
    "claim.closed": ClaimStatus.CLOSED,
}

# What happens next, in words a consumer understands.
NEXT_STEPS = {
    ClaimStatus.SUBMITTED: _(
        "We have received your claim. The after-sales department or the authorised "
        "service outlet will inspect the unit and decide whether the three guarantees "
        "(return, replacement, repair) apply."
    ),
    ClaimStatus.UNDER_JUDGEMENT: _(
        "Your unit is being inspected. Next we decide whether the warranty applies and "
        "which remedy is open to you: repair, replacement or return."
    ),
    ClaimStatus.IN_SERVICE: _(
        "Your unit is being repaired or replaced. The days it spends in repair do not "
        "count toward its warranty period."
    ),
    ClaimStatus.CLOSED: _(
        "This claim is closed. Keep the claim number with your warranty card for your records."
    ),
}
APPROVED_STEPS = {
    Remedy.REPAIR: _(
        "Your claim is approved for repair. The repair starts soon; you can follow it on this page."
    ),
    Remedy.REPLACEMENT: _(
        "Your claim is approved for replacement with a unit of the same model or of "
        "specifications that are not lower. You can follow it on this page."
    ),
    Remedy.RETURN: _("Your claim is approved for a return: the purchase price will be refunded."),
}
RESOLVED_STEPS = {
    Outcome.REPAIRED: _("Your unit has been repaired. Collect it where you handed it in."),
    Outcome.REPLACED: _(
        "Your unit has been replaced. Collect the replacement where you handed in the "
        "faulty unit, which stays with the brand."
    ),
    Outcome.REFUNDED: _(
        "The purchase price has been refunded. The returned unit stays with the brand."
    ),
}
NEW_WARRANTY_STEP = _("The replacement unit has a new warranty period of its own.")
REJECTED_NOT_COVERED = _(
    "The three guarantees do not apply to this claim, for the reasons below. Collect "
    "your unit where you handed it in; if you disagree, contact the after-sales "
    "service centre and give your claim number."
)
REJECTED_NO_FAILURE = _(
    "The inspection found no performance failure, so no warranty service is due. "
    "Collect your unit where you handed it in; if you disagree, contact the "
    "after-sales service centre and give your claim number."
)


class StatusLookupForm(forms.Form):
    """Parses the two values a consumer holds: the number on the receipt and the
    telephone given at intake (any spacing or dashes)."""

    number = forms.CharField(label=_("Claim number"), max_length=20)
    phone = forms.CharField(label=_("Telephone number on the claim"), max_length=30)

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(MESSAGES["claims.phone_invalid"], code="phone_invalid")
        return phone


# --- Rate limit -----------------------------------------------------------------------


def lookup_allowed(request, number: str) -> int | None:
    """Count this look-up against the client and against the claim number from
    that client (``sanbao.core.ratelimit``); None when within both limits, else
    the seconds until the window ends. A client already over its limit does not
    count the number as well."""
    client = ratelimit.client_bucket(request)
    limits = [
        ratelimit.Limit("ip", client, settings.SANBAO_STATUS_LOOKUPS_PER_HOUR),
        ratelimit.Limit(
            "number-from-ip",
            f"{number}|{client}",
            settings.SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR,
        ),
    ]
    return ratelimit.over_limit(CACHE_PREFIX, limits, seconds=WINDOW_SECONDS)


# --- What the consumer sees -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    at: object  # an aware datetime


@dataclass(frozen=True)
class RuleLine:
    rule: str
    title: str
    found: bool  # an exclusion found on inspection, rather than a condition not met
    # Why, in the words the staff's claim page uses (``consumer_reason``).
    reason: str = ""


@dataclass(frozen=True)
class Place:
    """Where the unit is: the organisation handling the claim (an authorised
    service outlet or the after-sales department), as a consumer may reach it."""

    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class LadderStep:
    """One step of a claim's life as its consumer follows it: reached (with the
    time of its audit event), the current one, or still to come (no time)."""

    key: str  # received, judgement, decision, service, resolved, closed
    label: str
    at: object = None  # an aware datetime once reached
    state: str = "to_come"  # done | current | to_come
    tone: str = ""  # "fail" for a claim not approved


@dataclass(frozen=True)
class PublicStatus:
    """Everything the public page may show about a claim, and nothing more."""

    number: str
    model_code: str
    model_name: str
    status: str
    status_label: str
    next_steps: list[str]
    verdict: str
    verdict_label: str
    failed_rules: list[RuleLine] = field(default_factory=list)
    open_questions: list[RuleLine] = field(default_factory=list)
    remedy_label: str = ""
    outcome_label: str = ""
    steps: list[Step] = field(default_factory=list)
    serial_masked: str = ""
    place: Place | None = None
    ladder: list[LadderStep] = field(default_factory=list)
    return_waybill: str = ""  # the unit posted back to the consumer


# Numbers in a reason's evidence shown masked to a consumer: the card number the
# registry holds for the serial (a claim may name any serial), and the card and
# proof numbers given (the page is opened by a claim number and a telephone).
MASKED_EVIDENCE = ("registered_card_no", "card_no", "proof_no")


def masked(text: str) -> str:
    """``text`` with all but its last four characters hidden (one kept when it is
    short): a serial or a card number shown without giving it away."""
    text = (text or "").strip()
    if not text:
        return ""
    keep = 4 if len(text) > 6 else 1
    return "•" * (len(text) - keep) + text[-keep:]


def consumer_reason(result: dict) -> str:
    """The reason of one rule result in the words of the staff's claim page
    (``reasons.reason_text``), without what only the staff may read: the note of
    the person inspecting (the reason then reads as it does without a note) and
    the numbers of ``MASKED_EVIDENCE`` but for their last characters."""
    evidence = {k: v for k, v in (result.get("evidence") or {}).items() if k != "note"}
    for key in MASKED_EVIDENCE:
        if evidence.get(key):
            evidence[key] = masked(str(evidence[key]))
    return reason_text({**result, "evidence": evidence})


def _rule_lines(claim: Claim, outcome: str) -> list[RuleLine]:
    return [
        RuleLine(
            rule=r["rule"],
            title=str(RULE_TITLES.get(r["rule"], r["rule"])),
            found=r["rule"] in policy.CHECKLIST_RULES,
            reason=consumer_reason(r),
        )
        for r in claim.verdict_results
        if r.get("outcome") == outcome
    ]


def _place(claim: Claim) -> Place | None:
    org = claim.handling_org
    if org is None:
        return None
    return Place(name=org.display_name, address=org.address, phone=org.phone)


LADDER_LABELS = {
    "received": pgettext_lazy("claim step", "Received"),
    "judgement": _("Under judgement"),
    "decision": _("Decision"),
    "approved": _("Approved"),
    "rejected": _("Not approved"),
    "service": _("In service"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
}


def _ladder(claim: Claim, reached: dict[str, object]) -> list[LadderStep]:
    """The claim's steps in order, each with the time it was reached (the first
    audit event of its status, as ``STATUS_EVENTS`` maps them) or still to come.
    A step skipped on the way (judged without a separate inspection step; a
    refund resolved without a service) is left out; so are the steps a rejected
    claim never takes."""
    status = ClaimStatus(claim.status)
    rejected = ClaimStatus.REJECTED in reached or status == ClaimStatus.REJECTED
    decided = rejected or ClaimStatus.APPROVED in reached
    plan: list[tuple[str, str | None, str]] = [("received", ClaimStatus.SUBMITTED, "")]
    if ClaimStatus.UNDER_JUDGEMENT in reached or not decided:
        plan.append(("judgement", ClaimStatus.UNDER_JUDGEMENT, ""))
    if rejected:
        plan.append(("rejected", ClaimStatus.REJECTED, "fail"))
    elif decided:
        plan.append(("approved", ClaimStatus.APPROVED, ""))
    else:
        plan.append(("decision", None, ""))
    if not rejected:
        skip_service = claim.remedy == Remedy.RETURN or (
            ClaimStatus.RESOLVED in reached and ClaimStatus.IN_SERVICE not in reached
        )
        if not skip_service:
            plan.append(("service", ClaimStatus.IN_SERVICE, ""))
        plan.append(("resolved", ClaimStatus.RESOLVED, ""))
    plan.append(("closed", ClaimStatus.CLOSED, ""))
    steps = []
    for key, step_status, tone in plan:
        at = reached.get(step_status) if step_status else None
        state = "done" if at is not None else "to_come"
        if step_status == status:
            state = "current"
        steps.append(LadderStep(key, str(LADDER_LABELS[key]), at, state, tone))
    return steps


def _next_steps(claim: Claim) -> list[str]:
    if claim.status == ClaimStatus.APPROVED:
        return [str(APPROVED_STEPS.get(claim.remedy, NEXT_STEPS[ClaimStatus.SUBMITTED]))]
    if claim.status == ClaimStatus.REJECTED:
        if claim.verdict == policy.NOT_COVERED:
            return [str(REJECTED_NOT_COVERED)]
        return [str(REJECTED_NO_FAILURE)]
    if claim.status == ClaimStatus.RESOLVED:
        steps = [str(RESOLVED_STEPS[claim.outcome])] if claim.outcome in RESOLVED_STEPS else []
        terms = (claim.terms or {}).get("category", {})
        if claim.outcome == Outcome.REPLACED and terms.get("new_warranty_on_replacement"):
            steps.append(str(NEW_WARRANTY_STEP))
        return steps
    return [str(NEXT_STEPS[claim.status])] if claim.status in NEXT_STEPS else []


def public_status(claim: Claim) -> PublicStatus:
    """The projection of ``claim`` for its consumer: number, model, status and
    what happens next, the verdict with the clauses that decided it, the remedy
    or outcome once decided, and the dates of the status changes."""
    events = list(
        selectors.claim_timeline(claim=claim)
        .filter(action__in=list(STATUS_EVENTS))
        .values_list("action", "at")
    )
    reached: dict[str, object] = {}
    for action, at in events:
        reached.setdefault(STATUS_EVENTS[action], at)
    return PublicStatus(
        number=claim.number,
        model_code=claim.model.code,
        model_name=claim.model.name,
        status=claim.status,
        status_label=str(claim.get_status_display()),
        next_steps=_next_steps(claim),
        verdict=claim.verdict,
        verdict_label=str(VERDICTS.get(claim.verdict, claim.verdict)),
        failed_rules=_rule_lines(claim, policy.FAIL),
        open_questions=_rule_lines(claim, policy.UNKNOWN)
        if claim.verdict == policy.NEEDS_JUDGEMENT
        else [],
        remedy_label=str(claim.get_remedy_display()) if claim.remedy else "",
        outcome_label=str(claim.get_outcome_display()) if claim.outcome else "",
        steps=[Step(str(STATUS_EVENTS[action].label), at) for action, at in events],
        serial_masked=masked(claim.serial),
        place=_place(claim),
        ladder=_ladder(claim, reached),
        return_waybill=claim.return_waybill,
    )


# --- The page -------------------------------------------------------------------------


def _page(request, context: dict, *, status: int = 200):
    response = render(request, TEMPLATE, context, status=status)
    # A status is personal and changes: never stored by a browser or a proxy.
    add_never_cache_headers(response)
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def claim_status(request):
    """GET: the empty form. POST: count the look-up, then the claim's status or
    the one answer for "no claim matches", whichever value was wrong."""
    if request.method == "GET":
        return _page(request, {"form": StatusLookupForm()})
    form = StatusLookupForm(request.POST)
    if not form.is_valid():
        return _page(request, {"form": form})
    number, phone = form.cleaned_data["number"], form.cleaned_data["phone"]
    retry_after = lookup_allowed(request, number)
    if retry_after is not None:
        context = {"form": StatusLookupForm(), "retry_minutes": math.ceil(retry_after / 60)}
        response = _page(request, context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    claim = selectors.claim_public_status(number=number, phone=phone)
    if claim is not None and claim.claimant_kind != ClaimantKind.CONSUMER:
        # An organisation follows its claims with its account, even when a phone
        # was noted on one. (Belongs in the selector's filter; kept here until then.)
        claim = None
    context = {
        "form": form,
        "searched": True,
        "result": public_status(claim) if claim is not None else None,
    }
    return _page(request, context)
