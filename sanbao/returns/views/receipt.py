"""Receipt (IV.1, IV.3, IV.4): opening it, the receipt page where staff count by
scanning, units without a label or not on the list, counts by hand, closing it;
the anomalies it opens, their contact tasks, and the list of anomalies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from sanbao.accounts.roles import require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.core.errors import NotFound, ValidationFailed
from sanbao.core.forms import SortForm, cleaned_texts
from sanbao.core.web import action_view, attempt, is_htmx, list_export_view, page_of
from sanbao.documents import registry
from sanbao.notifications import services as notifications
from sanbao.notifications.models import AttemptOutcome
from sanbao.returns import selectors, services
from sanbao.returns.documents import lists
from sanbao.returns.errors import MESSAGES
from sanbao.returns.forms import (
    CloseReceiptForm,
    ContactAttemptForm,
    ReceiptOpenForm,
    RecordUnitForm,
    ResolveAnomalyForm,
    ScanForm,
    SetCountForm,
)
from sanbao.returns.models import (
    BatchStatus,
    ReceiptAnomaly,
    ReturnBatch,
    ScanKind,
)
from sanbao.returns.states import MOVES
from sanbao.returns.views.batches import batch_action, batch_action_view, task_of

ANOMALIES_PER_PAGE = 50


receipt_open = batch_action_view(
    "open_receipt",
    lambda user, batch, form: services.receipt_open(
        batch=batch, actor=user, received_on=form.cleaned_data.get("received_on")
    ),
    make_form=lambda request, batch: ReceiptOpenForm(request.POST),
    bound_key=lambda batch, form: {"open_receipt": form},
    done_url=lambda batch: _receipt_url(batch),
)


def _anomaly_of(user, batch: ReturnBatch, pk: int) -> ReceiptAnomaly:
    anomaly = selectors.anomaly_get(actor=user, pk=pk)
    if anomaly.batch_id != batch.pk:
        raise NotFound(code="returns.anomaly_not_found")
    return anomaly


@login_required
@require_POST
def anomaly_resolve(request, number: str, pk: int):
    def call(user, batch, form):
        anomaly = _anomaly_of(user, batch, pk)
        services.anomaly_resolve(anomaly=anomaly, actor=user, note=form.cleaned_data["note"] or "")

    return batch_action(
        request,
        number,
        "resolve_anomaly",
        call,
        make_form=lambda request, batch: ResolveAnomalyForm(request.POST, prefix=f"a{pk}"),
        bound_key=lambda batch, form: {("resolve", pk): form},
    )


@login_required
@require_POST
def contact_attempt(request, number: str, pk: int):
    """IV.4: a telephone call or fax to the return unit, carried out by a person,
    and its outcome."""

    def call(user, batch, form):
        texts = cleaned_texts(
            form, "channel", "outcome", "contact_person", "number_or_address", "note"
        )
        notifications.attempt_record(task=task_of(user, batch, pk), actor=user, **texts)

    return batch_action(
        request,
        number,
        "contact",
        call,
        permission="contacts.manage",
        make_form=lambda request, batch: ContactAttemptForm(request.POST, prefix=f"t{pk}"),
        bound_key=lambda batch, form: {("contact", pk): form, "task": pk},
    )


@login_required
@require_POST
def contact_email(request, number: str, pk: int):
    """E-mail the anomaly notice (PDF attached) to the return unit through
    Django's mail backend; the attempt records whether it was accepted."""

    def call(user, batch, form):
        task = task_of(user, batch, pk)
        notice = registry.file("returns.anomaly_notice_pdf", batch)
        notifications.task_send_email(task=task, actor=user, attachments=[notice.as_attachment()])
        last = task.attempts.order_by("-at", "-id").first()
        if last is not None and last.outcome == AttemptOutcome.EMAIL_FAILED:
            return str(_("The e-mail could not be sent: %(reason)s") % {"reason": last.note})
        return str(_("The notice was e-mailed to %(address)s.") % {"address": task.recipient.email})

    return batch_action(
        request,
        number,
        "email",
        call,
        permission="contacts.manage",
        bound_key=lambda batch, form: {"task": pk},
    )


# --- The receipt page ---------------------------------------------------------------------


def _receipt_url(batch: ReturnBatch) -> str:
    return reverse("returns:receipt", args=[batch.number])


