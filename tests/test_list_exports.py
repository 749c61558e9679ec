"""Every list page's "Export as XLSX" link downloads exactly what the page shows
(issue 15, item 2), in a fixed number of queries whatever the number of rows.

For each list page (``LISTS``), with agent A's records (``tests.isolation.world``,
one of each kind, made through the services): the page is fetched with one of its
filters where it has filters, its export link followed as the page writes it, and
the workbook's header row (the English part of each bilingual header) must be the
page table's header cells, in order (a column marked ``data-export="false"``,
links only, aside), and its first column the page's rows, in order. Then the page
and its export are counted with more rows than their query bound (copies of the
records, ``bulk_create``). Agents' exports hold their own rows only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import PERMISSIONS
from sanbao.catalog.models import Category, ProductModel, RetainedPart, Unit
from sanbao.claims.models import Claim
from sanbao.core.models import AuditEvent, LegalHold
from sanbao.core.web import XLSX
from sanbao.deliveries.models import Declaration, Delivery
from sanbao.returns.models import ReceiptAnomaly, ReturnBatch, ReturnedUnit, Shipment
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import Case, check, matrix
from sanbao.testkit.responses import error_code, html, is_download
from tests.isolation import world as agent_a_world

# --- Reading the page's table and the workbook --------------------------------------


class _Table(HTMLParser):
    """The header cells (without ``data-export="false"``) and each body row's first
    cell of the ``<table data-testid=…>`` of a page (of every such table, in order,
    where the page groups its rows in several; the headers of the first)."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid = testid
        self.inside = False
        self.part = ""  # thead or tbody
        self.headers: list[str] = []
        self.first_cells: list[str] = []
        self._cell: list[str] | None = None
        self._keep = False
        self._cells_in_row = 0
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid") == self.testid:
            self.inside = True
            self.tables += 1
        if not self.inside:
            return
        if tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr":
            self._cells_in_row = 0
        elif tag == "th" and self.part == "thead":
            self._cell = []
            self._keep = self.tables == 1 and attrs.get("data-export") != "false"
        elif tag == "td" and self.part == "tbody":
            self._cells_in_row += 1
            self._cell, self._keep = [], self._cells_in_row == 1 and "colspan" not in attrs

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._keep:
                (self.headers if tag == "th" else self.first_cells).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_table(response, testid: str) -> tuple[list[str], list[str]]:
    table = _Table(testid)
    table.feed(html(response))
    assert table.headers, f"no table {testid!r} on the page"
    return table.headers, table.first_cells


def workbook(response) -> tuple[list[str], list[object]]:
    assert response.status_code == 200, (response.status_code, error_code(response))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], [row[0] for row in rows[1:]]


def second_column(response) -> list[object]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [row[1] for row in list(sheet.iter_rows(values_only=True))[1:]]


def as_shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_href(response, name: str) -> str:
    """The export link of the page, as it writes it (its query string included)."""
    found = [
        dict(attrs)["href"]
        for tag, attrs in _links(html(response))
        if dict(attrs).get("data-testid") == f"{name}-export"
    ]
    assert len(found) == 1, f"{name}-export: {found}"
    return found[0]


def _links(text: str) -> list:
    links: list = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                links.append((tag, attrs))

    Links().feed(text)
    return links


# --- The list pages ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ListPage:
    page: str  # URL name of the page; its export is "<page>_xlsx" unless named
    name: str  # the page's test ids: "<name>-export"
    table: str  # the table's data-testid
    who: str  # the cast member who reads it
    permission: str  # what the page and its export require
    model: type[models.Model]  # the rows copied to go past the query bound
    query: dict = dataclasses.field(default_factory=dict)  # a filter the world's rows pass
    export: str = ""
    # Queries of the page and of its export, whatever the number of rows: the
    # session and the user, the role's reads, a count and the rows.
    page_queries: int = 8
    export_queries: int = 7
    # A page grouping its rows under headings (the return unit's) names the group in
    # the workbook's first column, under this header.
    grouped_by: str = ""
    copy_of: dict = dataclasses.field(default_factory=dict)  # which row to copy

    @property
    def export_url(self) -> str:
        app, page = self.page.split(":")
        return reverse(self.export or f"{app}:{page}_xlsx")

    def __str__(self) -> str:
        return self.page


