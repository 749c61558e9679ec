"""The dashboard's figures (issue 15 item 3), each checked against hand-made rows,
and the page: who may see it, its tables, its workbooks and its query count."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pickle import loads as pickle_loads
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sanbao.catalog.tests.factories import CategoryFactory, ProductModelFactory
from sanbao.claims.models import InspectionFinding
from sanbao.deliveries.models import Declaration, Delivery
from sanbao.insights import dashboard
from sanbao.returns.models import ReceiptAnomaly, ReturnBatch
from sanbao.returns.models import TestResult as Result
from sanbao.testkit.cast import login_client_for


def _at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def _batch(shop, org, *, declared, received=None, shipped_at=None, late=None) -> ReturnBatch:
    batch = ReturnBatch.objects.create(
        number=f"R-D{ReturnBatch.objects.count() + 1:05d}",
        status="closed" if shipped_at else "testing",
        return_org=org,
        declared_units=declared,
        declared_boxes=1,
        packed_on=dt.date(2026, 5, 1),
        contact_person="Li Lei",
        contact_phone="13900000000",
        created_by=shop.handler,
        received_units=received,
        shipped_at=shipped_at,
        working_days_late=late,
    )
    return batch


def _declaration(shop, agent, carrier: str, status: str, outcome: str = "") -> Declaration:
    n = Declaration.objects.count() + 1
    delivery = Delivery.objects.create(
        number=f"D-T{n:05d}",
        source="platform",
        agent=agent,
        note_no=f"N{n}",
        carrier=carrier,
        shipped_at=_at("2026-06-01 09:00"),
    )
    return Declaration.objects.create(
        number=f"V-T{n:05d}",
        status=status,
        delivery=delivery,
        description="Crushed corner.",
        opened_by=shop.handler,
        opened_at=_at("2026-06-02 09:00"),
        department="" if status == "draft" else "marketing",
        outcome=outcome,
        reason="Damage in the courier's care." if status == "rejected" else "",
    )


@pytest.fixture
def figures_data(shop, agent_a, agent_b):
    """Turnaround: the week of 1 June 2026, 2 batches shipped back, 1 on time; the
    week of 8 June, 3, all on time (one shipped at 01:00 on Monday 8 June in
    Shanghai, still Sunday in UTC). Receipt: agent A 10 declared 9 received and 5/5;
    agent B 4 declared 6 received. Results on model PR: returned units 3 faults (one
    of a serial not sold), 1 no fault found, 2 excluded (III.6, III.10); claims
    judged 1 fault, 2 not covered, 1 failure not confirmed (and one not judged yet).
    Exclusions found at inspection: III.6 twice, III.4 once; at the test III.6 and
    III.10. Declarations: SF 2 replaced, 1 rejected; ZTO 1 credited, 1 with the
    commissioner; a draft not counted. Open anomalies: 12 hours, 5 days, 20 days
    old; one resolved."""
    for at, late in [
        ("2026-06-02 10:00", 0),
        ("2026-06-05 16:00", 2),
        ("2026-06-08 01:00", 0),
        ("2026-06-09 10:00", 0),
        ("2026-06-12 10:00", 0),
    ]:
        _batch(shop, agent_a, declared=1, shipped_at=_at(at), late=late)
    _batch(shop, agent_a, declared=10, received=9)
    _batch(shop, agent_a, declared=5, received=5)
    _batch(shop, agent_b, declared=4, received=6)

    banks = CategoryFactory(code="banks", name_en="Power banks", name_zh="移动电源")
    pr = ProductModelFactory(code="PR", category=banks, name_en="Bank R", name_zh="电源R")
    units = shop.sell(pr, "2026-03", 10)
    shop.returned(units[0])
    shop.returned(units[1])
    shop.returned(units[2], Result.NO_FAULT_FOUND)
    shop.returned(units[3], Result.EXCLUDED, rule="III.6")
    shop.returned(units[4], Result.EXCLUDED, rule="III.10")
    shop.returned(units[4].__class__(serial="NOT-SOLD", model=pr), Result.FAULT_CONFIRMED)
    shop.claim(units[5], judged=True)
    not_covered = shop.claim(units[6], covered=False, judged=True)
    shop.claim(units[7], confirmed=False, judged=True)
    shop.claim(units[8], covered=False)  # not judged yet: not counted
    other = shop.claim(units[9], covered=False, judged=True)
    for claim, rule in [(not_covered, "III.6"), (other, "III.6"), (other, "III.4")]:
        InspectionFinding.objects.create(
            claim=claim, rule=rule, found=True, recorded_by=shop.handler
        )
    InspectionFinding.objects.create(
        claim=other, rule="III.8", found=False, recorded_by=shop.handler
    )

    _declaration(shop, agent_a, "SF", "accepted", "replaced")
    _declaration(shop, agent_a, "SF", "accepted", "replaced")
    _declaration(shop, agent_a, "SF", "rejected")
    _declaration(shop, agent_b, "ZTO", "accepted", "credited")
    _declaration(shop, agent_b, "ZTO", "submitted")
    _declaration(shop, agent_b, "ZTO", "draft")

    batch = ReturnBatch.objects.get(received_units=9)
    now = timezone.now()
    for age in (dt.timedelta(hours=12), dt.timedelta(days=5), dt.timedelta(days=20)):
        anomaly = ReceiptAnomaly.objects.create(batch=batch, kind="missing_units")
        ReceiptAnomaly.objects.filter(pk=anomaly.pk).update(opened_at=now - age)
    ReceiptAnomaly.objects.create(
        batch=batch, kind="boxes", resolved_at=now, resolution_note="Agreed."
    )
    return {"PR": pr}


def test_the_turnaround_figure_counts_batches_shipped_back_on_time_by_local_week(figures_data):
    figure = dashboard.turnaround_figure()
    assert figure.rows == [
        [dt.date(2026, 6, 1), 2, 1, Decimal("50.00")],
        [dt.date(2026, 6, 8), 3, 3, Decimal("100.00")],
    ]


def test_the_receipt_figure_compares_units_received_with_those_declared(figures_data):
    rows = dashboard.receipt_figure().rows
    assert [r[0] for r in rows] == ["AG-A", "AG-B"]
    assert rows[0][2:] == [2, 15, 14, -1, 1]
    assert rows[1][2:] == [1, 4, 6, 2, 1]


def test_the_results_figures_rate_faults_no_fault_found_and_exclusions(figures_data):
    results = dashboard.results_by_model()
    by_model = dashboard.results_model_figure(results).rows
    assert by_model == [
        [
            "PR",
            "Bank R",
            "Power banks",
            10,
            4,
            2,
            4,
            Decimal("40.00"),
            Decimal("20.00"),
            Decimal("40.00"),
        ]
    ]
    by_category = dashboard.results_category_figure(results).rows
    assert by_category == [["banks", "Power banks", *by_model[0][3:]]]


def test_the_exclusions_figure_ranks_the_rules_found_most_often(figures_data):
    rows = dashboard.exclusions_figure().rows
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("III.6", 2, 1, 3),
        ("III.4", 1, 0, 1),
        ("III.10", 0, 1, 1),
    ]
    assert rows[0][1] == "Handling, crushing, dropping, moisture, liquid or foreign matter"


def test_the_declarations_figure_counts_each_carrier_by_outcome(figures_data):
    assert dashboard.declarations_figure().rows == [
        ["SF", 0, 2, 0, 1, 3],
        ["ZTO", 1, 0, 1, 0, 2],
    ]


def test_the_anomalies_figure_counts_open_anomalies_by_age(figures_data):
    figure = dashboard.anomalies_figure()
    assert [r[1] for r in figure.rows] == [1, 0, 1, 0, 1]
    assert figure.rows[0][0] == "Under 1 day"
    assert figure.rows[-1][0] == "14 days or more"
    assert "3 open in 1 batches" in str(figure.note)


def test_the_quality_figure_lists_the_flags_with_their_serials(quality_data):
    rows = dashboard.quality_figure().rows
    assert [r[:9] for r in rows] == [
        ["A2", "Adapter 2", "Adapters", "2026-07", 100, 5, Decimal("5.00"), None, Decimal("1.00")],
        [
            "PX",
            "Bank X",
            "Power banks",
            "2026-07",
            100,
            6,
            Decimal("6.00"),
            Decimal("2.00"),
            Decimal("3.00"),
        ],
    ]
    assert rows[1][9:] == [
        "well above its own history, well above its category",
        "PX-202607-0010 – PX-202607-0015",
        "PX-202607-0000 – PX-202607-0099",
    ]


@pytest.mark.parametrize("role", ["platform_staff", "platform_manager", "commercial_commissioner"])
def test_the_page_shows_every_figure_with_its_chart_table_and_workbook(
    figures_data, quality_data, cast, role
):
    user = getattr(cast, role)
    user.language = "en"
    user.save(update_fields=["language"])
    response = login_client_for(user).get(reverse("insights:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in dashboard.FIGURES:
        assert f'data-testid="figure-{key}"' in html
        assert f'data-testid="chart-{key}"' in html
        assert f'data-testid="table-{key}"' in html
        assert reverse(f"insights:{key}_xlsx") in html
    assert '-t">Open receipt anomalies by age</title>' in html
    assert "PX-202607-0010 – PX-202607-0015" in html


def test_the_page_runs_a_bounded_number_of_queries(
    figures_data, quality_data, platform_staff, shop, django_assert_max_num_queries
):
    client = login_client_for(platform_staff)
    client.get(reverse("insights:dashboard"))
    with django_assert_max_num_queries(16):
        client.get(reverse("insights:dashboard"))
    more = shop.sell(figures_data["PR"], "2026-04", 30)
    for unit in more[:10]:
        shop.returned(unit, Result.EXCLUDED, rule="III.5")
        shop.claim(unit, judged=True)
    with django_assert_max_num_queries(16):
        client.get(reverse("insights:dashboard"))


def test_each_workbook_holds_the_rows_its_table_shows(figures_data, platform_staff):
    client = login_client_for(platform_staff)
    response = client.get(reverse("insights:declarations_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="dashboard-declarations-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "承运商 Carrier"
    assert values[1:] == [["SF", 0, 2, 0, 1, 3], ["ZTO", 1, 0, 1, 0, 2]]
    response = client.get(reverse("insights:turnaround_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:] == (2, 1, 50)


def test_the_page_speaks_chinese(figures_data, platform_manager):
    html = (
        login_client_for(platform_manager, language="zh-hans")
        .get(reverse("insights:dashboard"))
        .content.decode()
    )
    assert "按龄期" in html or "未解决" in html


def test_the_figures_are_counted_at_most_every_so_many_seconds(
    figures_data, platform_staff, shop, settings, django_assert_max_num_queries
):
    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 300
    client = login_client_for(platform_staff)
    first = client.get(reverse("insights:dashboard")).content.decode()
    assert 'data-testid="taken-at"' in first
    _declaration(shop, shop.return_org, "EMS", "submitted")
    with django_assert_max_num_queries(4):  # the session, the user, the cache
        again = client.get(reverse("insights:dashboard")).content.decode()
    assert "EMS" not in again
    workbook = client.get(reverse("insights:declarations_xlsx")).content
    rows = list(load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["SF", "ZTO"]  # the numbers the page shows
    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 0
    assert "EMS" in client.get(reverse("insights:dashboard")).content.decode()


def test_a_snapshot_already_read_is_not_read_again_until_another_is_taken(
    figures_data, platform_staff, shop, settings
):
    """Each request reads when the cached snapshot was taken; the snapshot itself is
    unpickled only when it is not the one this process read last."""
    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    first = dashboard.snapshot(actor=platform_staff)
    read = []

    def loads(data):
        read.append(pickle_loads(data))
        return read[-1]

    with mock.patch("pickle.loads", side_effect=loads):
        dashboard.snapshot(actor=platform_staff)
    assert read == [first.taken_at]  # when the cached one was taken, only
    assert dashboard.snapshot(actor=platform_staff) is first
    cache.delete("insights:dashboard:en:taken-at")  # it expired: counted anew
    _declaration(shop, shop.return_org, "EMS", "submitted")
    later = dashboard.snapshot(actor=platform_staff)
    assert later is not first
    assert "EMS" in [row[0] for row in later.figure("declarations").rows]


def test_the_page_shows_the_figures_in_the_order_of_their_keys(figures_data, platform_staff):
    keys = [f.key for f in dashboard.snapshot(actor=platform_staff).figures]
    assert keys == list(dashboard.FIGURES)


def test_the_trend_figure_shows_each_flagged_models_rate_by_sale_month(quality_data):
    rows = dashboard.quality_trend_figure().rows
    assert [r for r in rows if r[0] == "A2"] == [["A2", "2026-07", 100, 5, Decimal("5.00")]]
    px = [r for r in rows if r[0] == "PX"]
    assert [r[1] for r in px] == [f"2026-{m:02d}" for m in range(1, 8)]
    assert [r[4] for r in px] == [Decimal("2.00")] * 6 + [Decimal("6.00")]
    assert {r[0] for r in rows} == {"A2", "PX"}  # the steady models are not drawn


def test_the_figures_are_rendered_once_a_snapshot_and_language_and_each_reader_sees_them(
    figures_data, quality_data, cast, settings
):
    """Issue 15: rendering 1,200 table cells was 25 of the page's 30 ms CPU; the
    figures' HTML is the same for every reader of a snapshot in a language."""
    from django.test.signals import template_rendered

    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 300
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        staff, manager = cast.platform_staff, cast.platform_manager
        staff.language, manager.language = "en", "zh-hans"
        staff.save(update_fields=["language"])
        manager.save(update_fields=["language"])
        first = login_client_for(staff).get(reverse("insights:dashboard")).content.decode()
        again = login_client_for(staff).get(reverse("insights:dashboard")).content.decode()
        chinese = login_client_for(manager).get(reverse("insights:dashboard")).content.decode()
        assert rendered.count("insights/_figures.html") == 2  # English once, Chinese once
        # Another snapshot (the figures counted again) is rendered again.
        cache.clear()
        login_client_for(staff).get(reverse("insights:dashboard"))
        assert rendered.count("insights/_figures.html") == 3
    finally:
        template_rendered.disconnect(note)
    assert "Open receipt anomalies by age" in first and "Open receipt anomalies by age" in again
    assert "Open receipt anomalies by age" not in chinese
    assert 'data-testid="table-quality"' in chinese