def _counts_context(batch: ReturnBatch) -> dict:
    """Running counts per line and per box, and the totals, with what was declared."""
    counts = services.receipt_counts(batch)
    lines = {line.line_no: line for line in batch.lines.select_related("model").order_by("line_no")}
    declared_by_box: dict[int, int] = defaultdict(int)
    for line in lines.values():
        declared_by_box[line.box_no] += line.quantity
    boxes = sorted(set(declared_by_box) | set(counts["boxes"]))
    rows = []
    for x in counts["lines"]:
        line = lines[x["line_no"]]
        rows.append(
            {
                **x,
                "line": line,
                "state": "ok"
                if x["counted"] == x["declared"]
                else ("short" if x["counted"] < x["declared"] else "over"),
            }
        )
    return {
        "counts": counts,
        "count_rows": rows,
        "box_rows": [
            {"box": b, "declared": declared_by_box.get(b, 0), "scanned": counts["boxes"].get(b, 0)}
            for b in boxes
        ],
        "lines_by_no": lines,
    }


def _receipt_context(request, batch: ReturnBatch, **extra) -> dict:
    receiving = batch.status == BatchStatus.RECEIVING
    context = {
        "batch": batch,
        "receiving": receiving,
        "box_choices": range(1, batch.declared_boxes + 1),
        "models": list(catalog_selectors.product_model_list(actor=request.user)),
        "scan_form": ScanForm(),
        "unit_form": RecordUnitForm(),
        "close_form": CloseReceiptForm(),
        "count_forms": {},
        "feedback": None,
        "is_htmx": is_htmx(request),
    }
    context.update(_counts_context(batch))
    context.update(extra)
    return context


@login_required
@require_GET
def receipt(request, number: str):
    """The receipt page: a scan field a keyboard-wedge scanner types into, the
    running counts, units without a label or not on the list, counts by hand and
    missing accessories, and closing the receipt (IV.1, IV.3, IV.4)."""
    user = request.user
    # The batch first: another organisation's batch is not found (404), like
    # every other page; then the role (403) for those who may only see it.
    batch = selectors.batch_get(actor=user, number=number)
    require(user, "returns.receive")
    return render(request, "returns/receipt.html", _receipt_context(request, batch))


