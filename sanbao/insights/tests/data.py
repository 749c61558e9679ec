"""Hand-made rows for the quality signals and the dashboard (``conftest.py`` and
the browser test use them).

Rows are written directly (test setup: each is a state the workflows' services
reach, made here in bulk so a test can sell seven months of units). ``Shop`` sells
units of a model in a month (serials ``<model>-<yyyymm>-<nnnn>``) and marks faults
the ways the platform learns of them: a claim judged covered with the failure
confirmed, a returned unit whose test confirmed the fault, and the outcomes that
are no fault (a claim not covered or without a confirmed failure, a returned unit
with no fault found or excluded)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import CategoryFactory, ProductModelFactory
from sanbao.claims.models import Claim, ClaimStatus, Verdict
from sanbao.returns.models import BatchStatus, ReturnBatch, ReturnedUnit, TestResult

_numbers = itertools.count(1)


class Shop:
    def __init__(self, *, handler, return_org):
        self.handler = handler  # a platform user: takes claims in, creates batches
        self.return_org = return_org
        self._batch = None

    def sell(self, model, month: str, count: int) -> list[Unit]:
        """``count`` units of ``model`` sold on the 10th of ``month`` (``"2026-07"``)."""
        day = dt.date.fromisoformat(f"{month}-10")
        stem = f"{model.code}-{day:%Y%m}"
        return Unit.objects.bulk_create(
            Unit(serial=f"{stem}-{i:04d}", model=model, sale_date=day) for i in range(count)
        )

    def claim(self, unit, *, covered=True, confirmed=True, judged=False) -> Claim:
        n = next(_numbers)
        return Claim.objects.create(
            judged_at=timezone.now() if judged else None,
            number=f"C-T{n:06d}",
            status=ClaimStatus.APPROVED if covered and confirmed else ClaimStatus.REJECTED,
            handling_org=self.handler.organisation,
            consumer_phone="13800000000",
            unit=unit,
            model=unit.model,
            delivered_on=unit.sale_date,
            claimed_on=unit.sale_date + dt.timedelta(days=30),
            handed_in_on=unit.sale_date + dt.timedelta(days=30),
            region="mainland",
            fault_kind="no_output",
            fault_description="No output.",
            verdict=Verdict.COVERED if covered else Verdict.NOT_COVERED,
            policy_version="2026.1",
            failure_confirmed=confirmed,
            created_by=self.handler,
        )

    def batch(self) -> ReturnBatch:
        if self._batch is None:
            self._batch = ReturnBatch.objects.create(
                number=f"R-T{next(_numbers):06d}",
                status=BatchStatus.TESTING,
                return_org=self.return_org,
                declared_units=100,
                declared_boxes=1,
                packed_on=dt.date(2026, 8, 1),
                contact_person="Li Lei",
                contact_phone="13900000000",
                created_by=self.handler,
            )
        return self._batch

    def returned(self, unit, result=TestResult.FAULT_CONFIRMED, rule="") -> ReturnedUnit:
        batch = self.batch()
        seq = ReturnedUnit.objects.filter(batch=batch).count() + 1
        return ReturnedUnit.objects.create(
            batch=batch,
            seq=seq,
            code=f"U{seq:05d}",
            model=unit.model,
            serial_in=unit.serial,
            result=result,
            excluded_rule=rule,
        )


MONTHS = [f"2026-{m:02d}" for m in range(1, 8)]


def quality_scenario(shop: Shop) -> dict:
    """Two categories, seven sale months (January to July 2026), 100 units a model a
    month:

    * power banks PX: 2 faulty a month, then 6 in July (its rate triples: 2% -> 6%),
      faulty serials PX-202607-0010 to -0015; PY: a steady 3 a month;
    * adapters A1: a steady 1 a month; A2: launched in July, 5 faulty of 100 (no
      history of its own, five times its category's 1%).

    July's PX faults come three from claims, two from returned units and one from
    both (counted once); four more July PX units have outcomes that are no fault."""
    banks = CategoryFactory(code="banks", name_en="Power banks", name_zh="移动电源")
    adapters = CategoryFactory(code="adapters", name_en="Adapters", name_zh="充电器")
    px = ProductModelFactory(code="PX", category=banks, name_en="Bank X", name_zh="电源X")
    py = ProductModelFactory(code="PY", category=banks, name_en="Bank Y", name_zh="电源Y")
    a1 = ProductModelFactory(code="A1", category=adapters, name_en="Adapter 1", name_zh="充电器1")
    a2 = ProductModelFactory(code="A2", category=adapters, name_en="Adapter 2", name_zh="充电器2")
    for month in MONTHS:
        px_units, py_units, a1_units = (shop.sell(m, month, 100) for m in (px, py, a1))
        if month != "2026-07":
            for unit in px_units[:2]:
                shop.claim(unit)
        for unit in py_units[:2]:
            shop.claim(unit)
        shop.returned(py_units[2])
        shop.returned(a1_units[50])
    july = {u.serial: u for u in Unit.objects.filter(model=px, sale_date__month=7)}
    faulty = [july[f"PX-202607-{i:04d}"] for i in range(10, 16)]
    for unit in faulty[:3]:
        shop.claim(unit)
    for unit in faulty[3:5]:
        shop.returned(unit)
    shop.claim(faulty[5])
    shop.returned(faulty[5])
    shop.claim(july["PX-202607-0020"], covered=False)
    shop.claim(july["PX-202607-0021"], confirmed=False)
    shop.returned(july["PX-202607-0022"], TestResult.NO_FAULT_FOUND)
    shop.returned(july["PX-202607-0023"], TestResult.EXCLUDED, rule="III.6")
    a2_units = shop.sell(a2, "2026-07", 100)
    for unit in a2_units[95:]:
        shop.returned(unit)
    return {"PX": px, "PY": py, "A1": a1, "A2": a2, "banks": banks, "adapters": adapters}
