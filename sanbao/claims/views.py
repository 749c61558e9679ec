"""Claims pages: the list, intake, the claim page with its verdict, terms and
timeline, one POST view per action, and the retained-parts ledger.

Views stay thin: selectors and services check the actor's role, tenancy, the
claim's state and the policy, and raise domain errors. An action view maps a
400 or 409 onto its form and answers the claim page (or, for htmx, the claim's
fragment) with that status; 403 and 404 go to DomainErrorMiddleware. A
successful action redirects back to the claim (PRG) or, for htmx, answers the
updated fragment.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import RETURN_UNIT_ROLES, OrgKind, can, require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import Category, ProductModel
from sanbao.catalog.policy import ModelSpecs, is_not_lower
from sanbao.claims import documents, policy, reasons, selectors, services, warranty
from sanbao.claims.forms import (
    CardNumberForm,
    ClaimFilterForm,
    ClaimIntakeForm,
    DisposeForm,
    FindingsForm,
    JudgeForm,
    ResolveForm,
    RetainedPartFilterForm,
    ScansForm,
    SerialHintForm,
)
from sanbao.claims.models import Claim, ClaimStatus, Outcome, Remedy
from sanbao.claims.reasons import REMEDY_LABELS, VERDICTS, reason_text
from sanbao.claims.states import MOVES, allowed_actions
from sanbao.core import audit
from sanbao.core.errors import NotFound, ValidationFailed
from sanbao.core.forms import cleaned_texts
from sanbao.core.uploads import attached_file
from sanbao.core.web import (
    action_view,
    attempt,
    is_htmx,
    list_export_view,
    page_of,
    record_page_view,
    render_page,
)

CLAIMS_PER_PAGE = 50
PARTS_PER_PAGE = 50

# What the page says after an action succeeded.
DONE_MESSAGES = {
    "start_judgement": _("Judgement started."),
    "record_findings": _("Inspection recorded; the verdict was evaluated again."),
    "attach_scans": _("Scans attached; the verdict was evaluated again."),
    "correct_card_no": _("Warranty card number corrected; the verdict was evaluated again."),
    "judge": _("Judgement recorded."),
    "start_service": _("Service started."),
    "resolve": _("Claim resolved."),
    "close": _("Claim closed."),
}

# Timeline labels of the claim's audit events.
EVENT_LABELS = {
    "claim.submitted": pgettext_lazy("claim timeline", "Taken in"),
    "claim.judgement_started": _("Judgement started"),
    "claim.inspected": _("Inspection recorded"),
    "claim.scans_attached": _("Scans attached"),
    "claim.card_corrected": _("Warranty card number corrected"),
    "claim.approved": pgettext_lazy("claim event", "Approved"),
    "claim.rejected": pgettext_lazy("claim event", "Rejected"),
    "claim.service_started": _("Service started"),
    "claim.resolved": pgettext_lazy("claim event", "Resolved"),
    "claim.closed": pgettext_lazy("claim event", "Closed"),
}

# The rule outcomes' words, shared with the consumer's page (claims.reasons).
OUTCOME_CLASSES, OUTCOME_LABELS = reasons.OUTCOME_CLASSES, reasons.OUTCOME_LABELS
SCANS = {
    "proof-of-purchase": "proof_of_purchase_scan",
    "warranty-card": "warranty_card_scan",
}


def _handling_orgs(user):
    """The organisations a claim can be handled by: the after-sales department and
    the authorised outlets (for the platform's filters and assignment)."""
    return (
        account_selectors.organisation_list(actor=user)
        .filter(kind__in=[OrgKind.PLATFORM, OrgKind.SERVICE_OUTLET], is_active=True)
        .order_by("kind", "code")
    )


# --- The claim list -----------------------------------------------------------------------


def _claim_list(request):
    user = request.user
    require(user, "claims.view")
    form = ClaimFilterForm(
        request.GET,
        models=catalog_selectors.product_model_list(actor=user),
        outlets=_handling_orgs(user) if user.is_platform else None,
    )
    return form, selectors.claim_list(actor=user, **form.filters())


def claim_rows(request):
    """The claims the list page lists for this request's filters, every page of them."""
    return _claim_list(request)[1]


claim_list_xlsx = list_export_view(claim_rows, documents.CLAIMS)


@login_required
@require_GET
def claim_list(request):
    user = request.user
    form, claims = _claim_list(request)
    context = {
        "form": form,
        "page": page_of(request, claims, CLAIMS_PER_PAGE),
        "show_handler": user.is_platform,
        "can_create": can(user, "claims.create"),
    }
    return render_page(request, "claims/claim_list.html", "claim-results", context)


# --- Intake -------------------------------------------------------------------------------


def _intake_form(user, data=None, files=None) -> ClaimIntakeForm:
    platform = user.is_platform
    return ClaimIntakeForm(
        data,
        files,
        models=catalog_selectors.product_model_list(actor=user),
        # An agent or enterprise claims for itself.
        choose_claimant=user.role not in RETURN_UNIT_ROLES,
        claimant_orgs=(
            account_selectors.organisation_list(actor=user)
            .filter(kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE], is_active=True)
            .order_by("code")
            if platform
            else None
        ),
        handling_orgs=_handling_orgs(user) if can(user, "claims.assign") else None,
        # The checklist is answered by whoever judges the unit, not by the claimant.
        checklist=can(user, "claims.judge"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request):
    """The intake form: multipart, works without JavaScript. A refused intake
    answers 400 with the messages by their fields; nothing is written."""
    user = request.user
    require(user, "claims.create")
    error = None
    if request.method == "POST":
        form = _intake_form(user, request.POST, request.FILES)
        if form.is_valid():
            # Intake only refuses (400); a conflict cannot arise for a claim not yet written.
            done = attempt(
                lambda: services.claim_create(actor=user, **form.service_kwargs()),
                form=form,
                refusals=(400,),
            )
            if done.ok:
                messages.success(
                    request,
                    _("Claim %(number)s was taken in.") % {"number": done.result.number},
                )
                return redirect("claims:claim_detail", number=done.result.number)
            error = done.error
        else:
            error = ValidationFailed()
    else:
        form = _intake_form(user)
    serial = (form["serial"].value() or "").strip() if form.is_bound else ""
    context = {
        "form": form,
        "error": error,
        "serial": serial,
        "unit": _visible_unit(user, serial),
    }
    return render(request, "claims/claim_create.html", context, status=400 if error else 200)


def _visible_unit(user, serial: str):
    """The registered unit of ``serial`` if the user may see it, else None."""
    return _found_or_none(catalog_selectors.unit_get, actor=user, serial=serial) if serial else None


def _found_or_none(get: Callable, **lookup):
    """What ``get(**lookup)`` finds, or None where it raises NotFound."""
    try:
        return get(**lookup)
    except NotFound:
        return None


@login_required
@require_GET
def claim_serial_hint(request):
    """A small fragment under the serial field: the registered model and region of
    a typed serial, as far as the user may see the unit."""
    require(request.user, "claims.create")
    form = SerialHintForm(request.GET)
    serial = (form.cleaned_data.get("serial") or "").strip() if form.is_valid() else ""
    context = {"serial": serial, "unit": _visible_unit(request.user, serial)}
    return render(request, "claims/claim_create.html#serial-hint", context)


# --- The claim page -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReplacementOption:
    model: ProductModel
    ok: bool


def _replacement_options(user, claim: Claim) -> list[ReplacementOption]:
    """II.3, for display: the models of the claim's category, those with lower
    specifications marked (the service refuses them again)."""
    original = ModelSpecs.of(claim.model)
    models = catalog_selectors.product_model_list(actor=user, category=claim.model.category.code)
    # An original with no specifications: a manager may still choose another model,
    # with a reason (II.3, item 6); the service checks the permission and the reason.
    decides = can(user, "replacements.decide")
    options = []
    for m in models:
        if m.is_active or m.pk == claim.model_id:
            verdict = is_not_lower(original, ModelSpecs.of(m))
            options.append(
                ReplacementOption(m, verdict.ok or (decides and verdict.reason == "no_specs"))
            )
    return options


def _remedy_options(claim: Claim) -> list[dict]:
    """I.2, for display: which remedies are open (every window counted on the claim
    date), which open only when repair is judged impossible, and which the
    claimant chose. The judge service computes them again."""
    window = warranty.remedy_window(claim, timezone.localdate())
    now = policy.open_remedies(window)
    if_impossible = policy.open_remedies(dataclasses.replace(window, repair_impossible=True))
    return [
        {
            "value": remedy,
            "label": REMEDY_LABELS[remedy],
            "open": remedy in now,
            "only_if_impossible": remedy in if_impossible and remedy not in now,
            "requested": remedy == claim.remedy_requested,
        }
        for remedy in policy.REMEDIES
    ]


def _allowed_outcomes(claim: Claim) -> list[str]:
    """For display: the outcome the remedy leads to, and replacement or refund
    after a repair longer than the category allows (I.2). The service decides."""
    if not claim.remedy:
        return []
    allowed = [services.OUTCOME_OF_REMEDY[Remedy(claim.remedy)]]
    limit = claim.terms.get("category", {}).get("repair_days_limit")
    if claim.remedy == Remedy.REPAIR and limit is not None and claim.days_in_repair > limit:
        allowed += [Outcome.REPLACED, Outcome.REFUNDED]
    return [str(o) for o in allowed]


def _category_name(code: str | None) -> str:
    """The category whose terms were applied, named in the reader's language; the
    code recorded in the terms is kept when the category no longer exists."""
    if not code:
        return ""
    category = Category.objects.filter(code=code).first()
    return category.name if category else code


def _verdict_rows(claim: Claim, findings: dict) -> list[dict]:
    return [
        {
            "rule": result.get("rule", ""),
            "title": RULE_TITLES.get(result.get("rule", ""), result.get("rule", "")),
            "outcome": result.get("outcome", ""),
            "outcome_label": OUTCOME_LABELS.get(result.get("outcome"), result.get("outcome")),
            "css": OUTCOME_CLASSES.get(result.get("outcome"), "secondary"),
            "reason": reason_text(result),
            "finding": findings.get(result.get("rule")),
            # The reason already quotes the note of a finding that excludes.
            "noted": bool((result.get("evidence") or {}).get("note")),
        }
        for result in claim.verdict_results
    ]


def _event_details(action: str, data: dict) -> list[tuple[str, str]]:
    details: list[tuple[str, str]] = []
    if data.get("verdict"):
        details.append((_("Verdict"), str(VERDICTS.get(data["verdict"], data["verdict"]))))
    if data.get("failed"):
        details.append((_("Rules failed"), ", ".join(data["failed"])))
    if isinstance(data.get("findings"), dict):
        found = [rule for rule, value in data["findings"].items() if value is True]
        if found:
            details.append((_("Found on inspection"), ", ".join(found)))
    if action == "claim.card_corrected":
        details.append(
            (_("Warranty card number"), f"{data.get('from', '')} → {data.get('to', '')}")
        )
    if data.get("claimed_on"):
        details.append((_("Claim made on"), data["claimed_on"]))
    if data.get("remedy_requested"):
        requested = data["remedy_requested"]
        details.append(
            (_("Remedy chosen by the claimant"), str(REMEDY_LABELS.get(requested, requested)))
        )
    if data.get("remedy"):
        details.append((_("Remedy"), str(REMEDY_LABELS.get(data["remedy"], data["remedy"]))))
    if data.get("replacement_model"):
        details.append((_("Replacement model"), data["replacement_model"]))
    if action == "claim.rejected" and data.get("failure_confirmed") is False:
        details.append((_("Performance failure confirmed"), str(_("No"))))
    if data.get("outcome") in Outcome.values:
        details.append((_("Outcome"), str(Outcome(data["outcome"]).label)))
    if data.get("replacement_serial"):
        details.append((_("Replacement serial number"), data["replacement_serial"]))
    if data.get("retained"):
        details.append((_("Retained items"), str(data["retained"])))
    return details


def _timeline(claim: Claim) -> list[dict]:
    return audit.timeline(
        selectors.claim_timeline(claim=claim),
        EVENT_LABELS,
        _event_details,
        states=dict(ClaimStatus.choices),
    )


def _detail_context(
    request, claim: Claim, *, bound: dict | None = None, error=None, done=None
) -> dict:
    user = request.user
    actions = allowed_actions(claim, user)
    findings = {f.rule: f for f in claim.findings.all()}
    bound = bound or {}
    forms: dict = {}
    if "record_findings" in actions:
        forms["record_findings"] = bound.get("record_findings") or FindingsForm(claim=claim)
        forms["attach_scans"] = bound.get("attach_scans") or ScansForm()
        forms["correct_card_no"] = bound.get("correct_card_no") or CardNumberForm(
            initial={"warranty_card_no": claim.warranty_card_no}
        )
    remedy_options: list = []
    if "judge" in actions:
        options = _replacement_options(user, claim)
        forms["judge"] = bound.get("judge") or JudgeForm(
            replacement_options=options,
            initial={"remedy": claim.remedy_requested},
            may_decide=can(user, "replacements.decide"),
        )
        if claim.verdict == policy.COVERED:
            remedy_options = _remedy_options(claim)
    if "resolve" in actions:
        models = [o.model for o in _replacement_options(user, claim) if o.ok]
        forms["resolve"] = bound.get("resolve") or ResolveForm(
            models=models,
            initial={"outcome": (_allowed_outcomes(claim) or [""])[0]},
            may_decide=can(user, "replacements.decide"),
        )
    terms = claim.terms or {}
    return {
        "claim": claim,
        "actions": actions,
        "forms": forms,
        "error": error,
        "done": DONE_MESSAGES.get(done) if done else None,
        "verdict_label": VERDICTS.get(claim.verdict, claim.verdict),
        "verdict_rows": _verdict_rows(claim, findings),
        "failed_rules": [r["rule"] for r in claim.verdict_results if r["outcome"] == policy.FAIL],
        "missing_rules": [
            r["rule"] for r in claim.verdict_results if r["outcome"] == policy.UNKNOWN
        ],
        "terms": terms,
        "category_terms": terms.get("category", {}),
        "category_terms_name": _category_name(terms.get("category", {}).get("code")),
        "remedy_options": remedy_options,
        "allowed_outcomes": _allowed_outcomes(claim) if "resolve" in actions else [],
        # I.2: the remedies open to the claim as stable codes, before judgement too.
        "open_remedies": [
            {"code": r, "label": REMEDY_LABELS.get(r, r)}
            for r in warranty.claim_open_remedies(claim)
        ],
        "retained_parts": list(claim.retained_parts.all()),
        # The claimant learns its unit was kept (II.4), not where the brand stores it.
        "show_part_location": can(request.user, "retained_parts.view"),
        "timeline": _timeline(claim),
        "is_htmx": is_htmx(request),
    }


claim_detail = record_page_view(
    selectors.claim_get, "claims/claim_detail.html", "claim-body", _detail_context
)


@never_cache
@login_required
@require_GET
def claim_scan(request, number: str, document: str):
    """A document scan of a claim, to whoever may see the claim (never a public URL)."""
    claim = selectors.claim_get(actor=request.user, number=number)
    field = getattr(claim, SCANS[document]) if document in SCANS else None
    if not field:
        raise NotFound(code="claims.document_not_found")
    return attached_file(field)


@never_cache
@login_required
@require_GET
def claim_finding_photo(request, number: str, rule: str):
    claim = selectors.claim_get(actor=request.user, number=number)
    finding = next((f for f in claim.findings.all() if f.rule == rule), None)
    if finding is None or not finding.photo:
        raise NotFound(code="claims.document_not_found")
    return attached_file(finding.photo)


@never_cache
@login_required
@require_GET
def claim_fault_file(request, number: str, pk: int):
    """A photo or video of the fault the consumer sent (issue 16 item 3), to whoever
    may see the claim, as an attachment."""
    claim = selectors.claim_get(actor=request.user, number=number)
    row = claim.fault_files.filter(pk=pk).exclude(file="").first()
    if row is None:
        raise NotFound(code="claims.document_not_found")
    return attached_file(row.file)


# --- Actions on a claim -------------------------------------------------------------------


def _act(
    request,
    number: str,
    action: str,
    call: Callable,
    *,
    make_form: Callable | None = None,
    permission: str | None = None,
):
    """Run one action: the role first (403 whatever the claim), then the claim
    (404 when not visible), then the form and the service. A refusal (400) or a
    conflict (409) answers the claim page with the message; success redirects
    back to it, or answers the updated fragment to htmx."""
    user = request.user
    require(user, permission or MOVES[action].permission)
    claim = selectors.claim_get(actor=user, number=number)
    form = make_form(request, claim) if make_form else None
    done = attempt(lambda: call(user, claim, form), form=form)
    if not done.ok:
        claim = selectors.claim_get(actor=user, number=number)  # as it is now
        context = _detail_context(
            request, claim, bound={action: form} if form is not None else None, error=done.error
        )
        context["failed_action"] = action
        return render_page(
            request, "claims/claim_detail.html", "claim-body", context, status=done.status
        )
    if is_htmx(request):
        claim = selectors.claim_get(actor=user, number=number)
        return render_page(
            request,
            "claims/claim_detail.html",
            "claim-body",
            _detail_context(request, claim, done=action),
        )
    messages.success(request, DONE_MESSAGES[action])
    return redirect("claims:claim_detail", number=claim.number)


# The POST view of one action on a claim, run by ``_act``: ``call(user, claim, form)``
# does it; ``make_form(request, claim)`` reads its form, if it has one.
_action_view = partial(action_view, _act)


def _move(service: Callable) -> Callable:
    """An action that takes nothing but the claim and the actor."""
    return lambda user, claim, form: service(claim=claim, actor=user)


claim_start_judgement = _action_view("start_judgement", _move(services.claim_start_judgement))

claim_record_findings = _action_view(
    "record_findings",
    lambda user, claim, form: services.claim_record_findings(
        claim=claim, actor=user, findings=form.findings(answered_only=False)
    ),
    make_form=lambda request, claim: FindingsForm(request.POST, request.FILES, claim=claim),
)

claim_attach_scans = _action_view(
    "attach_scans",
    lambda user, claim, form: services.claim_attach_scans(
        claim=claim,
        actor=user,
        proof_of_purchase_scan=form.cleaned_data.get("proof_of_purchase_scan") or None,
        warranty_card_scan=form.cleaned_data.get("warranty_card_scan") or None,
    ),
    make_form=lambda request, claim: ScansForm(request.POST, request.FILES),
    permission=MOVES["record_findings"].permission,
)


claim_correct_card_no = _action_view(
    "correct_card_no",
    lambda user, claim, form: services.claim_correct_card_no(
        claim=claim, actor=user, warranty_card_no=form.cleaned_data.get("warranty_card_no")
    ),
    make_form=lambda request, claim: CardNumberForm(request.POST),
    permission=MOVES["record_findings"].permission,
)


def _model_or_none(user, code: str) -> ProductModel | None:
    """The product model of a code chosen in a form; an unknown code is no model
    (the service then says a replacement model is required)."""
    if not code:
        return None
    return _found_or_none(catalog_selectors.product_model_get, actor=user, code=code)


def _judge(user, claim, form):
    data = form.cleaned_data
    services.claim_judge(
        claim=claim,
        actor=user,
        failure_confirmed=data["failure_confirmed"],
        remedy=data.get("remedy") or "",
        replacement_model=_model_or_none(user, data.get("replacement_model") or ""),
        repair_impossible=bool(data.get("repair_impossible")),
        note=data.get("note") or "",
        replacement_decision=data.get("replacement_decision") or "",
    )


claim_judge = _action_view(
    "judge",
    _judge,
    make_form=lambda request, claim: JudgeForm(
        request.POST,
        replacement_options=_replacement_options(request.user, claim),
        may_decide=can(request.user, "replacements.decide"),
    ),
)

claim_start_service = _action_view("start_service", _move(services.claim_start_service))


def _resolve(user, claim, form):
    data = form.cleaned_data
    services.claim_resolve(
        claim=claim,
        actor=user,
        replacement_model=_model_or_none(user, data.get("replacement_model") or ""),
        retained_parts=form.retained_parts(),
        **cleaned_texts(form, "outcome", "retained_location", "replacement_serial", "note"),
        **cleaned_texts(form, "replacement_card_no", "replacement_decision", "return_waybill"),
    )


claim_resolve = _action_view(
    "resolve",
    _resolve,
    make_form=lambda request, claim: ResolveForm(
        request.POST,
        models=[o.model for o in _replacement_options(request.user, claim) if o.ok],
        may_decide=can(request.user, "replacements.decide"),
    ),
)

claim_close = _action_view("close", _move(services.claim_close))


# --- Retained parts -----------------------------------------------------------------------


def _part_list(request):
    form = RetainedPartFilterForm(request.GET)
    return form, selectors.retained_part_list(actor=request.user, **form.filters())


def retained_part_rows(request):
    """The ledger's rows the page lists for this request's filter, every page of them."""
    return _part_list(request)[1]


retained_part_list_xlsx = list_export_view(retained_part_rows, documents.RETAINED_PARTS)


def _part_list_context(request, *, error=None, failed_pk=None, bound=None) -> dict:
    user = request.user
    form, parts = _part_list(request)
    return {
        "form": form,
        "page": page_of(request, parts, PARTS_PER_PAGE),
        "can_manage": can(user, "retained_parts.manage"),
        "show_holder": user.is_platform,
        "dispose_form": DisposeForm(),
        "error": error,
        "failed_pk": failed_pk,
        "bound": bound,
    }


@login_required
@require_GET
def retained_part_list(request):
    """II.4: the ledger of units and parts taken in under warranty. Nothing in it
    is ever returned to the user; a part leaves it only by a disposal."""
    context = _part_list_context(request)
    return render_page(request, "claims/retained_part_list.html", "part-results", context)


@login_required
@require_POST
def retained_part_dispose(request, pk: int):
    user = request.user
    require(user, "retained_parts.manage")
    part = selectors.retained_part_get(actor=user, pk=pk)
    form = DisposeForm(request.POST)
    done = attempt(
        lambda: services.retained_part_dispose(
            part=part,
            actor=user,
            disposal=form.cleaned_data.get("disposal") or "",
            note=form.cleaned_data.get("note") or "",
        ),
        form=form,
    )
    if not done.ok:
        exc = done.error
        part = selectors.retained_part_get(actor=user, pk=pk)
        if is_htmx(request):
            context = {
                "part": part,
                "error": exc,
                "bound": form,
                "failed_pk": part.pk,
                "can_manage": True,
                "show_holder": user.is_platform,
                "dispose_form": DisposeForm(),
            }
            return render(
                request,
                "claims/retained_part_list.html#part-row",
                context,
                status=exc.status,
            )
        context = _part_list_context(request, error=exc, failed_pk=part.pk, bound=form)
        return render(request, "claims/retained_part_list.html", context, status=exc.status)
    if is_htmx(request):
        context = {
            "part": selectors.retained_part_get(actor=user, pk=pk),
            "can_manage": True,
            "show_holder": user.is_platform,
            "dispose_form": DisposeForm(),
            "disposed_now": True,
        }
        return render(request, "claims/retained_part_list.html#part-row", context)
    messages.success(request, _("The disposal was recorded."))
    return redirect("claims:retained_part_list")
