"""Who may read agent A's statement and data (IV.8): its own clerk and the
platform staff who see every declaration; another return unit gets a 404, the
commissioners and the service outlet a 403; anonymous is asked to log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.accounts.roles import PERMISSIONS
from sanbao.statements import urls
from sanbao.testkit.matrix import (
    Case,
    assert_every_operation_has_a_case,
    check,
    declared_url_names,
    matrix,
)

VIEW = PERMISSIONS["statements.view"]


def _page(name: str, *args, query: str = ""):
    return lambda cast: reverse(f"statements:{name}", args=list(args)) + query


CASES = [
    Case("get_statement", "GET", "/api/v1/statements?organisation=AG-A", VIEW, "agent_a"),
    Case("export_statement_xlsx", "GET", "/api/v1/statements/AG-A/statement.xlsx", VIEW, "agent_a"),
    Case("get_statement_pdf", "GET", "/api/v1/statements/AG-A/statement.pdf", VIEW, "agent_a"),
    Case("statement", "GET", _page("statement", query="?organisation=AG-A"), VIEW, "agent_a"),
    Case("statement_pdf", "GET", _page("statement_pdf", "AG-A"), VIEW, "agent_a"),
    Case("statement_xlsx", "GET", _page("statement_xlsx", "AG-A"), VIEW, "agent_a"),
    Case("records", "GET", _page("records", query="?organisation=AG-A"), VIEW, "agent_a"),
    Case("records_xlsx", "GET", _page("records_xlsx", "AG-A"), VIEW, "agent_a"),
    Case("records_csv", "GET", _page("records_csv", "AG-A"), VIEW, "agent_a"),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_statement_url_answers_each_member_of_the_cast_as_declared(cast, row):
    assert cast.agent_a.code == "AG-A"  # the return unit the URLs name
    check(cast, row)


def test_every_statements_operation_and_page_has_a_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["statements"])
    pages = {p.name for p in urls.urlpatterns}
    page_cases = [c for c in CASES if not c.resolve_url(cast).startswith("/api/")]
    assert declared_url_names(page_cases, cast) == pages
