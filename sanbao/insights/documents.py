"""The dashboard's tables as workbooks, in the document registry: a figure's XLSX
holds exactly the rows its table shows, under headers in both languages."""

from __future__ import annotations

from django.utils import timezone

from sanbao.core.web import XLSX
from sanbao.documents.registry import register
from sanbao.documents.xlsx import xlsx_bytes
from sanbao.insights.dashboard import Figure


def figure_xlsx(figure: Figure) -> bytes:
    return xlsx_bytes(figure.headers, figure.rows, sheet_title=figure.title)


def figure_filename(figure: Figure) -> str:
    return f"dashboard-{figure.key.replace('_', '-')}-{timezone.localdate():%Y%m%d}.xlsx"


register("insights.figure_xlsx", render=figure_xlsx, filename=figure_filename, media_type=XLSX)
