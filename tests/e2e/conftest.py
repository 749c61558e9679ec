"""What every journey against the live server starts from: no rate-limit counters
left by the journeys before it. The counters live in the database cache's table,
which the flush between transactional tests does not empty; the consumer's
journeys confirm the same mobile number, and a code sent to it again within
``SANBAO_OTP_RESEND_SECONDS`` (or past its hourly allowance) is refused with 429:
run together, the second journey failed on the first's counters."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        cache.clear()
    yield
