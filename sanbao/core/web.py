"""Small helpers every app's page views share: the page or its htmx fragment, an
action run with its domain error mapped onto the form and the page, and a
document answered as a download."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sanbao.core.cache import bounded_count
from sanbao.core.errors import DomainError, ValidationFailed
from sanbao.core.forms import apply_domain_error

if TYPE_CHECKING:
    from sanbao.core.lists import ListExport

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The refusals a page answers itself, by the form: a policy or validation refusal
# and a conflict. 401, 403 and 404 go to DomainErrorMiddleware's error pages.
PAGE_REFUSALS = (400, 409)


def is_htmx(request) -> bool:
    """An htmx request that wants a fragment. A history restore after a cache miss
    wants the whole page, not the fragment."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page(request, template: str, partial: str | None, context: dict, *, status: int = 200):
    """The page, or only its ``partial`` (a ``{% partialdef %}``) for an htmx request."""
    name = f"{template}#{partial}" if partial and is_htmx(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclasses.dataclass(frozen=True)
class Attempt:
    """What an action came to: the service's ``result``, or the ``error`` that
    refused it (already on the form). ``status`` is the page's answer: 200, or the
    refusal's own status."""

    result: Any = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        return self.error.status if self.error is not None else 200


def attempt(
    call: Callable[[], Any],
    *,
    form=None,
    refusals: tuple[int, ...] = PAGE_REFUSALS,
    apply: Callable[[Any, DomainError], Any] | None = apply_domain_error,
) -> Attempt:
    """Run one action from a page: the form must be valid first (else a
    ``ValidationFailed``), then ``call`` runs the service. A domain error whose
    status is one of ``refusals`` is mapped onto the form (each message by its
    field, ``apply``) and returned, so the view answers the page again with the
    message and the error's status; any other error (403, 404) propagates to
    DomainErrorMiddleware. Forms only parse; the service decides."""
    try:
        if form is not None and not form.is_valid():
            raise ValidationFailed()
        return Attempt(result=call())
    except DomainError as exc:
        if exc.status not in refusals:
            raise
        if form is not None and apply is not None:
            apply(form, exc)
        return Attempt(error=exc)


class File(Protocol):
    """A rendered document (``sanbao.documents.registry.File``)."""

    content: bytes
    filename: str
    media_type: str


def download(file: File, *, attachment: bool | None = None) -> HttpResponse:
    """A document answer: saved (``attachment``) or shown in the browser. By
    default a PDF is shown (the browser prints it) and anything else is saved;
    the API always saves."""
    if attachment is None:
        attachment = file.media_type != PDF
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = content_disposition_header(attachment, file.filename)
    return response


def download_view(fetch: Callable[..., Any], file_of: Callable[[Any], File]):
    """The page that downloads one paper of a record: ``fetch(actor=, number=)``
    finds the record the user may see (a 404 otherwise, as if it did not exist),
    ``file_of(record)`` renders it (``sanbao.documents.registry``). Papers name
    people and telephone numbers: never cached."""

    @never_cache
    @login_required
    @require_GET
    def view(request, number: str):
        return download(file_of(fetch(actor=request.user, number=number)))

    return view


def list_export_view(rows_of: Callable[[Any], Any], export: ListExport):
    """The "Export as XLSX" of a list page, the one view every list's export uses:
    ``rows_of(request)`` is the list's own function, the one its page pages (the
    same role check, the filters of the same query string, the same tenancy), so
    the workbook holds exactly the rows the page lists, every page of them, in its
    order; ``export`` (``core.lists``) writes the page's columns. Lists name
    people: never cached."""

    @never_cache
    @login_required
    @require_GET
    def view(request):
        return download(export.file(rows_of(request), request.user))

    return view


def record_page_view(fetch: Callable[..., Any], template: str, partial: str, context_of):
    """The page of one record: ``fetch(actor=, number=)`` finds the record the user
    may see (a 404 otherwise), ``context_of(request, record)`` is the page's
    context; htmx gets the fragment ``partial``."""

    @login_required
    @require_GET
    def view(request, number: str):
        record = fetch(actor=request.user, number=number)
        return render_page(request, template, partial, context_of(request, record))

    return view


def action_view(run: Callable[..., HttpResponse], *args, **options):
    """The POST view of one action on the record numbered ``number``:
    ``run(request, number, *args, **options)`` checks the actor, finds the record,
    reads the form and answers the record's page (a claim's ``_act``, a batch's
    ``batch_action``)."""

    @login_required
    @require_POST
    def view(request, number: str):
        return run(request, number, *args, **options)

    return view


class ListPaginator(Paginator):
    """A list page's paginator. Counting every row a list's filters match is what
    a page costs most once they are many (a COUNT over a million claims): a list
    is counted with ``core.cache.bounded_count``, exactly up to
    ``SANBAO_LIST_EXACT_COUNT`` rows on every request, a longer one's total
    counted again at most every ``SANBAO_LIST_COUNT_CACHE_SECONDS``."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        return bounded_count(rows)


def page_of(request, rows, per_page: int):
    """The page of ``rows`` the request asks for (``?page=``; the last one past the
    end, the first one for anything else)."""
    return ListPaginator(rows, per_page).get_page(request.GET.get("page"))


def redirect_after(request, url: str) -> HttpResponse:
    """After a successful action (PRG): a redirect, or for htmx an ``HX-Redirect``
    so the whole page is loaded rather than swapped into the fragment."""
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Redirect"] = url
        return response
    return redirect(url)
