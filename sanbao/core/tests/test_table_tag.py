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


# --- Sortable headers: ``{% columns … sort="key" %}`` (core.sorting, issue 15) --------


def sorted_table(query: str, **options) -> str:
    from django.test import RequestFactory

    opts = " ".join(f"{k}={v}" for k, v in options.items())
    return render(
        "{% table rows as r " + opts + ' %}{% columns "Batch" sort="number" "Due" "Opened" '
        'sort="opened" %}{% row %}<tr><td>{{ r }}</td><td>x</td><td>y</td></tr>{% endtable %}',
        rows=["B1", "B2"],
        request=RequestFactory().get("/returns/batches/" + query),
    )


def header(html: str, label: str) -> str:
    found = re.search(r"<th\b[^>]*>(?:(?!</th>).)*" + label + r"(?:(?!</th>).)*</th>", html, re.S)
    assert found, f"no header {label!r} in {html}"
    return found.group(0)


def href(cell: str) -> str:
    return re.search(r'href="([^"]*)"', cell).group(1).replace("&amp;", "&")


def test_a_sortable_header_links_to_the_list_in_that_order_keeping_the_filters_from_page_one():
    html = sorted_table("?status=submitted&page=3&sort=-opened")
    number = header(html, "Batch")
    assert href(number) == "?status=submitted&sort=number"
    assert "aria-sort" not in number
    assert "<th" in header(html, "Due") and "sort-link" not in header(html, "Due")


def test_the_header_of_the_order_shows_its_direction_and_links_to_the_other_one():
    opened = header(sorted_table("?sort=-opened"), "Opened")
    assert 'aria-sort="descending"' in opened and href(opened) == "?sort=opened"
    opened = header(sorted_table("?sort=opened"), "Opened")
    assert 'aria-sort="ascending"' in opened and href(opened) == "?sort=-opened"


def test_the_tables_sort_option_names_the_order_the_rows_are_in_when_the_address_does_not():
    # No ?sort=: the list is in its default order, which the table is told.
    opened = header(sorted_table("", sort='"-opened"'), "Opened")
    assert 'aria-sort="descending"' in opened and href(opened) == "?sort=opened"
    # An unknown ?sort= leaves the list in its default order: the table says so.
    opened = header(sorted_table("?sort=bogus", sort='"-opened"'), "Opened")
    assert 'aria-sort="descending"' in opened


def test_a_sortable_header_replaces_the_tables_target_by_htmx_like_its_page_links():
    number = header(sorted_table("?q=x", target='"#batch-results"'), "Batch")
    assert 'hx-get="?q=x&amp;sort=number"' in number
    assert 'hx-target="#batch-results"' in number and 'hx-push-url="true"' in number
    assert "hx-get" not in header(sorted_table("?q=x"), "Batch")


def test_sortable_headers_still_label_the_cells_with_the_bare_column_names():
    html = sorted_table("?sort=number", sort='"number"')
    assert labels(html) == ["Batch", "Due", "Opened"] * 2


def test_sort_needs_a_label_before_it():
    import pytest
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        render('{% columns sort="number" "Batch" %}')
