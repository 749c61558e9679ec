"""Who may read the dashboard and its workbooks: the platform's roles; anyone else
a 403, and anonymous is asked to log in. Every page of the app has its case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.accounts.roles import PERMISSIONS
from sanbao.insights import dashboard, urls
from sanbao.testkit.matrix import Case, check, declared_url_names, matrix

VIEW = PERMISSIONS["dashboard.view"]


def _page(name: str):
    return lambda cast: reverse(f"insights:{name}")


CASES = [
    Case("dashboard", "GET", _page("dashboard"), VIEW),
    *(Case(f"{key}_xlsx", "GET", _page(f"{key}_xlsx"), VIEW) for key in dashboard.FIGURES),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_dashboard_url_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_dashboard_page_has_a_case(cast):
    assert declared_url_names(CASES, cast) == {p.name for p in urls.urlpatterns}
