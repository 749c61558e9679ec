from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    # The card page's rate-limit counters live in the database's cache table.
    cache.clear()
    yield
    cache.clear()
