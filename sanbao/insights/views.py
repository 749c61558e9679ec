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
    """Every figure: its chart, its table and the link to its workbook (a
    platform role's: ``dashboard.view``, else 403)."""
    counted = figures.snapshot(actor=request.user)
    return render(
        request,
        "insights/dashboard.html",
        {"figures": counted.figures, "taken_at": counted.taken_at},
    )


def _xlsx(key: str):
    @never_cache
    @login_required
    @require_GET
    def view(request):
        made = figures.snapshot(actor=request.user).figure(key)
        return download(registry.file("insights.figure_xlsx", made))

    return view, f"{key}_xlsx"


XLSX_VIEWS = {key: _xlsx(key) for key in figures.FIGURES}
