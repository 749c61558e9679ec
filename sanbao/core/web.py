"""Small helpers every app's page views share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def download(content: bytes, content_type: str, filename: str, *, attachment: bool) -> HttpResponse:
    """A document answer: shown in the browser (``attachment=False``, PDFs) or saved."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response
