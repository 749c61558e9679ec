"""The workshop (IV.5, IV.6, IV.P2): testing a received batch, delaying it, and
the page of one returned unit where it is tested, dealt with or delayed."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sanbao.accounts.roles import can, require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.core.errors import NotFound
from sanbao.core.uploads import attached_file
from sanbao.core.web import attempt, is_htmx, redirect_after, render_page
from sanbao.returns import selectors, services
from sanbao.returns.forms import (
    DelayForm,
    UnitDisposeForm,
    UnitTestForm,
)
from sanbao.returns.models import (
    ReturnBatch,
    ReturnedUnit,
)
from sanbao.returns.policy import EXCLUSION_RULES, dispositions_open, photo_required
from sanbao.returns.states import MOVES, allowed_actions
from sanbao.returns.views.batches import batch_action_view, move

# --- The workshop: testing, dispositions and delays (IV.5, IV.6, IV.P2) --------------------


# A received batch goes to testing: one returned unit per unit that arrived.
testing_start = batch_action_view("start_testing", move(services.testing_start))

# IV.6: every unit of the batch not yet shipped is delayed.
batch_delay = batch_action_view(
    "delay",
    lambda user, batch, form: services.batch_delay(
        batch=batch,
        actor=user,
        reason=form.cleaned_data.get("reason") or "",
        note=form.cleaned_data.get("note") or "",
    ),
    make_form=lambda request, batch: DelayForm(request.POST, auto_id="batch_delay_%s"),
    bound_key=lambda batch, form: {"delay": form},
)


# --- The page of one returned unit --------------------------------------------------------


def _unit_url(batch: ReturnBatch, seq: int) -> str:
    return reverse("returns:unit_detail", args=[batch.number, seq])


def _neighbours(batch: ReturnBatch, unit: ReturnedUnit) -> dict:
    """The previous and next unit of the batch, and the next one (after this one,
    else from the start) still to be dealt with, to work through a batch."""
    units = batch.units.order_by("seq")
    previous = units.filter(seq__lt=unit.seq).order_by("-seq").values_list("seq", flat=True)
    following = units.filter(seq__gt=unit.seq).values_list("seq", flat=True)
    waiting = units.filter(disposition="", delay_reason="").exclude(pk=unit.pk)
    todo = (
        waiting.filter(seq__gt=unit.seq).values_list("seq", flat=True).first()
        or waiting.values_list("seq", flat=True).first()
    )
    return {
        "previous_seq": previous.first(),
        "next_seq": following.first(),
        "todo_seq": todo,
        "unit_total": units.count(),
    }


def _unit_forms(user, unit: ReturnedUnit, bound: dict) -> dict:
    """The forms the user may use on the unit now, by what the batch's state, the
    role and the unit allow (the service checks them again)."""
    actions = allowed_actions(unit.batch, user)
    free = unit.shipment_id is None
    can_test = "test" in actions and not unit.disposition and free
    can_dispose = "dispose" in actions and bool(unit.result) and not unit.disposition and free
    can_delay = "delay" in actions and free
    models = (
        list(catalog_selectors.product_model_list(actor=user)) if can_test or can_dispose else []
    )
    forms: dict = {}
    if can_test:
        forms["test"] = bound.get("test") or UnitTestForm(
            models=models,
            auto_id="test_%s",
            initial={
                "result": unit.result,
                "excluded_rule": unit.excluded_rule,
                "evidence": unit.evidence,
                "serial_in": unit.serial_in,
                "model_code": unit.model.code if unit.model else "",
            },
        )
    if can_dispose:
        forms["dispose"] = bound.get("dispose") or UnitDisposeForm(
            open_dispositions=dispositions_open(unit.result),
            models=models,
            auto_id="dispose_%s",
            initial={"replacement_model_code": unit.model.code if unit.model else ""},
            may_decide=can(user, "replacements.decide"),
        )
    if can_delay:
        forms["delay"] = bound.get("delay") or DelayForm(
            auto_id="delay_%s",
            initial={"reason": unit.delay_reason, "note": unit.delay_note},
        )
    return forms


def _unit_context(request, batch: ReturnBatch, unit: ReturnedUnit, **extra) -> dict:
    user = request.user
    unit.batch = batch
    bound = extra.pop("bound", None) or {}
    photo_name = unit.photo.name.lower() if unit.photo else ""
    context = {
        "batch": batch,
        "unit": unit,
        "forms": _unit_forms(user, unit, bound),
        "unlisted": unit.line_id is None,
        "photo_is_image": photo_name.endswith((".png", ".jpg", ".jpeg")),
        "rule_title": RULE_TITLES.get(unit.excluded_rule, ""),
        # The exclusions the unit itself shows are proved by a photo.
        "photo_rules": [rule for rule in EXCLUSION_RULES if photo_required("excluded", rule)],
        "show_people": user.is_platform,
        "error": None,
        "failed_action": None,
        "is_htmx": is_htmx(request),
    }
    context.update(_neighbours(batch, unit))
    context.update(extra)
    return context


@login_required
@require_GET
def unit_detail(request, number: str, seq: int):
    """One returned unit: what is known of it, its test, what was done with it, a
    delay, the shipment that took it back; the forms for whoever tests and deals
    with units (a return unit reads it)."""
    user = request.user
    batch = selectors.batch_get(actor=user, number=number)
    unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
    return render_page(
        request, "returns/unit_detail.html", "unit-body", _unit_context(request, batch, unit)
    )


@never_cache
@login_required
@require_GET
def unit_photo(request, number: str, seq: int):
    """The photo taken at a unit's test, to whoever may see the batch (never a
    public URL)."""
    batch = selectors.batch_get(actor=request.user, number=number)
    unit = selectors.returned_unit_of(actor=request.user, batch=batch, seq=seq)
    if not unit.photo:
        raise NotFound(code="returns.photo_not_found")
    return attached_file(unit.photo)


UNIT_DONE = {
    "test": _("Unit %(seq)s (%(code)s): the test was recorded."),
    "dispose": _("Unit %(seq)s (%(code)s) was dealt with: %(disposition)s."),
    "delay": _("Unit %(seq)s (%(code)s) is marked delayed (IV.6)."),
}


def _unit_act(request, number: str, seq: int, action: str, form_for: Callable, call: Callable):
    """An action on one unit: the role (403), the batch and the unit (404), the form
    and the service. A refusal (400) or a conflict (409) answers the unit page with
    the message by its field; success redirects (PRG): after a test, back to the
    unit for its disposition; after a disposition, on to the next unit still to be
    dealt with (the batch page once there is none)."""
    user = request.user
    require(user, MOVES[action].permission)
    batch = selectors.batch_get(actor=user, number=number)
    unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
    unit.batch = batch
    form = form_for(user, unit)
    done = attempt(lambda: call(user, unit, form), form=form)
    if not done.ok:
        batch = selectors.batch_get(actor=user, number=number)
        unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
        context = _unit_context(
            request, batch, unit, bound={action: form}, error=done.error, failed_action=action
        )
        return render_page(
            request, "returns/unit_detail.html", "unit-body", context, status=done.status
        )
    unit = done.result
    params = {"seq": unit.seq, "code": unit.code}
    if action == "dispose":
        params["disposition"] = unit.get_disposition_display()
    messages.success(request, UNIT_DONE[action] % params)
    target = _unit_url(batch, unit.seq)
    if action == "dispose":
        todo = _neighbours(batch, unit)["todo_seq"]
        if todo is not None:
            target = _unit_url(batch, todo)
        else:
            target = reverse("returns:batch_detail", args=[batch.number])
    return redirect_after(request, target)


@login_required
@require_POST
def unit_test(request, number: str, seq: int):
    """The test of a unit (IV.P2): the result, the rule and evidence of an
    exclusion with its photo (multipart), the serial read off the unit."""

    def form_for(user, unit):
        models = catalog_selectors.product_model_list(actor=user)
        return UnitTestForm(request.POST, request.FILES, models=models, auto_id="test_%s")

    return _unit_act(
        request,
        number,
        seq,
        "test",
        form_for,
        lambda user, unit, form: services.unit_test(unit=unit, actor=user, **form.service_kwargs()),
    )


@login_required
@require_POST
def unit_dispose(request, number: str, seq: int):
    """What is done with a tested unit: repaired or replaced (II.3, II.4), returned
    as is or charged (IV.P2)."""

    def form_for(user, unit):
        return UnitDisposeForm(
            request.POST,
            open_dispositions=dispositions_open(unit.result),
            models=catalog_selectors.product_model_list(actor=user),
            auto_id="dispose_%s",
            may_decide=can(user, "replacements.decide"),
        )

    return _unit_act(
        request,
        number,
        seq,
        "dispose",
        form_for,
        lambda user, unit, form: services.unit_dispose(
            unit=unit, actor=user, **form.service_kwargs()
        ),
    )


@login_required
@require_POST
def unit_delay(request, number: str, seq: int):
    """IV.6: the unit goes back later, with the return unit's next order."""
    return _unit_act(
        request,
        number,
        seq,
        "delay",
        lambda user, unit: DelayForm(request.POST, auto_id="delay_%s"),
        lambda user, unit, form: services.unit_delay(
            unit=unit,
            actor=user,
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
        ),
    )
