"""Quality signals (issue 15 item 4) against the hand-made data set of conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanbao.insights import policy, quality
from sanbao.insights.tasks import quality_signals_notify
from sanbao.notifications.models import Message

JULY = dt.date(2026, 7, 1)


def _row(rows, model, month):
    return next(r for r in rows if r.model_id == model.pk and r.month == month)


def test_the_fault_rate_counts_faulty_units_per_unit_sold_by_model_and_sale_month(quality_data):
    rows = quality.model_months()
    px_july = _row(rows, quality_data["PX"], JULY)
    assert (px_july.sold, px_july.faulty, px_july.rate) == (100, 6, Decimal("6.00"))
    px_june = _row(rows, quality_data["PX"], dt.date(2026, 6, 1))
    assert (px_june.sold, px_june.faulty) == (100, 2)
    py_june = _row(rows, quality_data["PY"], dt.date(2026, 6, 1))
    assert (py_june.faulty, py_june.rate) == (3, Decimal("3.00"))
    assert len(rows) == 3 * 7 + 1


def test_a_unit_found_faulty_by_a_claim_and_a_returned_unit_counts_once(quality_data):
    px_july = _row(quality.model_months(), quality_data["PX"], JULY)
    assert px_july.faulty == 6  # 3 claims + 2 returned + 1 both; the four others no fault


def test_the_model_whose_rate_triples_in_a_sale_month_is_flagged_with_its_serials(quality_data):
    found = quality.signals()
    px = [f for f in found.flags if f.model_id == quality_data["PX"].pk]
    assert [f.month for f in px] == [JULY]
    flag = px[0]
    assert flag.reasons == (policy.HISTORY, policy.CATEGORY)
    assert flag.history_rate == Decimal("2.00")
    assert flag.category_rate == Decimal("3.00")  # PY that month
    c = flag.counts
    assert (c.first_faulty, c.last_faulty) == ("PX-202607-0010", "PX-202607-0015")
    assert (c.first_serial, c.last_serial) == ("PX-202607-0000", "PX-202607-0099")
    assert found.model(flag).code == "PX"


def test_a_steady_model_is_not_flagged(quality_data):
    flagged = {f.model_id for f in quality.signals().flags}
    assert quality_data["PY"].pk not in flagged
    assert quality_data["A1"].pk not in flagged


def test_a_new_model_well_above_its_category_is_flagged_for_its_category_alone(quality_data):
    a2 = [f for f in quality.signals().flags if f.model_id == quality_data["A2"].pk]
    assert len(a2) == 1
    assert a2[0].reasons == (policy.CATEGORY,)
    assert a2[0].history_rate is None
    assert a2[0].category_rate == Decimal("1.00")
    assert (a2[0].counts.first_faulty, a2[0].counts.last_faulty) == (
        "A2-202607-0095",
        "A2-202607-0099",
    )


def test_the_thresholds_are_the_settings(quality_data, settings):
    settings.SANBAO_QUALITY_MIN_FAULTS = 7
    assert quality.signals().flags == []
    settings.SANBAO_QUALITY_MIN_FAULTS = 3
    settings.SANBAO_QUALITY_RISE_PERCENT = 301
    settings.SANBAO_QUALITY_CATEGORY_PERCENT = 501
    assert quality.signals().flags == []
    settings.SANBAO_QUALITY_RISE_PERCENT = 300
    assert [(f.counts.faulty, f.reasons) for f in quality.signals().flags] == [
        (6, (policy.HISTORY,))
    ]


def test_the_signals_take_four_queries_whatever_the_number_of_units(
    quality_data, shop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        quality.signals()
    for unit in shop.sell(quality_data["PY"], "2026-08", 50)[:10]:
        shop.claim(unit)
    with django_assert_max_num_queries(4):
        assert len(quality.signals().flags) == 3


def test_the_managers_are_told_of_each_flag_once(quality_data, platform_manager, platform_staff):
    assert platform_manager.language == "zh-hans"  # told in their own language
    assert quality_signals_notify() == 2
    messages = Message.objects.filter(recipient=platform_manager).order_by("subject")
    assert [m.subject for m in messages] == [
        "质量信号：2026-07 售出的 A2 故障率 5.00%",
        "质量信号：2026-07 售出的 PX 故障率 6.00%",
    ]
    assert "故障序列号：PX-202607-0010 – PX-202607-0015" in messages[1].body
    assert "销售月份：2026-07" in messages[1].body
    assert "/dashboard/" in messages[1].body
    assert not Message.objects.filter(recipient=platform_staff).exists()
    assert quality_signals_notify() == 0
    assert Message.objects.count() == 2


def test_the_daily_jobs_run_the_quality_signals(quality_data, platform_manager):
    from sanbao.core.jobs import run_daily

    assert run_daily(["quality_signals"]) == {"quality_signals": 2}


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [(dt.date(2026, 3, 1), 2, dt.date(2026, 1, 1)), (dt.date(2026, 1, 1), 1, dt.date(2025, 12, 1))],
)
def test_months_before_crosses_the_year(month, n, expected):
    assert policy.months_before(month, n) == expected
