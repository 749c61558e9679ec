"""A table of records: ``{% load sanbao_tables %}``.

::

    {% table page.object_list as claim testid="claim-table" empty=_("No claim matches.")
       paginate=page target="#claim-results" %}
      <th scope="col">…</th>…
    {% row %}
      <tr data-testid="claim-row">…</tr>
    {% endtable %}

writes the responsive wrapper, the table, its head (the header cells given before
``{% row %}``), one body row per item (the part after ``{% row %}``, with the item
named as after ``as``) and, when there is no item and ``empty`` is given, one row
with that message across every column (the columns are counted from the header
cells, so a column shown only to some users needs no second count). Options:

- ``testid``: the table's test id; ``class``: its classes ("table table-sm
  align-middle" unless given); ``wrapper``: the wrapper's extra classes;
- ``empty``: the message of an empty table; ``caption``: its caption, for screen
  readers only;
- ``paginate`` (a Paginator page) and ``target`` (what htmx replaces): the page
  links under the table (``_pagination.html``);
- ``sort``: the order the rows are in (``?sort=``, e.g. the filter form's
  ``sorted_by``), which the headers of sortable columns show (``{% columns %}``'s
  ``sort=``; without it they read the request's ``?sort=``);
- ``{% foot %}`` before ``{% endtable %}``: the table's foot (``<tfoot>`` content);
- ``stack``: on a phone (narrower than Bootstrap's ``sm``), each row is shown as a
  block of "label: value" lines instead of a row too wide to see (``table-stack``
  in sanbao.css), unless ``stack=False``. Each body cell is given its column's
  header as ``data-label`` for that; a cell spanning columns takes the first one's.

The header cells are written as they are, or listed with ``{% columns %}``.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from django import template
from django.http import QueryDict
from django.template.base import FilterExpression, NodeList
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sanbao.core.sorting import SORT

from ._arguments import resolve_options, tag_arguments

register = template.Library()

_OPTIONS = {
    "testid",
    "class",
    "wrapper",
    "empty",
    "paginate",
    "target",
    "stack",
    "caption",
    "sort",
}
# What a table tells the sortable headers of its head (``{% columns … sort= %}``).
_HEAD = "sanbao_table_head"
_TABLE = (
    '<div class="table-responsive{}">\n<table class="{}"{}>{}\n<thead><tr>\n{}\n</tr></thead>\n'
    "<tbody>\n{}\n</tbody>{}\n</table>\n</div>"
)
_EMPTY_ROW = '<tr><td colspan="{}" class="text-secondary">{}</td></tr>'
_HEADER_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
_BODY_CELL = re.compile(r"<td\b([^>]*)>")
_COLSPAN = re.compile(r"""colspan=["']?(\d+)""")
_TAGS = re.compile(r"<[^>]+>")


def _labels(head: str) -> list[str]:
    """Each column's header text (a header spanning columns counts for each)."""
    labels = []
    for attrs, inner in _HEADER_CELL.findall(head):
        text = " ".join(html_lib.unescape(_TAGS.sub(" ", inner)).split())
        span = _COLSPAN.search(attrs)
        labels.extend([text] * (int(span.group(1)) if span else 1))
    return labels


def _labelled(row: str, labels: list[str]) -> str:
    """``row`` with each of its cells' column header as ``data-label`` (rows holding
    a table of their own are left as they are). ``labels`` are escaped already
    (``_escaped``): this runs for every cell of every list."""
    if "<table" in row or "data-label=" in row:
        return row
    column = 0

    def label(match: re.Match) -> str:
        nonlocal column
        attrs = match.group(1)
        text = labels[column] if column < len(labels) else ""
        span = _COLSPAN.search(attrs) if "colspan" in attrs else None
        column += int(span.group(1)) if span else 1
        return f'<td data-label="{text}"{attrs}>'

    return _BODY_CELL.sub(label, row)


def _escaped(labels: list[str]) -> list[str]:
    return [html_lib.escape(text, quote=True) for text in labels]