def _receipt_answer(request, batch, feedback: dict, *, status: int = 200, **extra):
    """For htmx: the feedback line and the counts panel (out of band). Without
    JavaScript: the page again on a refusal, else a redirect to it."""
    if is_htmx(request):
        context = _receipt_context(request, batch, feedback=feedback, oob=True, **extra)
        response = render(request, "returns/receipt.html#receipt-answer", context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if status >= 400:
        context = _receipt_context(request, batch, feedback=feedback, **extra)
        return render(request, "returns/receipt.html", context, status=status)
    level = messages.SUCCESS if feedback["result"] == "counted" else messages.WARNING
    messages.add_message(request, level, feedback["text"])
    return redirect(_receipt_url(batch))


def _receipt_action(request, number: str, form_class, call: Callable, *, form_key: str):
    """A counting action: role, batch, form, service; the answer by ``_receipt_answer``."""
    user = request.user
    require(user, MOVES["scan"].permission)
    batch = selectors.batch_get(actor=user, number=number)
    form = form_class(request.POST)
    done = attempt(lambda: call(user, batch, form), form=form)
    if not done.ok:
        exc = done.error
        batch = selectors.batch_get(actor=user, number=number)
        code = (request.POST.get("code") or "").strip()[:60]
        feedback = {"result": "refused", "text": exc.message, "code": code, "error": exc}
        return _receipt_answer(
            request, batch, feedback, status=exc.status, **{form_key: form, "error": exc}
        )
    return _receipt_answer(request, batch, done.result)


def _count_label(user, batch, form) -> dict:
    """One label scanned (IV.3). Idempotent: a label counts once however often it
    arrives; the answer says whether this scan counted it."""
    result = services.receipt_scan(
        batch=batch,
        actor=user,
        code=form.cleaned_data.get("code") or "",
        box_no=form.cleaned_data.get("box_no"),
    )
    params = {"code": result.code, "line": result.line_no, "box": result.box_no or "—"}
    if result.created:
        text = _("%(code)s counted: line %(line)s, box %(box)s.") % params
    else:
        text = _("%(code)s was already counted (line %(line)s): it counts once.") % params
    return {
        "result": "counted" if result.created else "again",
        "text": str(text),
        "code": result.code,
        "line_no": result.line_no,
    }


receipt_scan = action_view(_receipt_action, ScanForm, _count_label, form_key="scan_form")


def _record_unit(user, batch, form) -> dict:
    """A unit that arrived without a label, or that is not on the packing list (IV.4)."""
    data = form.cleaned_data
    scan = services.receipt_record_unit(
        batch=batch,
        actor=user,
        kind=data.get("kind") or "",
        box_no=data.get("box_no"),
        model_code=(data.get("model_code") or "").strip(),
        line_no=data.get("line_no"),
        note=data.get("note") or "",
    )
    if scan.kind == ScanKind.UNLABELLED:
        text = _("A unit without a label was recorded.")
    else:
        text = _("A unit not on the packing list was recorded.")
    return {"result": "counted", "text": str(text), "code": scan.code}


receipt_record_unit = action_view(
    _receipt_action, RecordUnitForm, _record_unit, form_key="unit_form"
)


def _set_count(user, batch, form) -> dict:
    """A line counted by hand, and the accessories missing from it."""
    data = form.cleaned_data
    if data.get("line_no") is None:
        raise ValidationFailed(
            MESSAGES["returns.value_required"],
            code="returns.value_required",
            fields={"line_no": [MESSAGES["returns.value_required"]]},
        )
    line = services.receipt_set_count(
        batch=batch,
        actor=user,
        line_no=data["line_no"],
        counted=data.get("counted"),
        accessories_missing=form.missing(),
    )
    if line.counted is None:
        text = _("Line %(line)s: counted by scanning again.") % {"line": line.line_no}
    else:
        text = _("Line %(line)s: %(counted)s counted by hand.") % {
            "line": line.line_no,
            "counted": line.counted,
        }
    return {"result": "counted", "text": str(text), "code": "", "line_no": line.line_no}


receipt_set_count = action_view(_receipt_action, SetCountForm, _set_count, form_key="count_form")


@login_required
@require_POST
def receipt_close(request, number: str):
    """Close the receipt with the boxes received. The physical count prevails
    (IV.1); a difference opens anomalies and a contact task (IV.4)."""
    user = request.user
    require(user, MOVES["close_receipt"].permission)
    batch = selectors.batch_get(actor=user, number=number)
    form = CloseReceiptForm(request.POST)

    def close():
        received = form.cleaned_data.get("received_boxes")
        if received is None:
            raise ValidationFailed(
                MESSAGES["returns.value_required"],
                code="returns.value_required",
                fields={"received_boxes": [MESSAGES["returns.value_required"]]},
            )
        services.receipt_close(batch=batch, actor=user, received_boxes=received)

    done = attempt(close, form=form)
    if not done.ok:
        batch = selectors.batch_get(actor=user, number=number)
        context = _receipt_context(request, batch, close_form=form, error=done.error)
        return render(request, "returns/receipt.html", context, status=done.status)
    if batch.status == BatchStatus.ON_HOLD:
        text = _(
            "Receipt closed. What arrived differs from the packing list: the batch is on "
            "hold and the return unit must be told (IV.4)."
        )
        messages.warning(request, text)
    else:
        messages.success(request, _("Receipt closed: the batch matches its packing list."))
    return redirect("returns:batch_detail", number=batch.number)


# --- Receipt anomalies --------------------------------------------------------------------


def _anomaly_list(request):
    show_all = request.GET.get("show") == "all"
    form = SortForm(request.GET, sorting=selectors.ANOMALY_SORTS)
    anomalies = selectors.anomaly_list(actor=request.user, open_only=not show_all, **form.filters())
    return form, anomalies


def anomaly_rows(request):
    """The anomalies the list page lists (``?show=all``: resolved ones too), every
    page of them."""
    return _anomaly_list(request)[1]


anomaly_list_xlsx = list_export_view(anomaly_rows, lists.ANOMALIES)


@login_required
@require_GET
def anomaly_list(request):
    """IV.4: the receipt anomalies the user may see: the platform's work list, or a
    return unit's own anomalies with their notices."""
    user = request.user
    show_all = request.GET.get("show") == "all"
    form, anomalies = _anomaly_list(request)
    page = page_of(request, anomalies, ANOMALIES_PER_PAGE)
    rows = [{"anomaly": a, "sentence": services.anomaly_line(a)} for a in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "show_all": show_all,
        "show_return_org": user.is_platform,
    }
    return render(request, "returns/anomaly_list.html", context)
