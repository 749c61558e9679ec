"""List pages as workbooks: every list page's "Export as XLSX" link.

A list declares its table once, in its app's ``documents`` module::

    BATCHES = list_export(
        "returns.batches_xlsx",
        title=_("Return batches"),
        stem="return-batches",
        columns=[
            Column(_("Batch"), lambda b: b.number),
            Column(_("Return unit"), org_label, shown=platform_only),
            ...
        ],
    )

The columns are the page table's, in its order, under the same translatable
labels (the header row printed ``中文 English``); a column the page shows only to
some users says so with ``shown``; a column of links only (papers, actions) is
left out, and marked ``export=False`` in the page's ``{% columns %}``. ``prepare``
may turn the page's rows into what the cells read (the turnaround queue adds each
batch's turnaround). The rows are the page's own (``core.web.list_export_view``:
the same function the page pages, so the same role check, filters and tenancy,
every page of them); they join what the cells read in their selector, so an
export runs a fixed number of queries whatever its length.

This lives in core so that every app can declare its lists (catalog and accounts
sit beside documents, not above it). The workbook itself is written by
``sanbao.documents.xlsx``, which the documents app plugs in at start-up
(:func:`set_writer`; core imports no app), and ``documents.registry`` lists each
export by its name, like every other paper.

More rows than ``SANBAO_EXPORT_MAX_ROWS`` is refused with a message asking for
narrower filters (``core.export_too_large``, 400), counted before any row is
read: a workbook of a million rows would time out long before it arrived.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sanbao.core.errors import ERRORS
from sanbao.core.web import XLSX

# (title, headers, rows) -> the workbook's bytes; set by the documents app.
Writer = Callable[[Any, Sequence[Any], Iterable[Sequence[Any]]], bytes]
_writer: Writer | None = None
_exports: dict[str, ListExport] = {}


def set_writer(writer: Writer) -> None:
    """Plug in what writes a workbook (``sanbao.documents``' ``AppConfig.ready``)."""
    global _writer
    _writer = writer


def everyone(actor: Any) -> bool:
    return True


def platform_only(actor: Any) -> bool:
    """A column the page shows the platform's people only (the return unit, the
    handling outlet, the agent)."""
    return bool(getattr(actor, "is_platform", False))


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a list: its header (the label of the page's ``<th>``), the
    cell of a row, and who sees it."""

    label: Any
    value: Callable[[Any], Any]
    shown: Callable[[Any], bool] = everyone


@dataclasses.dataclass(frozen=True)
class ExportFile:
    """A rendered export (the shape of ``documents.registry.File``)."""

    content: bytes
    filename: str
    media_type: str = XLSX


@dataclasses.dataclass(frozen=True)
class ListExport:
    name: str
    title: Any
    stem: str
    columns: Sequence[Column]
    prepare: Callable[[Any], Iterable[Any]] | None = None

    def columns_for(self, actor: Any) -> list[Column]:
        return [c for c in self.columns if c.shown(actor)]

    def headers(self, actor: Any = None) -> list[Any]:
        return [c.label for c in self.columns_for(actor)]

    def table(self, rows: Any, actor: Any = None) -> list[list[Any]]:
        """The cells of ``rows`` (a queryset or a list) as ``actor`` sees the page;
        more than ``SANBAO_EXPORT_MAX_ROWS`` is refused first."""
        total = rows.count() if isinstance(rows, QuerySet) else len(rows)
        limit = settings.SANBAO_EXPORT_MAX_ROWS
        if total > limit:
            raise ERRORS.refused("core.export_too_large", rows=total, limit=limit)
        if self.prepare is not None:
            rows = self.prepare(rows)
        columns = self.columns_for(actor)
        return [[column.value(row) for column in columns] for row in rows]

    def render(self, rows: Any, actor: Any = None) -> bytes:
        """The workbook of ``rows``: a bilingual header row over the cells."""
        if _writer is None:  # pragma: no cover - the documents app is always installed
            raise RuntimeError("No workbook writer: is sanbao.documents installed?")
        table = self.table(rows, actor)
        return _writer(self.title, self.headers(actor), table)

    def filename(self, rows: Any = None, actor: Any = None) -> str:
        """The list as exported now: the minute in the name keeps successive exports apart."""
        return f"sanbao-{self.stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"

    def file(self, rows: Any, actor: Any = None) -> ExportFile:
        return ExportFile(self.render(rows, actor), self.filename(rows, actor))


def list_export(
    name: str,
    *,
    title: Any,
    stem: str,
    columns: Sequence[Column],
    prepare: Callable[[Any], Iterable[Any]] | None = None,
) -> ListExport:
    """Declare a list's export under ``name`` (``<app>.<list>_xlsx``), once."""
    if name in _exports:
        raise ValueError(f"The list export {name!r} is already declared.")
    export = ListExport(name, title, stem, tuple(columns), prepare)
    _exports[name] = export
    return export


def exports() -> list[ListExport]:
    """Every list export declared so far (the documents registry names them)."""
    return list(_exports.values())


def org_label(org: Any) -> str:
    """An organisation as a list shows it: its code and its name."""
    if org is None:
        return ""
    return f"{org.code} {org.display_name}".strip()


def yes_no(value: bool) -> str:
    """A yes-or-no cell in the reader's language, as the pages write it."""
    return gettext("Yes") if value else gettext("No")
