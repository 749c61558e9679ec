"""The dashboard page and each figure's XLSX download (platform roles)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.core.web import download
from sanbao.documents import registry
from sanbao.insights import dashboard as figures


@login_required
@require_GET
def dashboard(request):
    """Every figure: its chart, its table and the link to its workbook."""
    shown = figures.figures(actor=request.user)
    return render(request, "insights/dashboard.html", {"figures": shown})


def _xlsx(key: str):
    @never_cache
    @login_required
    @require_GET
    def view(request):
        made = figures.figure(actor=request.user, key=key)
        return download(registry.file("insights.figure_xlsx", made))

    return view, f"{key}_xlsx"


XLSX_VIEWS = {key: _xlsx(key) for key in figures.FIGURES}
