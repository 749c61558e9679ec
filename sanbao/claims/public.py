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
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.claims import policy, selectors
from sanbao.claims.errors import MESSAGES
from sanbao.claims.models import Claim, ClaimantKind, ClaimStatus, Outcome, Remedy
from sanbao.claims.reasons import VERDICTS
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


def _rule_lines(claim: Claim, outcome: str) -> list[RuleLine]:
    return [
        RuleLine(
            rule=r["rule"],
            title=str(RULE_TITLES.get(r["rule"], r["rule"])),
            found=r["rule"] in policy.CHECKLIST_RULES,
        )
        for r in claim.verdict_results
        if r.get("outcome") == outcome
    ]


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
    events = (
        selectors.claim_timeline(claim=claim)
        .filter(action__in=list(STATUS_EVENTS))
        .values_list("action", "at")
    )
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
