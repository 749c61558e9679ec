"""The database connection's options (config/settings.py)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    """JIT compilation cost the home page's count 36 ms of its 45 at 20,000 batches
    and most of 700 ms at 100,000 (issue 15): every connection turns it off."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