@dataclass(eq=False)
class TableNode(template.Node):
    items: FilterExpression
    name: str
    options: dict
    head: NodeList
    row: NodeList
    foot: NodeList | None
    child_nodelists = ("head", "row", "foot")

    def render(self, context):
        opt = resolve_options(self.options, context)
        with context.push({_HEAD: {"sort": opt.get("sort"), "target": opt.get("target")}}):
            head = self.head.render(context).strip()
        stack = opt.get("stack", True) is not False
        labels = _escaped(_labels(head)) if stack else []
        rows = []
        for item in self.items.resolve(context) or ():
            with context.push({self.name: item}):
                row = self.row.render(context)
            rows.append(_labelled(row, labels) if stack else row)
        if not rows and opt.get("empty"):
            columns = head.count("<th")
            rows.append(format_html(_EMPTY_ROW, columns, opt["empty"]))
        foot = self.foot.render(context).strip() if self.foot else ""
        html = format_html(
            _TABLE,
            f" {opt['wrapper']}" if opt.get("wrapper") else "",
            (opt.get("class") or "table table-sm align-middle") + (" table-stack" if stack else ""),
            format_html(' data-testid="{}"', opt["testid"]) if opt.get("testid") else "",
            format_html('\n<caption class="visually-hidden">{}</caption>', opt["caption"])
            if opt.get("caption")
            else "",
            mark_safe(head),
            mark_safe("".join(rows)),
            format_html("\n<tfoot>{}</tfoot>", mark_safe(foot)) if foot else "",
        )
        if opt.get("paginate") is not None:
            pages = context.template.engine.get_template("_pagination.html")
            with context.push(page=opt["paginate"], target=opt.get("target")):
                html += mark_safe("\n" + pages.render(context))
        return html


@register.tag
def table(parser, token):
    tag, positional, options = tag_arguments(parser, token, _OPTIONS)
    if len(positional) != 3 or positional[1] != "as":
        raise template.TemplateSyntaxError(f"{tag} begins with the items, 'as' and a name")
    items, name = parser.compile_filter(positional[0]), positional[2]
    head = parser.parse(("row",))
    parser.delete_first_token()
    row = parser.parse(("foot", "endtable"))
    foot = None
    if parser.next_token().contents == "foot":
        foot = parser.parse(("endtable",))
        parser.delete_first_token()
    return TableNode(items, name, options, head, row, foot)


def _sort_link(context, key: str, text) -> tuple[str, str]:
    """The header of a column sorted by ``key``: a link to the list in that order
    (the other query parameters kept, back to the first page; the opposite
    direction when the list is already in it), and its ``aria-sort``. The arrow is
    drawn by the style sheet from ``aria-sort``, so the header's text stays the
    column's label (the stacked rows' ``data-label``, the export's header)."""
    head = context.get(_HEAD) or {}
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    current = head.get("sort") or query.get(SORT) or ""
    direction = ""
    if current == key:
        direction, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        direction, target = "descending", key
    else:
        target = key
    query.pop("page", None)
    query[SORT] = target
    href = f"?{query.urlencode()}"
    htmx = (
        format_html(
            ' hx-get="{}" hx-target="{}" hx-swap="outerHTML" hx-push-url="true"',
            href,
            head["target"],
        )
        if head.get("target")
        else ""
    )
    link = format_html(
        '<a class="sort-link" href="{}"{} data-sort="{}">{}</a>', href, htmx, target, text
    )
    return link, format_html(' aria-sort="{}"', direction) if direction else ""


@dataclass(eq=False)
class ColumnsNode(template.Node):
    cells: list

    def render(self, context):
        html = []
        for label, options in self.cells:
            text = label.resolve(context)
            if options.get("hidden") and options["hidden"].resolve(context):
                text = format_html('<span class="visually-hidden">{}</span>', text)
            css = options["class"].resolve(context) if "class" in options else ""
            exported = options["export"].resolve(context) if "export" in options else True
            key = options["sort"].resolve(context) if "sort" in options else ""
            aria = ""
            if key:
                text, aria = _sort_link(context, key, text)
            html.append(
                format_html(
                    '<th scope="col"{}{}{}>{}</th>',
                    format_html(' class="{}"', css) if css else "",
                    mark_safe(' data-export="false"') if not exported else "",
                    aria,
                    text,
                )
            )
        return mark_safe("".join(html))


@register.tag
def columns(parser, token):
    """The header cells of a table, one translated label a column; ``class=`` and
    ``hidden=True`` after a label are that column's classes, and a label for screen
    readers only: ``{% columns _("Batch") _("Units") class="text-end" %}``.
    ``export=False`` marks a column of links only (papers, actions), which the
    list's XLSX export leaves out (``data-export="false"``). ``sort="key"`` makes
    the header a link ordering the list by that key of its ``core.sorting``
    declaration (again: the other way), marked ``aria-sort`` while the list is in
    that order (the table's ``sort=``), and replacing the table's ``target`` by
    htmx as its page links do."""
    bits = token.split_contents()
    tag = bits.pop(0)
    cells = []
    for bit in bits:
        key, eq, value = bit.partition("=")
        if eq and key in {"class", "hidden", "export", "sort"}:
            if not cells:
                raise template.TemplateSyntaxError(f"{tag}: {key}= follows the label it is for")
            cells[-1][1][key] = parser.compile_filter(value)
        else:
            cells.append((parser.compile_filter(bit), {}))
    return ColumnsNode(cells)
