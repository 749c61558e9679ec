"""``{% table %}`` (core/templatetags/sanbao_tables.py): each body cell carries its
column's header as ``data-label``, which the phone layout (``table-stack`` in
sanbao.css) shows beside the value instead of a row too wide for the screen
(issue 15 item 6)."""

from __future__ import annotations

import re

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load i18n sanbao_tables %}" + source).render(Context(context))


def labels(html: str) -> list[str]:
    return re.findall(r'<td data-label="([^"]*)"', html)


def test_each_cell_is_labelled_with_its_columns_header():
    html = render(
        '{% table rows as r %}{% columns "Batch" "Units" hidden=True "Due" %}'
        "{% row %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td></tr>{% endtable %}",
        rows=[("R1", 3, "2026-12-08"), ("R2", 1, "2026-12-09")],
    )
    assert labels(html) == ["Batch", "Units", "Due"] * 2
    assert "table-stack" in html


def test_a_header_spanning_columns_labels_each_and_a_spanning_cell_takes_the_first():
    html = render(
        '{% table rows as r %}<th colspan="2">Figures</th><th>Note &amp; <b>why</b></th>'
        '{% row %}<tr><td colspan="2">{{ r }}</td><td>x</td></tr>{% endtable %}',
        rows=["a"],
    )
    assert labels(html) == ["Figures", "Note &amp; why"]


def test_a_row_holding_its_own_table_and_a_table_not_stacked_are_left_as_they_are():
    nested = render(
        "{% table rows as r %}<th>A</th>{% row %}<tr><td><table><tr><td>{{ r }}</td></tr>"
        "</table></td></tr>{% endtable %}",
        rows=["a"],
    )
    assert labels(nested) == []
    flat = render(
        "{% table rows as r stack=False %}<th>A</th>"
        "{% row %}<tr><td>{{ r }}</td></tr>{% endtable %}",
        rows=["a"],
    )
    assert labels(flat) == [] and "table-stack" not in flat


def test_labels_are_escaped():
    html = render(
        "{% table rows as r %}<th>{{ head }}</th>{% row %}<tr><td>{{ r }}</td></tr>{% endtable %}",
        rows=["a"],
        head='"><script>',
    )
    assert "<script>" not in html
    assert labels(html) == ["&quot;&gt;&lt;script&gt;"]
