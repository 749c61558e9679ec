"""Demo data for ``make run``: the brand's after-sales centre, its partners, one
login per role, a small catalog, 2,000 sold units, eight warranty claims and a
return batch in each state.

Loading is idempotent: whatever already exists (matched by its code, username
or, for a claim, its fault description) is left as it is, so running
``load_demo`` twice changes nothing and fails on nothing. Everything goes through
the services of its app, as the people named in the specs would do it, except
what has no create service (see ``people`` and ``catalog``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanbao.demo.catalog import ensure_catalog
from sanbao.demo.claims import ensure_claims
from sanbao.demo.people import ensure_people
from sanbao.demo.result import DemoResult
from sanbao.demo.returns import ensure_batches


def load(*, today: dt.date | None = None) -> DemoResult:
    """Create whatever part of the demo data is missing; return what was done."""
    today = today or timezone.localdate()
    result = DemoResult()
    with transaction.atomic():
        admin, _orgs = ensure_people(result)
        ensure_catalog(result, admin, today)
        ensure_claims(result, today)
        ensure_batches(result, today)
    return result