LISTS = [
    ListPage(
        "claims:claim_list",
        "claim",
        "claim-table",
        "platform_staff",
        "claims.view",
        Claim,
        {"model": "PB10K"},
    ),
    ListPage(
        "claims:retained_part_list",
        "part",
        "part-table",
        "platform_staff",
        "retained_parts.view",
        RetainedPart,
        {"open_only": "on"},
    ),
    ListPage(
        "audit_trail:event_list",
        "event",
        "event-table",
        "platform_manager",
        "audit.view",
        AuditEvent,
        {"date_from": "2026-09-01"},
        # The records' pages and organisations: a query per kind of record.
        page_queries=14,
        export_queries=13,
    ),
    ListPage(
        "catalog:category_list",
        "category",
        "category-table",
        "platform_staff",
        "catalog.view",
        Category,
    ),
    ListPage(
        "catalog:model_list",
        "model",
        "model-table",
        "platform_staff",
        "catalog.view",
        ProductModel,
        {"q": "PB"},
    ),
    ListPage(
        "catalog:unit_list",
        "unit",
        "unit-table",
        "platform_staff",
        "units.view",
        Unit,
        {"serial": "SBA"},
    ),
    ListPage(
        "accounts:organisation_list",
        "organisation",
        "organisation-table",
        "platform_staff",
        "organisations.view",
        Organisation,
        {"kind": "agent"},
    ),
    ListPage(
        "accounts:legal_hold_list",
        "hold",
        "hold-table",
        "platform_manager",
        "holds.manage",
        LegalHold,
    ),
    ListPage(
        "deliveries:delivery_list",
        "delivery",
        "delivery-list",
        "platform_staff",
        "deliveries.view",
        Delivery,
    ),
    ListPage(
        "deliveries:declaration_list",
        "declaration",
        "declaration-list",
        "platform_staff",
        "deliveries.view",
        Declaration,
        {"status": "accepted"},
    ),
    ListPage(
        "returns:batch_list",
        "batch",
        "batch-table",
        "platform_staff",
        "returns.view",
        ReturnBatch,
        {"return_org": "AG-A"},
    ),
    ListPage(
        "returns:queue",
        "queue",
        "queue-table",
        "platform_staff",
        "returns.receive",
        ReturnBatch,
        export="returns:queue_xlsx",
    ),
    ListPage(
        "returns:to_follow",
        "to-follow",
        "to-follow-table",
        "platform_staff",
        "returns.view",
        ReturnedUnit,
        {"return_org": "AG-A"},
        export="returns:to_follow_xlsx",
        grouped_by="Return unit",
        copy_of={"delayed_at__isnull": False},
    ),
    ListPage(
        "returns:anomaly_list",
        "anomaly",
        "anomaly-table",
        "platform_staff",
        "returns.view",
        ReceiptAnomaly,
        {"show": "all"},
    ),
    ListPage(
        "returns:shipment_list",
        "shipment",
        "shipment-table",
        "platform_staff",
        "returns.view",
        Shipment,
        {"return_org": "AG-A"},
    ),
]

# The lists an agent reads, each its own organisation's rows only.
AGENT_LISTS = [
    item
    for item in LISTS
    if item.page
    in {
        "claims:claim_list",
        "catalog:unit_list",
        "deliveries:delivery_list",
        "deliveries:declaration_list",
        "returns:batch_list",
        "returns:anomaly_list",
        "returns:shipment_list",
    }
]


