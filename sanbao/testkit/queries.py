"""Query counts: a list endpoint's queries do not grow with its rows.

:func:`assert_list_queries_flat` proves a list endpoint's query count does not
grow with its rows. For an absolute ceiling, warm the client up once (the first
token request records ``last_used_at``) and then use pytest-django's fixture::

    client.get(url)
    with django_assert_max_num_queries(4):
        client.get(url)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn: Callable[[], Any]) -> tuple[int, Any]:
    """How many SQL queries ``fn()`` runs, and its result."""
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def assert_list_queries_flat(
    fetch: Callable[[], Any],
    add_rows: Callable[[int], Any],
    *,
    ceiling: int,
    more: int = 25,
) -> int:
    """``fetch()`` (a list request) runs the same number of queries, at most
    ``ceiling``, with one row more than it started with and after a further
    ``add_rows(more)``. Returns that number. (One row first: an empty page skips
    the query for the items, which would hide an N+1 behind a constant.)"""
    add_rows(1)
    first = fetch()  # warm-up: token last-used stamp, caches
    assert getattr(first, "status_code", 200) == 200
    before, response = count_queries(fetch)
    add_rows(more)
    after, response = count_queries(fetch)
    assert getattr(response, "status_code", 200) == 200
    assert after == before, f"queries grew with rows: {before} -> {after}"
    assert after <= ceiling, f"{after} queries, ceiling {ceiling}"
    return after
