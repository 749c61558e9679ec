"""Shipments back to a return unit (IV.7, IV.6): the list, preparing one, its page,
dispatching and cancelling it; the delivery lists are downloads (``documents``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import can, require
from sanbao.core.tenancy import typed_number
from sanbao.core.web import attempt, list_export_view, page_of, render_page
from sanbao.returns import selectors, services
from sanbao.returns.documents import lists
from sanbao.returns.forms import (
    DispatchForm,
    ShipmentFilterForm,
    ShipmentForm,
)
from sanbao.returns.models import (
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.views.shared import return_orgs

SHIPMENTS_PER_PAGE = 50
# --- Shipments and their delivery lists (IV.7, IV.6) --------------------------------------


def _shipment_list(request):
    user = request.user
    require(user, "returns.view")
    form = ShipmentFilterForm(
        request.GET, return_orgs=return_orgs(user) if user.is_platform else None
    )
    shipments = selectors.shipment_list(actor=user, **form.filters())
    return form, shipments


def shipment_rows(request):
    """The shipments the list page lists for this request, every page of them."""
    return _shipment_list(request)[1]


shipment_list_xlsx = list_export_view(shipment_rows, lists.SHIPMENTS)


@login_required
@require_GET
def shipment_list(request):
    """Shipments: every one for the platform, a return unit's own for it."""
    user = request.user
    form, shipments = _shipment_list(request)
    context = {
        "form": form,
        "page": page_of(request, shipments, SHIPMENTS_PER_PAGE),
        "show_return_org": user.is_platform,
        "can_create": can(user, "returns.receive"),
    }
    return render_page(request, "returns/shipment_list.html", "shipment-results", context)


def _create_context(
    request, return_org: str, form: ShipmentForm, batch_number: str = "", **extra
) -> dict:
    """The return units with units waiting, and those of the chosen one grouped by
    batch, with its delayed units still to follow (IV.6). Only the units of the
    batch the page was opened from (``batch_number``) are ticked, never every
    ready unit of the return unit across its batches; delayed units (a backorder)
    are not ticked unless chosen (IV.6)."""
    user = request.user
    waiting = selectors.return_orgs_to_ship(actor=user)
    codes = [code for code, _count in waiting]
    names = {
        o.code: o.display_name
        for o in account_selectors.organisation_list(actor=user).filter(code__in=codes)
    }
    groups: list[dict] = []
    if return_org:
        chosen = form.chosen()
        for unit in selectors.units_to_ship(actor=user, return_org=return_org):
            if not groups or groups[-1]["batch"].pk != unit.batch_id:
                groups.append({"batch": unit.batch, "rows": []})
            checked = (
                unit.pk in chosen
                if form.is_bound
                else not unit.delay_reason and unit.batch.number == batch_number
            )
            groups[-1]["rows"].append({"unit": unit, "checked": checked})
    context = {
        "orgs": [{"code": c, "name": names.get(c, ""), "count": n} for c, n in waiting],
        "return_org": return_org,
        "return_org_name": names.get(return_org, ""),
        "groups": groups,
        "has_backorder": any(r["unit"].delay_reason for g in groups for r in g["rows"]),
        "to_follow": list(selectors.units_to_follow(actor=user, return_org=return_org))
        if return_org
        else [],
        "form": form,
        "error": None,
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def shipment_create(request):
    """Prepare a shipment: choose the return unit, tick the units to send back (a
    delayed unit goes with the return unit's order, IV.6), then the carrier; the
    delivery list is printed from the shipment's page (IV.7)."""
    user = request.user
    require(user, "returns.receive")
    if request.method == "GET":
        return_org = (request.GET.get("return_org") or "").strip()
        batch_number = typed_number(request.GET.get("batch"))
        form = ShipmentForm(initial={"return_org_code": return_org})
        context = _create_context(request, return_org, form, batch_number)
        return render(request, "returns/shipment_create.html", context)
    form = ShipmentForm(request.POST)
    return_org = (request.POST.get("return_org_code") or "").strip()
    done = attempt(lambda: services.shipment_create(actor=user, **form.service_kwargs()), form=form)
    if not done.ok:
        context = _create_context(request, return_org, form, error=done.error)
        return render(request, "returns/shipment_create.html", context, status=done.status)
    shipment = done.result
    messages.success(
        request,
        _("Shipment %(number)s was prepared: print its delivery list and pack against it.")
        % {"number": shipment.number},
    )
    return redirect("returns:shipment_detail", number=shipment.number)


def _shipment_context(request, shipment: Shipment, **extra) -> dict:
    user = request.user
    units = list(selectors.shipment_units(shipment))
    batches = list(selectors.shipment_batches(shipment))
    per_batch: dict[int, int] = defaultdict(int)
    for unit in units:
        per_batch[unit.batch_id] += 1
    manage = can(user, "returns.receive") and shipment.status == ShipmentStatus.PREPARED
    context = {
        "shipment": shipment,
        "units": units,
        "batches": [{"batch": b, "units": per_batch[b.pk]} for b in batches],
        "backorder": sum(1 for u in units if u.delay_reason),
        "charged_total": sum((u.charge_amount or 0) for u in units),
        "can_manage": manage,
        "dispatch_form": DispatchForm(
            initial={"waybill_no": shipment.waybill_no, "carrier": shipment.carrier}
        ),
        "show_people": user.is_platform,
        "error": None,
        "failed_action": None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def shipment_detail(request, number: str):
    shipment = selectors.shipment_get(actor=request.user, number=number)
    return render(request, "returns/shipment_detail.html", _shipment_context(request, shipment))


def _shipment_act(request, number: str, action: str, call: Callable, form=None):
    """dispatch / cancel: the role (403), the shipment (404), the service; a refusal
    or conflict answers the shipment page with it; success redirects to it."""
    user = request.user
    require(user, "returns.receive")
    shipment = selectors.shipment_get(actor=user, number=number)
    done = attempt(lambda: call(user, shipment, form), form=form)
    if not done.ok:
        shipment = selectors.shipment_get(actor=user, number=number)
        extra = {"error": done.error, "failed_action": action}
        if form is not None:
            extra["dispatch_form"] = form
        context = _shipment_context(request, shipment, **extra)
        return render(request, "returns/shipment_detail.html", context, status=done.status)
    messages.success(request, done.result)
    return redirect("returns:shipment_detail", number=shipment.number)


@login_required
@require_POST
def shipment_dispatch(request, number: str):
    """The shipment leaves with its waybill; each batch it completes is shipped on
    time or so many working days late (IV.5)."""

    def call(user, shipment, form):
        shipment = services.shipment_dispatch(
            shipment=shipment,
            actor=user,
            waybill_no=form.cleaned_data.get("waybill_no") or "",
            carrier=form.cleaned_data.get("carrier") or "",
        )
        return _("Shipment %(number)s left with waybill %(waybill)s.") % {
            "number": shipment.number,
            "waybill": shipment.waybill_no,
        }

    return _shipment_act(request, number, "dispatch", call, DispatchForm(request.POST))


@login_required
@require_POST
def shipment_cancel(request, number: str):
    def call(user, shipment, form):
        services.shipment_cancel(shipment=shipment, actor=user)
        return _("Shipment %(number)s was cancelled: its units may go in another.") % {
            "number": shipment.number
        }

    return _shipment_act(request, number, "cancel", call)