def reader(user):
    """A client of ``user``, reading the pages in English (their saved language)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return login_client_for(user, language="en")


@pytest.fixture
def world(cast, monkeypatch):
    return agent_a_world.build(cast, monkeypatch)


def copies(model: type[models.Model], count: int, **lookup) -> None:
    """``count`` more rows of ``model``, copies of its first, each unique where the
    model asks it to be (numbers, codes, serials; a claim without its unit; a hold
    on another record)."""
    original = model._default_manager.filter(**lookup).order_by("pk").first()
    assert original is not None, f"no {model.__name__} to copy"
    made = []
    for i in range(count):
        row = model._default_manager.get(pk=original.pk)
        row.pk = row.id = None
        row._state.adding = True
        for field in model._meta.fields:
            if field.primary_key or not field.unique:
                continue
            if field.one_to_one:
                setattr(row, field.name, None)
            else:
                value = getattr(row, field.attname)
                setattr(row, field.attname, f"{value[: max(field.max_length - 4, 1) - 1]}X{i:03d}")
        if model is Claim:
            row.unit = None
        if model is LegalHold:
            row.target_id = f"copy-{i}"
        if model is ReturnedUnit:
            row.seq, row.code = 1000 + i, f"{row.code[:20]}-{i}"
        made.append(row)
    model._default_manager.bulk_create(made)


# --- Each list exports what its page shows -------------------------------------------


@pytest.mark.parametrize("item", LISTS, ids=str)
def test_the_export_holds_the_pages_columns_and_rows_in_order(cast, world, item):
    client = reader(getattr(cast, item.who))
    page = client.get(reverse(item.page), item.query)
    assert page.status_code == 200
    headers, first_cells = page_table(page, item.table)
    assert first_cells, f"{item}: the filter {item.query} lists nothing"

    href = export_href(page, item.name)
    assert href.split("?")[0] == item.export_url
    for key, value in item.query.items():
        assert f"{key}={value}" in href
    exported_headers, first_column = workbook(client.get(href))
    if item.grouped_by:
        assert exported_headers.pop(0).endswith(item.grouped_by)
        first_column = second_column(client.get(href))

    assert len(exported_headers) == len(headers), (exported_headers, headers)
    for exported, shown in zip(exported_headers, headers, strict=True):
        assert exported == shown or exported.endswith(f" {shown}"), (exported, shown)
    assert len(first_column) == len(first_cells)
    for exported, shown in zip(first_column, first_cells, strict=True):
        # A date-time cell is typed; the page may show it to the day or the minute.
        assert as_shown(exported).startswith(shown), (exported, shown)


@pytest.mark.parametrize("item", LISTS, ids=str)
def test_the_page_and_its_export_run_a_bounded_number_of_queries(
    cast, world, item, django_assert_max_num_queries
):
    copies(item.model, max(item.page_queries, item.export_queries) + 5, **item.copy_of)
    client = reader(getattr(cast, item.who))
    page_url = reverse(item.page) + "?" + urlencode(item.query)
    export_url = item.export_url + "?" + urlencode(item.query)
    client.get(page_url)  # warm-up: the session, the calendar's cache
    with django_assert_max_num_queries(item.page_queries):
        page = client.get(page_url)
    _shown, first_cells = page_table(page, item.table)
    assert len(first_cells) > item.page_queries
    client.get(export_url)
    with django_assert_max_num_queries(item.export_queries):
        response = client.get(export_url)
    _headers, first_column = workbook(response)
    assert len(first_column) > item.export_queries


@pytest.mark.parametrize("item", AGENT_LISTS, ids=str)
def test_an_agents_export_never_holds_another_agents_rows(cast, world, item):
    theirs = reader(cast.agent_b_clerk).get(item.export_url)
    _headers, first_column = workbook(theirs)
    cells = {as_shown(v) for v in first_column}
    assert not cells & set(world.markers), cells & set(world.markers)

    own = reader(cast.agent_a_clerk)
    page = own.get(reverse(item.page))
    _shown_headers, first_cells = page_table(page, item.table)
    _headers, first_column = workbook(own.get(item.export_url))
    assert [as_shown(v) for v in first_column] == first_cells


@override_settings(SANBAO_EXPORT_MAX_ROWS=3)
def test_an_export_past_the_limit_is_refused_with_a_message_not_a_timeout(cast, world):
    copies(Unit, 5)
    client = reader(cast.platform_staff)
    response = client.get(reverse("catalog:unit_list_xlsx"))
    assert response.status_code == 400
    assert error_code(response) == "core.export_too_large"


# --- Who may export: the page's own permission -----------------------------------------


def _export_case(item: ListPage) -> Case:
    return Case(
        f"{item.page.split(':')[1]}_xlsx",
        "GET",
        lambda cast: item.export_url,
        PERMISSIONS[item.permission],
        on_ok=is_download(XLSX),
    )


@pytest.mark.parametrize("row", matrix([_export_case(item) for item in LISTS]))
def test_each_export_answers_each_member_of_the_cast_as_its_page_does(cast, row):
    check(cast, row)


# --- The API's twins: the same columns, the rows of the API's list -------------------

API_TWINS = {
    "claims:claim_list": "/api/v1/claims/export.xlsx",
    "claims:retained_part_list": "/api/v1/retained-parts/export.xlsx",
    "audit_trail:event_list": "/api/v1/audit-events/export.xlsx",
    "catalog:unit_list": "/api/v1/units/export.xlsx",
    "deliveries:delivery_list": "/api/v1/deliveries/export.xlsx",
    "deliveries:declaration_list": "/api/v1/declarations/export.xlsx",
}


@pytest.mark.parametrize("item", [i for i in LISTS if i.page in API_TWINS], ids=str)
def test_the_apis_export_has_the_pages_columns_and_its_rows(cast, world, item):
    user = getattr(cast, item.who)
    api = api_client_for(user, language="en")  # first: its token is an audit event
    page_headers, page_rows = workbook(reader(user).get(item.export_url))
    api_headers, api_rows = workbook(api.get(API_TWINS[item.page]))
    assert api_headers == page_headers
    assert sorted(map(as_shown, api_rows)) == sorted(map(as_shown, page_rows))


def test_the_apis_export_takes_the_lists_filters(cast, world):
    client = api_client_for(cast.platform_staff, language="en")
    _headers, every = workbook(client.get("/api/v1/units/export.xlsx"))
    _headers, some = workbook(client.get("/api/v1/units/export.xlsx?serial=SBA000002"))
    assert some == ["SBA000002"] and len(every) > 1
