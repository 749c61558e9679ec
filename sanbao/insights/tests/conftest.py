"""The insights tests' data set: ``shop`` (a ``data.Shop``) and ``quality_data``
(``data.quality_scenario``: two categories sold over seven months, with one model
whose fault rate triples in July 2026)."""

from __future__ import annotations

import pytest

from sanbao.insights.tests.data import Shop, quality_scenario


@pytest.fixture
def shop(platform_staff, agent_a) -> Shop:
    return Shop(handler=platform_staff, return_org=agent_a)


@pytest.fixture
def quality_data(shop) -> dict:
    return quality_scenario(shop)


@pytest.fixture(autouse=True)
def _counted_every_time(settings):
    """The figures counted on every request (the cache has its own test)."""
    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 0
