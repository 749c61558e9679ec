"""The dashboard page and each figure's XLSX download (platform roles)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.core.web import download
from sanbao.documents import registry
from sanbao.insights import dashboard as figures


@login_required
@require_GET
def dashboard(request):
    """Every figure: its chart, its table and the link to its workbook (a
    platform role's: ``dashboard.view``, else 403)."""
    counted = figures.snapshot(actor=request.user)
    context = {
        "figures": counted.figures,
        "taken_at": counted.taken_at,
        "figures_html": _figures_html(counted),
    }
    return render(request, "insights/dashboard.html", context)


# The figures as last rendered in each language: (when their snapshot was taken, the
# HTML). The same for every reader of a snapshot (no form, no user in them), and
# 1,200 table cells took 25 of the page's 30 ms CPU to render again (issue 15).
_RENDERED: dict[str, tuple] = {}


def _figures_html(counted) -> str:
    language = get_language()
    taken_at, html = _RENDERED.get(language, (None, ""))
    if taken_at != counted.taken_at:
        html = render_to_string("insights/_figures.html", {"figures": counted.figures})
        _RENDERED[language] = (counted.taken_at, html)
    return mark_safe(html)  # rendered by the template engine, escaped there


def _xlsx(key: str):
    @never_cache
    @login_required
    @require_GET
    def view(request):
        made = figures.snapshot(actor=request.user).figure(key)
        return download(registry.file("insights.figure_xlsx", made))

    return view, f"{key}_xlsx"


XLSX_VIEWS = {key: _xlsx(key) for key in figures.FIGURES}
