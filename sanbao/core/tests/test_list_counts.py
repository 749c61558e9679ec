"""Counting a list's rows (issue 15): a list page counts up to
``SANBAO_LIST_EXACT_COUNT`` rows exactly on every request, with a count that
stops there, and a longer list's total from ``core.cache.cached_count``, counted
again at most every ``SANBAO_LIST_COUNT_CACHE_SECONDS``; the home page's totals
come from the same cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.accounts.models import Organisation
from sanbao.core.cache import cached_count
from sanbao.core.web import ListPaginator

pytestmark = pytest.mark.django_db


def organisations(n: int, prefix: str = "count") -> None:
    Organisation.objects.bulk_create(
        Organisation(code=f"{prefix}-{i}", kind="agent", name_en=f"Org {i}", name_zh=f"机构{i}")
        for i in range(n)
    )


def ours():
    return Organisation.objects.filter(code__startswith="count-").order_by("code")


def test_a_short_list_is_counted_exactly_on_every_request(settings):
    settings.SANBAO_LIST_EXACT_COUNT = 5
    organisations(4)
    assert ListPaginator(ours(), 2).count == 4
    organisations(1, prefix="count-more")
    assert ListPaginator(ours(), 2).count == 5  # still exact: never cached


def test_a_count_stops_at_the_limit_before_a_long_list_is_counted_in_full(settings):
    settings.SANBAO_LIST_EXACT_COUNT = 3
    organisations(5)
    with CaptureQueriesContext(connection) as queries:
        assert ListPaginator(ours(), 2).count == 5
    bounded = queries.captured_queries[0]["sql"]
    assert "LIMIT 4" in bounded  # the limit and one more: "more than the limit"


def test_a_long_lists_total_is_counted_again_only_when_its_cached_count_expires(settings):
    settings.SANBAO_LIST_EXACT_COUNT = 3
    settings.SANBAO_LIST_COUNT_CACHE_SECONDS = 60
    organisations(5)
    assert ListPaginator(ours(), 2).count == 5
    organisations(1, prefix="count-more")
    # The same rows asked again within the minute: the kept total, and its pages.
    paginator = ListPaginator(ours(), 2)
    assert (paginator.count, paginator.num_pages) == (5, 3)
    # Other filters are other rows: counted for themselves.
    assert ListPaginator(ours().exclude(code="count-0"), 2).count == 5
    settings.SANBAO_LIST_COUNT_CACHE_SECONDS = 0
    assert ListPaginator(ours(), 2).count == 6


def test_a_list_that_is_not_a_query_is_counted_as_it_is(settings):
    settings.SANBAO_LIST_EXACT_COUNT = 1
    assert ListPaginator([1, 2, 3], 2).count == 3


def test_a_cached_count_of_no_rows_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert cached_count(Organisation.objects.none(), 60) == 0


def test_a_cached_count_is_kept_by_its_query_so_different_scopes_never_share_one():
    organisations(3)
    assert cached_count(ours(), 60) == 3
    assert cached_count(ours().filter(code="count-1"), 60) == 1
    organisations(1, prefix="count-more")
    assert cached_count(ours(), 60) == 3  # kept
    assert cached_count(ours(), 0) == 4  # 0: counted every time
