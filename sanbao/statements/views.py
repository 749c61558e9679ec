"""The statement page and the look-up page (IV.8), and their downloads.

Both read the one structure ``statement.statement_for`` / ``records_for``
builds, the page in the reader's language and the papers in both. A return unit
reads its own only: another's code, in the page's query or a download's address,
is a 404 (``DomainErrorMiddleware``); platform staff choose the return unit. A
period past the retention window answers the page with the message by its field.
Papers name what a return unit sent and was charged: never cached."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts import selectors as accounts
from sanbao.accounts.roles import require
from sanbao.core.web import attempt, download, render_page
from sanbao.documents import registry
from sanbao.statements.forms import RecordsForm, StatementForm
from sanbao.statements.statement import (
    RETURN_UNIT_KINDS,
    earliest_day,
    last_month,
    records_for,
    rows_shown,
    statement_for,
    totals_shown,
)


def _return_units(user):
    """Agents and enterprises, for platform staff to choose from; None for a return unit."""
    if not user.is_platform:
        return None
    return (
        accounts.organisation_list(actor=user)
        .filter(kind__in=RETURN_UNIT_KINDS, is_active=True)
        .order_by("code")
    )


def _shown(statement) -> list[dict]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "headers": s.headers,
            "rows": rows_shown(s),
            "totals": totals_shown(s),
        }
        for s in statement.sections
    ]


def _page(request, form_class, build, *, template: str, partial: str, default, papers):
    user = request.user
    require(user, "statements.view")
    data = request.GET.copy()
    for key, day in zip(("start", "end"), default, strict=True):
        if not data.get(key):
            data[key] = day.isoformat()
    form = form_class(data, return_units=_return_units(user))
    # A return unit's own, whatever it names (another's is a 404).
    organisation = request.GET.get("organisation") or ""
    result = None
    if not user.is_platform or organisation:
        done = attempt(
            lambda: build(
                actor=user,
                organisation=organisation,
                **{k: v for k, v in form.filters().items() if k != "organisation"},
            ),
            form=form,
        )
        result = done.result
        status = done.status
    else:
        status = 200
    context = {"form": form, "statement": result, "earliest": earliest_day()}
    if result is not None:
        query = urlencode({"start": result.start.isoformat(), "end": result.end.isoformat()})
        extra = {k: v for k, v in (form.filters().items()) if k in ("batch", "serial")}
        if extra:
            query += "&" + urlencode(extra)
        context["sections"] = _shown(result)
        context["papers"] = [
            (label, f"{reverse(f'statements:{name}', args=[result.code])}?{query}")
            for label, name in papers
        ]
    return render_page(request, template, partial, context, status=status)


@login_required
@require_GET
def statement(request):
    """The reconciliation statement of a return unit for a period (last month by default)."""
    return _page(
        request,
        StatementForm,
        statement_for,
        template="statements/statement.html",
        partial="statement-results",
        default=last_month(),
        papers=(("PDF", "statement_pdf"), ("XLSX", "statement_xlsx")),
    )


@login_required
@require_GET
def records(request):
    """A return unit's repair and delivery data by period, batch or serial."""
    return _page(
        request,
        RecordsForm,
        records_for,
        template="statements/records.html",
        partial="records-results",
        default=(earliest_day(), timezone.localdate()),
        papers=(("XLSX", "records_xlsx"), ("CSV", "records_csv")),
    )


def _paper(build, name: str, *, narrowed: bool = False):
    """The download of the paper ``statements.<name>`` of the return unit coded
    ``code`` for ``?start=&end=`` (and ``batch``, ``serial`` for the look-up)."""

    @never_cache
    @login_required
    @require_GET
    def view(request, code: str):
        q = request.GET
        options = {"batch": q.get("batch", ""), "serial": q.get("serial", "")} if narrowed else {}
        made = build(
            actor=request.user, organisation=code, start=q.get("start"), end=q.get("end"), **options
        )
        return download(registry.file(f"statements.{name}", made))

    return view


statement_pdf = _paper(statement_for, "statement_pdf")
statement_xlsx = _paper(statement_for, "statement_xlsx")
records_xlsx = _paper(records_for, "records_xlsx", narrowed=True)
records_csv = _paper(records_for, "records_csv", narrowed=True)
