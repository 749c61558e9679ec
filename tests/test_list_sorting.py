"""Every list page sorts as its reader asks (issue 15, item 2: "each list filters,
sorts, paginates and stays fast"), and its export and its API follow.

For each list of ``tests.test_list_exports.LISTS`` that declares its orders
(``SORTED``: the list's ``core.sorting`` declaration and what its first column
shows), with agent A's records (``tests.isolation.world``) and copies of them, the
copies' sort fields given values of their own (some equal, some empty):

- each order, ascending and descending, puts the page's rows and the export's rows
  in that order (read back from the records the first column names), the page
  being the start of the export;
- rows equal on the order's key keep one order from page to page: walking every
  page finds each row once;
- an unknown order is an error by the form's "Sort by" field, in the reader's
  language, and the list stays in its default order (the export too), never a 500;
- choosing an order costs no query (the page's count is that of its default
  order);
- the API's lists take ``sort`` (an enum in the OpenAPI document; anything else a
  422 naming the field), in the same order as the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanbao.accounts.selectors import ORGANISATION_SORTS
from sanbao.audit_trail.selectors import EVENT_SORTS
from sanbao.catalog.selectors import (
    CATEGORY_SORTS,
    MODEL_SORTS,
    RETAINED_PART_SORTS,
    UNIT_SORTS,
)
from sanbao.claims.selectors import CLAIM_SORTS
from sanbao.core.sorting import Sorting
from sanbao.deliveries.selectors import DECLARATION_SORTS, DELIVERY_SORTS
from sanbao.returns import selectors as returns_selectors
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.responses import html
from tests.test_list_exports import (
    LISTS,
    ListPage,
    as_shown,
    copies,
    page_table,
    reader,
    workbook,
)
from tests.test_list_exports import world as world


@dataclasses.dataclass(frozen=True)
class Sorted:
    sorting: Sorting
    ident: str = ""  # the unique field the first column shows (a number, a code)
    shows: str = ""  # else the key whose value the first column shows
    api: str = ""  # the API's list, if it has one
    api_ident: str = ""  # what the API's items call ``ident``
    # The rows as the list reads them (annotations its keys order by), by cast.
    rows: Callable | None = None
    vary: bool = True  # whether the copies' sort fields may be given other values


SORTED = {
    "claims:claim_list": Sorted(CLAIM_SORTS, "number", api="/api/v1/claims"),
    "claims:retained_part_list": Sorted(
        RETAINED_PART_SORTS, shows="stored", api="/api/v1/retained-parts"
    ),
    "audit_trail:event_list": Sorted(
        EVENT_SORTS, shows="at", api="/api/v1/audit-events", vary=False
    ),
    "catalog:category_list": Sorted(CATEGORY_SORTS, "code"),
    "catalog:model_list": Sorted(MODEL_SORTS, "code"),
    "catalog:unit_list": Sorted(UNIT_SORTS, "serial", api="/api/v1/units"),
    "accounts:organisation_list": Sorted(ORGANISATION_SORTS, "code", api="/api/v1/organisations"),
    "deliveries:delivery_list": Sorted(DELIVERY_SORTS, "number", api="/api/v1/deliveries"),
    "deliveries:declaration_list": Sorted(DECLARATION_SORTS, "number", api="/api/v1/declarations"),
    "returns:batch_list": Sorted(returns_selectors.BATCH_SORTS, "number", api="/api/v1/batches"),
    "returns:queue": Sorted(
        returns_selectors.QUEUE_SORTS,
        "number",
        api="/api/v1/turnaround-queue",
        rows=lambda cast: returns_selectors.turnaround_queue(actor=cast.platform_staff),
    ),
    "returns:anomaly_list": Sorted(returns_selectors.ANOMALY_SORTS, shows="batch"),
    "returns:shipment_list": Sorted(
        returns_selectors.SHIPMENT_SORTS, "number", api="/api/v1/shipments"
    ),
}

ITEMS = [item for item in LISTS if item.page in SORTED]
ORDERS = [(item, value) for item in ITEMS for value in SORTED[item.page].sorting.values()]
COPIES = 60  # past a page of 50


def order_id(case) -> str:
    return f"{case[0].page}[{case[1]}]"


def test_every_list_with_an_export_is_sorted_or_left_in_its_meaningful_order():
    # Still to follow is grouped by return unit; legal holds list the active first.
    unsorted = {item.page for item in LISTS} - set(SORTED)
    assert unsorted == {"returns:to_follow", "accounts:legal_hold_list"}


# --- Making rows that differ on each key ---------------------------------------------


def vary(model: type[models.Model], sorting: Sorting) -> None:
    """Give every row of ``model`` its own values of the local fields ``sorting``
    orders by (dates, times, numbers): every third row shares its value with the
    next, and one row in seven has none where the field may be empty. A row whose
    constraints refuse it (a delivery received before it shipped, a shipment
    shipped without a date) keeps its values."""
    fields = {
        model._meta.get_field(name)
        for key in sorting.keys.values()
        for name in key.fields
        if "__" not in name and not key.unique and _local(model, name)
    }
    pks = list(model._default_manager.order_by().values_list("pk", flat=True))
    random.Random(15).shuffle(pks)
    for i, pk in enumerate(pks):
        values = {}
        for field in fields:
            if field.null and i % 7 == 3:
                values[field.attname] = None
            else:
                values[field.attname] = _value(field, i // 3)
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**values)
        except IntegrityError:  # a row whose constraints tie it to another field
            pass


def _local(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:  # an annotation (the queue's group)
        return False
    kinds = (models.DateField, models.DecimalField, models.IntegerField)  # DateTimeField too
    return (
        field.concrete and not field.unique and isinstance(field, kinds) and not field.is_relation
    )


def _value(field, n: int):
    if isinstance(field, models.DateTimeField):
        return dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=37 * n % 500)
    if isinstance(field, models.DateField):
        return dt.date(2026, 1, 1) + dt.timedelta(days=37 * n % 300)
    if isinstance(field, models.DecimalField):
        return Decimal(37 * n % 300)
    if isinstance(field, models.IntegerField):
        return 1 + 37 * n % 300
    raise AssertionError(f"no value for {field}")


def sort_key(row, names: list[str]) -> tuple:
    """``row``'s values of the fields ``names`` (``a__b`` followed), each an empty
    one after any other, as an ascending ORDER BY puts them."""
    values = []
    for name in names:
        value = row
        for part in name.split("__"):
            value = None if value is None else getattr(value, part)
        values.append((value is None, value))
    return tuple(values)


def fields_of(sorting: Sorting, value: str) -> tuple[list[str], bool]:
    key, descending = sorting.split(value)
    return ([*key.fields] if key.unique else [*key.fields, "pk"]), descending


def assert_in_order(cast, item: ListPage, value: str, idents: list) -> None:
    """The records named by ``idents`` are in the order ``value``."""
    spec = SORTED[item.page]
    names, descending = fields_of(spec.sorting, value)
    if spec.ident:
        source = spec.rows(cast) if spec.rows else item.model._default_manager.all()
        rows = {getattr(r, spec.ident): r for r in source.filter(**{f"{spec.ident}__in": idents})}
        keys = [sort_key(rows[i], names) for i in idents]
    elif spec.shows == value.lstrip("-"):
        keys = list(idents)  # the first column is the key's value (to the minute, the day)
    else:
        return
    assert keys == sorted(keys, reverse=descending), (value, idents)


def sorted_world(item: ListPage) -> None:
    copies(item.model, COPIES, **item.copy_of)
    if SORTED[item.page].vary:
        vary(item.model, SORTED[item.page].sorting)


# --- Each order sorts the page and its export ----------------------------------------


@pytest.mark.parametrize("case", ORDERS, ids=order_id)
def test_each_order_sorts_the_pages_rows_and_the_exports_rows(cast, world, case):
    item, value = case
    sorted_world(item)
    client = reader(getattr(cast, item.who))
    query = {**item.query, "sort": value}
    page = client.get(reverse(item.page), query)
    assert page.status_code == 200
    assert 'id="id_sort_error"' not in html(page)
    _headers, first_cells = page_table(page, item.table)
    assert len(first_cells) > 1, f"{item}: {query} lists too little to sort"
    _headers, exported = workbook(client.get(item.export_url, query))
    exported = [as_shown(v) for v in exported]

    assert len(exported) >= len(first_cells)
    for shown, cell in zip(first_cells, exported, strict=False):
        assert cell.startswith(shown), (cell, shown)
    assert_in_order(cast, item, value, first_cells)
    assert_in_order(cast, item, value, exported if SORTED[item.page].ident else first_cells)


@pytest.mark.parametrize("item", ITEMS, ids=str)
def test_rows_equal_on_the_order_keep_one_order_from_page_to_page(cast, world, item):
    spec = SORTED[item.page]
    if not spec.ident:
        pytest.skip("its first column names no single row")
    copies(item.model, 2 * COPIES, **item.copy_of)  # equal on every key but the unique ones
    client = reader(getattr(cast, item.who))
    for value in spec.sorting.values():
        if spec.sorting.split(value)[0].unique:
            continue
        seen: list[str] = []
        for number in range(1, 10):
            page = client.get(reverse(item.page), {**item.query, "sort": value, "page": number})
            seen += page_table(page, item.table)[1]
            if 'rel="next"' not in html(page):
                break
        _headers, exported = workbook(client.get(item.export_url, {**item.query, "sort": value}))
        assert len(seen) == len(set(seen)) == len(exported), (value, len(seen), len(set(seen)))
        assert seen == [as_shown(v) for v in exported]


# --- An unknown order --------------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS, ids=str)
def test_an_unknown_order_is_an_error_by_the_field_and_the_list_keeps_its_order(cast, world, item):
    client = reader(getattr(cast, item.who))
    default = client.get(reverse(item.page), item.query)
    page = client.get(reverse(item.page), {**item.query, "sort": "bogus"})
    assert page.status_code == 200
    text = html(page)
    assert 'id="id_sort_error"' in text and 'aria-invalid="true"' in text
    assert "bogus" in text  # Django's message names the value refused
    assert page_table(page, item.table)[1] == page_table(default, item.table)[1]
    _h, default_rows = workbook(client.get(item.export_url, item.query))
    _h, rows = workbook(client.get(item.export_url, {**item.query, "sort": "bogus"}))
    assert rows == default_rows


def test_the_unknown_orders_message_is_in_the_readers_language(cast, world):
    cast.platform_staff.language = "zh-hans"
    cast.platform_staff.save(update_fields=["language"])
    from sanbao.testkit.cast import login_client_for

    client = login_client_for(cast.platform_staff, language="zh-hans")
    page = client.get(reverse("claims:claim_list"), {"sort": "bogus"})
    assert page.status_code == 200
    assert "排序" in html(page)  # the select's label
    assert "bogus" in html(page) and "Select a valid choice" not in html(page)


# --- The cost of an order --------------------------------------------------------------


def queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("item", ITEMS, ids=str)
def test_choosing_an_order_costs_no_query(cast, world, item):
    sorted_world(item)
    client = reader(getattr(cast, item.who))
    url = reverse(item.page)
    client.get(url, item.query)  # warm-up: the session, the calendar's cache
    usual = queries(client, url, item.query)
    # The audit trail's page asks once per kind of record on it (ListPage's bound):
    # another order shows other kinds; it stays within the bound.
    per_row_kind = item.page_queries != ListPage.__dataclass_fields__["page_queries"].default
    for value in SORTED[item.page].sorting.values():
        count = queries(client, url, {**item.query, "sort": value})
        assert count <= item.page_queries, value
        assert per_row_kind or count == usual, value


# --- The API's lists -----------------------------------------------------------------

API_ITEMS = [item for item in ITEMS if SORTED[item.page].api]


def api_idents(response, ident: str) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return [str(entry[ident]) for entry in items]


@pytest.mark.parametrize("item", API_ITEMS, ids=str)
def test_the_apis_list_takes_each_order_and_refuses_another_naming_the_field(cast, world, item):
    spec = SORTED[item.page]
    sorted_world(item)
    user = getattr(cast, item.who)
    api = api_client_for(user, language="en")
    refused = api.get(spec.api, {"sort": "bogus"})
    assert refused.status_code == 422, refused.content[:300]
    assert "sort" in str(refused.json()["fields"])
    page = reader(user)
    for value in spec.sorting.values():
        answer = api.get(spec.api, {"sort": value, "page_size": 500})
        assert answer.status_code == 200, (value, answer.content[:300])
        if spec.ident:
            idents = api_idents(answer, spec.api_ident or spec.ident)
            assert_in_order(cast, item, value, idents)
            shown = page_table(page.get(reverse(item.page), {"sort": value}), item.table)[1]
            assert [i for i in idents if i in set(shown)][: len(shown)] == shown


API_EXPORTS = {
    "claims:claim_list": "/api/v1/claims/export.xlsx",
    "catalog:unit_list": "/api/v1/units/export.xlsx",
    "deliveries:declaration_list": "/api/v1/declarations/export.xlsx",
}


@pytest.mark.parametrize("page_name", API_EXPORTS)
def test_the_apis_export_follows_the_order_as_the_pages_export_does(cast, world, page_name):
    item = next(i for i in ITEMS if i.page == page_name)
    sorted_world(item)
    user = getattr(cast, item.who)
    api = api_client_for(user, language="en")
    for value in SORTED[page_name].sorting.values():
        _h, from_api = workbook(api.get(API_EXPORTS[page_name], {"sort": value}))
        _h, from_page = workbook(reader(user).get(item.export_url, {"sort": value}))
        assert from_api == from_page, value
    refused = api.get(API_EXPORTS[page_name], {"sort": "bogus"})
    assert refused.status_code == 422
