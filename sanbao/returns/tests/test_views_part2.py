"""Return-batch pages after receipt: the turnaround panel and the returned units on
the batch page (IV.5), a unit's page where it is tested, dealt with and delayed
(IV.P2, IV.6), the turnaround queue, and the shipments with their delivery lists
(IV.7); who may open and do what, and what a return unit reads."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanbao.accounts.roles import PERMISSIONS
from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus, Shipment, ShipmentStatus
from sanbao.returns.tests.conftest import (
    on_hold,
    pb_lines,
    received,
    reload,
    settle_all,
    shipped,
    under_test,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix
from sanbao.testkit.queries import assert_list_queries_flat

VIEW = set(PERMISSIONS["returns.view"])
RECEIVE = set(PERMISSIONS["returns.receive"])
HTMX = {"HX-Request": "true"}


def html(response) -> str:
    return response.content.decode()


def error_code(response) -> str | None:
    found = re.search(r'data-error-code="([^"]*)"', html(response))
    return found.group(1) if found else None


def field_errors(response) -> set[str]:
    return set(re.findall(r'data-field-error="([^"]*)"', html(response)))


def shown_testids(response) -> set[str]:
    return set(re.findall(r'data-testid="([^"]+)"', html(response)))


def attr(response, testid: str, name: str) -> str | None:
    """The attribute ``name`` of the first element with ``data-testid=testid``."""
    tag = re.search(rf'<[^>]*data-testid="{re.escape(testid)}"[^>]*>', html(response))
    if tag is None:
        return None
    found = re.search(rf'{name}="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


def row_tag(response, testid: str, number: str) -> str:
    """The opening tag of the ``testid`` row whose data-number is ``number``."""
    found = re.search(
        rf'<tr[^>]*data-testid="{testid}"[^>]*data-number="{re.escape(number)}"[^>]*>',
        html(response),
    )
    return found.group(0) if found else ""


def rows(response, testid: str, name: str) -> list[str]:
    """The values of attribute ``name`` of every ``testid`` element, in page order."""
    return re.findall(rf'data-testid="{testid}"[^>]*?{name}="([^"]*)"', html(response))


def batch_url(name: str, batch, *args) -> str:
    return reverse(f"returns:{name}", args=[batch.number, *args])


def unit_url(name: str, batch, seq: int) -> str:
    return reverse(f"returns:{name}", args=[batch.number, seq])


def png(name: str = "drop.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def status_of(batch) -> str:
    return reload(batch).status


# Batches and shipments at each stage, taken there through the services ------------------


@pytest.fixture
def received_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    """Two power banks received as listed: the IV.5 clock runs."""
    return received(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def testing_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    return under_test(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def unit_of_agent_a(testing_of_agent_a):
    return testing_of_agent_a.units.get(seq=1)


@pytest.fixture
def tested_unit_of_agent_a(platform_staff, unit_of_agent_a):
    return services.unit_test(
        unit=unit_of_agent_a, actor=platform_staff, result="no_fault_found", evidence="Bench"
    )


@pytest.fixture
def photographed_unit_of_agent_a(platform_staff, unit_of_agent_a):
    return services.unit_test(
        unit=unit_of_agent_a,
        actor=platform_staff,
        result="excluded",
        excluded_rule="III.6",
        evidence="Casing cracked by a fall",
        photo=png(),
    )


@pytest.fixture
def ready_of_agent_a(platform_staff, testing_of_agent_a):
    return settle_all(testing_of_agent_a, platform_staff)


@pytest.fixture
def prepared_of_agent_a(platform_staff, ready_of_agent_a):
    """A shipment of every unit of the ready batch, prepared, not yet gone."""
    units = selectors.units_to_ship(actor=platform_staff, return_org="AG-A")
    return services.shipment_create(
        actor=platform_staff,
        return_org_code="AG-A",
        unit_ids=[u.pk for u in units],
        carrier="SF Express",
    )


@pytest.fixture
def shipped_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    """A batch of its own, every unit gone back: it may be closed."""
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    shipped(batch, platform_staff)
    return reload(batch)


# The permission matrix ----------------------------------------------------------------------


def _url(name, fixture=None, *, seq=None, query=""):
    def build(cast):
        args = [getattr(cast, fixture).number] if fixture else []
        if seq is not None:
            args.append(seq)
        return reverse(f"returns:{name}", args=args) + query

    return build


def _needs(*fixtures, then):
    def build(cast):
        for fixture in fixtures:
            getattr(cast, fixture)
        return then(cast)

    return build


def _batch_now(fixture, status):
    def on_ok(response, cast):
        assert status_of(getattr(cast, fixture)) == status

    return on_ok


def _all_delayed(fixture):
    def on_ok(response, cast):
        units = getattr(cast, fixture).units.all()
        assert {u.delay_reason for u in units} == {"force_majeure"}

    return on_ok


def _shipment_now(status):
    def on_ok(response, cast):
        cast.prepared_of_agent_a.refresh_from_db()
        assert cast.prepared_of_agent_a.status == status

    return on_ok


def _shipment_created(response, cast):
    shipment = Shipment.objects.get()
    assert response.url == reverse("returns:shipment_detail", args=[shipment.number])


def _queued(fixture):
    def on_ok(response, cast):
        number = getattr(cast, fixture).number
        assert rows(response, "queue-row", "data-number") == [number]

    return on_ok


def _ready_units(cast) -> dict:
    ids = [u.pk for u in cast.ready_of_agent_a.units.all()]
    return {"return_org_code": "AG-A", "unit_ids": ids, "carrier": "SF Express"}


CASES = [
    Case(
        "queue",
        "GET",
        _needs("received_of_agent_a", then=_url("queue")),
        RECEIVE,
        on_ok=_queued("received_of_agent_a"),
    ),
    Case("shipment_list", "GET", _needs("prepared_of_agent_a", then=_url("shipment_list")), VIEW),
    Case(
        "shipment_create_page",
        "GET",
        _needs("ready_of_agent_a", then=_url("shipment_create", query="?return_org=AG-A")),
        RECEIVE,
    ),
    Case(
        "shipment_create_post",
        "POST",
        _url("shipment_create"),
        RECEIVE,
        expect_ok=302,
        body=_ready_units,
        on_ok=_shipment_created,
    ),
    Case(
        "shipment_detail",
        "GET",
        lambda cast: reverse("returns:shipment_detail", args=[cast.prepared_of_agent_a.number]),
        VIEW,
        owner_org="agent_a",
    ),
    Case(
        "shipment_dispatch",
        "POST",
        lambda cast: reverse("returns:shipment_dispatch", args=[cast.prepared_of_agent_a.number]),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"waybill_no": "SF5550001"},
        on_ok=_shipment_now(ShipmentStatus.SHIPPED),
    ),
    Case(
        "shipment_cancel",
        "POST",
        lambda cast: reverse("returns:shipment_cancel", args=[cast.prepared_of_agent_a.number]),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_shipment_now(ShipmentStatus.CANCELLED),
    ),
    Case(
        "testing_start",
        "POST",
        _url("testing_start", "received_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_batch_now("received_of_agent_a", BatchStatus.TESTING),
    ),
    Case(
        "batch_delay",
        "POST",
        _url("batch_delay", "testing_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"reason": "force_majeure", "note": "Typhoon"},
        on_ok=_all_delayed("testing_of_agent_a"),
    ),
    Case(
        "batch_close",
        "POST",
        _url("batch_close", "shipped_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_batch_now("shipped_of_agent_a", BatchStatus.CLOSED),
    ),
    Case(
        "unit_detail",
        "GET",
        _url("unit_detail", "testing_of_agent_a", seq=1),
        VIEW,
        owner_org="agent_a",
    ),
    Case(
        "unit_photo",
        "GET",
        _needs(
            "photographed_unit_of_agent_a", then=_url("unit_photo", "testing_of_agent_a", seq=1)
        ),
        VIEW,
        owner_org="agent_a",
    ),
    Case(
        "unit_test",
        "POST",
        _url("unit_test", "testing_of_agent_a", seq=1),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"result": "fault_confirmed"},
    ),
    Case(
        "unit_dispose",
        "POST",
        _needs("tested_unit_of_agent_a", then=_url("unit_dispose", "testing_of_agent_a", seq=1)),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"disposition": "returned_as_is"},
    ),
    Case(
        "unit_delay",
        "POST",
        _url("unit_delay", "testing_of_agent_a", seq=1),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"reason": "parts_shortage"},
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_part_two_page_and_action_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# The delivery lists are the document views' (tested with the documents).
DOCUMENT_PAGES = {"delivery_list_pdf", "delivery_list_xlsx"}


class _AnyRecord:
    """Stands for any fixture when only the URL's name matters: a batch or shipment
    number, a primary key, a unit's batch."""

    number = "R2601-AAAAAA"
    pk = 1

    @property
    def batch(self):
        return self


class _AnyCast:
    def __getattr__(self, name):
        return _AnyRecord()


def test_every_returns_page_is_declared_in_a_permission_matrix():
    from django.urls import resolve

    from sanbao.returns.tests import test_views as part_one
    from sanbao.returns.urls import urlpatterns

    declared = {
        resolve(case.resolve_url(_AnyCast()).split("?")[0]).url_name
        for case in [*part_one.CASES, *CASES]
    }
    assert declared == {p.name for p in urlpatterns} - part_one.DOCUMENT_PAGES - DOCUMENT_PAGES


# The workshop through the pages ---------------------------------------------------------------


@pytest.mark.clause("IV.P2")
def test_staff_start_testing_exclude_a_unit_with_a_photo_charge_it_and_the_batch_becomes_ready(
    platform_staff, received_of_agent_a
):
    batch = received_of_agent_a
    client = login_client_for(platform_staff)
    page = client.get(batch_url("batch_detail", batch))
    assert "action-start_testing" in shown_testids(page)

    response = client.post(batch_url("testing_start", batch))
    assert response.status_code == 302
    assert response.url == batch_url("batch_detail", batch)
    page = client.get(response.url)
    assert rows(page, "unit-row", "data-seq") == ["1", "2"]
    assert attr(page, "unit-counts", "data-total") == "2"

    response = client.post(
        unit_url("unit_test", batch, 1),
        {
            "result": "excluded",
            "excluded_rule": "III.6",
            "evidence": "Casing cracked, moisture inside",
            "serial_in": "SBX010001",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    assert response.url == unit_url("unit_detail", batch, 1)
    page = client.get(response.url)
    assert attr(page, "unit-excluded-rule", "data-rule") == "III.6"
    photo_url = unit_url("unit_photo", batch, 1)
    assert f'href="{photo_url}"' in html(page)
    photo = client.get(photo_url)
    assert photo.status_code == 200
    assert photo["Content-Security-Policy"] == "sandbox"
    # Excluded: returned as is or charged, nothing else is offered (IV.P2).
    assert {"disposition-returned_as_is", "disposition-charged"} <= shown_testids(page)
    assert not {"disposition-repaired", "disposition-replaced"} & shown_testids(page)

    response = client.post(
        unit_url("unit_dispose", batch, 1),
        {"disposition": "charged", "charge_amount": "25.50", "charge_reason": "Drop damage"},
    )
    assert response.status_code == 302
    assert response.url == unit_url("unit_detail", batch, 2)  # on to the next unit
    unit = batch.units.get(seq=1)
    assert (unit.disposition, str(unit.charge_amount), unit.charge_reason) == (
        "charged",
        "25.50",
        "Drop damage",
    )

    client.post(
        unit_url("unit_test", batch, 2), {"result": "no_fault_found", "evidence": "Charges fine"}
    )
    response = client.post(unit_url("unit_dispose", batch, 2), {"disposition": "returned_as_is"})
    assert response.url == batch_url("batch_detail", batch)  # nothing left to deal with
    assert status_of(batch) == BatchStatus.READY
    page = client.get(response.url)
    assert attr(page, "batch-status", "data-status") == BatchStatus.READY
    assert attr(page, "unit-counts", "data-settled") == "2"
    assert rows(page, "unit-row", "data-disposition") == ["charged", "returned_as_is"]
    assert "prepare-shipment" in shown_testids(page)


def test_an_exclusion_without_a_rule_answers_400_with_the_message_on_the_rule_field(
    platform_staff, unit_of_agent_a
):
    batch = unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_test", batch, 1), {"result": "excluded", "evidence": "Looks dropped"}
    )
    assert response.status_code == 400
    assert error_code(response) == "returns.unit_test_invalid"
    assert "excluded_rule" in field_errors(response)
    assert 'value="excluded" checked' in html(response)  # what was typed stays
    unit_of_agent_a.refresh_from_db()
    assert unit_of_agent_a.result == ""


@pytest.mark.clause("IV.P2")
def test_an_exclusion_the_unit_shows_needs_its_photo(platform_staff, unit_of_agent_a):
    batch = unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_test", batch, 1),
        {"result": "excluded", "excluded_rule": "III.6", "evidence": "Cracked casing"},
    )
    assert response.status_code == 400
    assert field_errors(response) == {"photo"}


def test_an_htmx_refusal_answers_the_unit_fragment_and_a_success_redirects_the_browser(
    platform_staff, unit_of_agent_a
):
    batch = unit_of_agent_a.batch
    client = login_client_for(platform_staff)
    refused = client.post(unit_url("unit_test", batch, 1), {"result": "bogus"}, headers=HTMX)
    assert refused.status_code == 400
    assert html(refused).lstrip().startswith('<div id="unit-body"')
    assert "result" in field_errors(refused)
    done = client.post(unit_url("unit_test", batch, 1), {"result": "fault_confirmed"}, headers=HTMX)
    assert done.status_code == 200
    assert done["HX-Redirect"] == unit_url("unit_detail", batch, 1)


@pytest.mark.clause("IV.P2")
def test_a_confirmed_fault_is_offered_repair_or_replacement_only(platform_staff, unit_of_agent_a):
    services.unit_test(unit=unit_of_agent_a, actor=platform_staff, result="fault_confirmed")
    page = login_client_for(platform_staff).get(unit_url("unit_detail", unit_of_agent_a.batch, 1))
    offered = {t for t in shown_testids(page) if t.startswith("disposition-")}
    assert offered == {"disposition-repaired", "disposition-replaced"}


@pytest.mark.clause("IV.P2")
def test_a_charge_without_a_reason_is_refused_by_its_field(platform_staff, tested_unit_of_agent_a):
    batch = tested_unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_dispose", batch, 1), {"disposition": "charged", "charge_amount": "10"}
    )
    assert response.status_code == 400
    assert field_errors(response) == {"charge_reason"}
    tested_unit_of_agent_a.refresh_from_db()
    assert tested_unit_of_agent_a.disposition == ""


def test_starting_testing_twice_is_a_conflict_shown_on_the_batch_page(
    platform_staff, testing_of_agent_a
):
    response = login_client_for(platform_staff).post(batch_url("testing_start", testing_of_agent_a))
    assert response.status_code == 409
    assert error_code(response) == "returns.move_not_allowed"


def test_the_unit_pages_link_the_previous_and_next_units(platform_staff, testing_of_agent_a):
    client = login_client_for(platform_staff)
    first = client.get(unit_url("unit_detail", testing_of_agent_a, 1))
    assert "unit-previous" not in shown_testids(first)
    assert attr(first, "unit-next", "href") == unit_url("unit_detail", testing_of_agent_a, 2)
    second = client.get(unit_url("unit_detail", testing_of_agent_a, 2))
    assert attr(second, "unit-previous", "href") == unit_url("unit_detail", testing_of_agent_a, 1)
    assert "unit-next" not in shown_testids(second)
    missing = client.get(unit_url("unit_detail", testing_of_agent_a, 3))
    assert missing.status_code == 404


# Delays (IV.6) ----------------------------------------------------------------------------------


@pytest.mark.clause("IV.6")
def test_a_delayed_unit_is_marked_and_goes_later_as_a_backorder_with_the_order_number(
    platform_staff, testing_of_agent_a
):
    batch = testing_of_agent_a
    client = login_client_for(platform_staff)
    response = client.post(
        unit_url("unit_delay", batch, 2), {"reason": "parts_shortage", "note": "Cells on order"}
    )
    assert response.status_code == 302
    settle_all(batch, platform_staff, units=[batch.units.get(seq=1)])
    page = client.get(batch_url("batch_detail", batch))
    assert rows(page, "unit-row", "data-delayed") == ["false", "true"]
    assert status_of(batch) == BatchStatus.READY

    # Unit 1 goes; the batch waits for its delayed unit.
    shipped(batch, platform_staff)
    assert status_of(batch) == BatchStatus.DELAYED
    batch = reload(batch)
    settle_all(batch, platform_staff, units=[batch.units.get(seq=2)])

    create = client.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert "backorder-notice" in shown_testids(create)
    assert rows(create, "ship-unit", "data-delayed") == ["true"]
    assert 'data-testid="ship-unit-check"' in html(create)
    assert ' checked data-testid="ship-unit-check"' not in html(create)  # not ticked

    delayed = batch.units.get(seq=2)
    body = {"return_org_code": "AG-A", "unit_ids": [delayed.pk], "carrier": "SF Express"}
    refused = client.post(reverse("returns:shipment_create"), body)
    assert refused.status_code == 400
    assert "order_no" in field_errors(refused)
    assert ' checked data-testid="ship-unit-check"' in html(refused)  # the choice stays
    done = client.post(reverse("returns:shipment_create"), {**body, "order_no": "PO-2026-118"})
    assert done.status_code == 302
    assert Shipment.objects.get(order_no="PO-2026-118").units.get() == delayed


@pytest.mark.clause("IV.6")
def test_delaying_the_whole_batch_marks_every_unit_not_shipped(platform_staff, testing_of_agent_a):
    client = login_client_for(platform_staff)
    refused = client.post(batch_url("batch_delay", testing_of_agent_a), {"note": "Typhoon"})
    assert refused.status_code == 400
    assert "reason" in field_errors(refused)
    response = client.post(
        batch_url("batch_delay", testing_of_agent_a), {"reason": "force_majeure", "note": "Typhoon"}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert rows(page, "unit-row", "data-delayed") == ["true", "true"]
    assert attr(page, "unit-counts", "data-delayed") == "2"
    # Nothing is left to send now: no turnaround clock runs on delayed units.
    assert attr(page, "turnaround", "data-state") == "delayed"


# The turnaround (IV.5) --------------------------------------------------------------------------


@pytest.mark.clause("IV.5")
def test_the_batch_page_shows_the_due_date_and_the_working_days_left(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-11-23")  # a Monday
    batch = received(agent_a_clerk, platform_staff, pb_lines(1))
    page = login_client_for(platform_staff).get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-due") == "2026-11-26"
    assert attr(page, "turnaround", "data-state") == "running"
    assert attr(page, "turnaround-left", "data-days") == "3"
    assert "due-provisional" not in shown_testids(page)


@pytest.mark.clause("IV.5")
def test_an_overdue_batch_shows_the_working_days_overdue(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-11-23")
    batch = received(agent_a_clerk, platform_staff, pb_lines(1))
    clock.set("2026-11-30")  # due Thursday 26; Friday 27 and Monday 30 have passed
    page = login_client_for(platform_staff).get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-state") == "overdue"
    assert attr(page, "turnaround-overdue", "data-days") == "2"


@pytest.mark.clause("IV.5")
def test_a_due_date_in_a_year_without_a_known_schedule_is_marked_provisional_and_explained(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-12-30")
    batch = received(agent_a_clerk, platform_staff, pb_lines(1))
    page = login_client_for(platform_staff).get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-provisional") == "true"
    assert {"due-provisional", "provisional-explanation"} <= shown_testids(page)
    assert "2027" in html(page).split('data-testid="provisional-explanation"')[1][:400]


@pytest.mark.clause("IV.5")
def test_a_batch_on_hold_has_no_due_date_until_its_anomalies_are_resolved(
    platform_staff, agent_a_clerk, pb10k
):
    batch = on_hold(agent_a_clerk, platform_staff, pb_lines(2))
    page = login_client_for(platform_staff).get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-state") == "on_hold"
    assert "turnaround-due" not in shown_testids(page)


@pytest.mark.clause("IV.5")
def test_a_batch_shipped_after_its_due_date_shows_the_working_days_late(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-11-23")
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    settle_all(batch, platform_staff)
    clock.set("2026-11-27")  # one working day after the due Thursday
    shipped(batch, platform_staff)
    page = login_client_for(agent_a_clerk).get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-state") == "late"
    assert attr(page, "turnaround-late", "data-days") == "1"


@pytest.mark.clause("IV.5")
def test_the_queue_is_sorted_by_due_date_with_the_overdue_in_red_and_on_hold_last(
    clock, platform_staff, agent_a_clerk, agent_b_clerk, pb10k
):
    clock.set("2026-11-27")
    held = on_hold(agent_b_clerk, platform_staff, pb_lines(2))
    clock.set("2026-11-30")
    fresh = received(agent_a_clerk, platform_staff, pb_lines(1))  # due Thursday 3 December
    clock.set("2026-11-25")
    due_today = received(agent_b_clerk, platform_staff, pb_lines(1))  # due Monday 30
    clock.set("2026-11-23")
    overdue = received(agent_a_clerk, platform_staff, pb_lines(1))  # due Thursday 26
    clock.set("2026-11-30")

    page = login_client_for(platform_staff).get(reverse("returns:queue"))
    assert page.status_code == 200
    assert rows(page, "queue-row", "data-number") == [
        overdue.number,
        due_today.number,
        fresh.number,
        held.number,
    ]
    assert rows(page, "queue-row", "data-state") == ["overdue", "due_today", "running", "on_hold"]
    assert 'data-due="2026-11-26"' in row_tag(page, "queue-row", overdue.number)
    assert "table-danger" in row_tag(page, "queue-row", overdue.number)
    assert "table-warning" in row_tag(page, "queue-row", due_today.number)
    assert "table-" not in row_tag(page, "queue-row", fresh.number)
    assert attr(page, "queue-summary", "data-overdue") == "1"
    assert attr(page, "queue-summary", "data-due-today") == "1"


def test_the_queue_runs_a_fixed_number_of_queries_however_many_batches(
    platform_staff, agent_a_clerk, pb10k
):
    client = login_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get(reverse("returns:queue")),
        lambda n: [received(agent_a_clerk, platform_staff, pb_lines(1)) for _ in range(n)],
        ceiling=8,
        more=3,
    )


def test_the_shipment_list_runs_a_fixed_number_of_queries_however_many_shipments(
    platform_staff, agent_a_clerk, pb10k
):
    def ship(n):
        for _ in range(n):
            batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
            shipped(settle_all(batch, platform_staff), platform_staff)

    client = login_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get(reverse("returns:shipment_list")), ship, ceiling=8, more=3
    )


# Shipments (IV.7) ------------------------------------------------------------------------------


@pytest.mark.clause("IV.7")
@pytest.mark.clause("IV.5")
def test_a_shipment_is_prepared_and_dispatched_from_the_pages(platform_staff, ready_of_agent_a):
    batch = ready_of_agent_a
    client = login_client_for(platform_staff)
    page = client.get(reverse("returns:shipment_create"))
    assert 'value="AG-A"' in html(page)
    page = client.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert rows(page, "ship-batch", "data-number") == [batch.number]
    ids = [int(pk) for pk in rows(page, "ship-unit", "data-unit")]
    assert html(page).count(' checked data-testid="ship-unit-check"') == 2

    response = client.post(
        reverse("returns:shipment_create"),
        {"return_org_code": "AG-A", "unit_ids": ids, "carrier": "SF Express"},
    )
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    detail = client.get(response.url)
    assert attr(detail, "shipment-body", "data-status") == ShipmentStatus.PREPARED
    assert rows(detail, "shipment-batch", "data-number") == [batch.number]
    pdf = reverse("returns:delivery_list_pdf", args=[shipment.number])
    assert f'href="{pdf}"' in html(detail)
    assert {"action-dispatch", "action-cancel"} <= shown_testids(detail)

    refused = client.post(reverse("returns:shipment_dispatch", args=[shipment.number]), {})
    assert refused.status_code == 400
    assert "waybill_no" in field_errors(refused)

    response = client.post(
        reverse("returns:shipment_dispatch", args=[shipment.number]),
        {"waybill_no": "SF7770001", "carrier": "SF Express"},
    )
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert (shipment.status, shipment.waybill_no) == (ShipmentStatus.SHIPPED, "SF7770001")
    assert status_of(batch) == BatchStatus.SHIPPED
    page = client.get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-state") == "on_time"
    assert rows(page, "batch-shipment", "data-number") == [shipment.number]
    assert "action-close" in shown_testids(page)
    assert "action-dispatch" not in shown_testids(client.get(response.url))

    closed = client.post(batch_url("batch_close", batch))
    assert closed.status_code == 302
    assert status_of(batch) == BatchStatus.CLOSED


def test_a_shipment_without_a_return_unit_or_units_is_refused_by_its_fields(
    platform_staff, ready_of_agent_a
):
    client = login_client_for(platform_staff)
    response = client.post(reverse("returns:shipment_create"), {"carrier": "SF Express"})
    assert response.status_code == 400
    assert error_code(response) == "returns.shipment_invalid"
    assert field_errors(response) == {"return_org_code"}
    response = client.post(reverse("returns:shipment_create"), {"return_org_code": "AG-A"})
    assert response.status_code == 400
    assert field_errors(response) == {"unit_ids"}
    assert not Shipment.objects.exists()


@pytest.mark.clause("IV.7")
def test_a_cancelled_shipment_frees_its_units_for_another(platform_staff, prepared_of_agent_a):
    client = login_client_for(platform_staff)
    response = client.post(reverse("returns:shipment_cancel", args=[prepared_of_agent_a.number]))
    assert response.status_code == 302
    again = client.post(reverse("returns:shipment_cancel", args=[prepared_of_agent_a.number]))
    assert again.status_code == 409
    assert error_code(again) == "returns.shipment_move_not_allowed"
    page = client.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert len(rows(page, "ship-unit", "data-unit")) == 2


def test_the_shipment_list_filters_by_status(
    platform_staff, prepared_of_agent_a, shipped_of_agent_a
):
    client = login_client_for(platform_staff)
    everything = client.get(reverse("returns:shipment_list"))
    assert len(rows(everything, "shipment-row", "data-number")) == 2
    prepared = client.get(reverse("returns:shipment_list") + "?status=prepared")
    assert rows(prepared, "shipment-row", "data-number") == [prepared_of_agent_a.number]


# What the return unit reads ----------------------------------------------------------------------


@pytest.mark.clause("IV.7")
def test_the_return_unit_sees_its_batch_progress_and_shipments_but_no_forms(
    platform_staff, agent_a_clerk, agent_b_clerk, ready_of_agent_a
):
    batch = ready_of_agent_a
    shipment_one = shipped(batch, platform_staff, units=[batch.units.get(seq=1)])
    client = login_client_for(agent_a_clerk)

    page = client.get(batch_url("batch_detail", batch))
    assert page.status_code == 200
    assert rows(page, "unit-row", "data-seq") == ["1", "2"]
    assert attr(page, "unit-counts", "data-shipped") == "1"
    assert rows(page, "batch-shipment", "data-number") == [shipment_one.number]
    assert "delivery-list-pdf" in shown_testids(page)
    assert not [t for t in shown_testids(page) if t.startswith("action-")]
    assert "turnaround" in shown_testids(page)

    unit = client.get(unit_url("unit_detail", batch, 1))
    assert unit.status_code == 200
    assert "<form" not in html(unit).split('id="unit-body"')[1]

    listing = client.get(reverse("returns:shipment_list"))
    assert rows(listing, "shipment-row", "data-number") == [shipment_one.number]
    assert "shipment-new" not in shown_testids(listing)
    detail = client.get(reverse("returns:shipment_detail", args=[shipment_one.number]))
    assert detail.status_code == 200
    assert "shipment-actions" not in shown_testids(detail)

    other = login_client_for(agent_b_clerk)
    assert (
        other.get(reverse("returns:shipment_detail", args=[shipment_one.number])).status_code == 404
    )
    assert rows(other.get(reverse("returns:shipment_list")), "shipment-row", "data-number") == []


def test_the_menu_offers_the_queue_to_staff_and_the_shipments_to_return_units(
    platform_staff, agent_a_clerk
):
    queue, shipments = reverse("returns:queue"), reverse("returns:shipment_list")
    staff_page = html(login_client_for(platform_staff).get(reverse("returns:batch_list")))
    agent_page = html(login_client_for(agent_a_clerk).get(reverse("returns:batch_list")))
    assert f'href="{queue}"' in staff_page and f'href="{shipments}"' in staff_page
    assert f'href="{queue}"' not in agent_page and f'href="{shipments}"' in agent_page


def test_another_return_units_unit_page_and_photo_are_404(
    agent_b_clerk, photographed_unit_of_agent_a
):
    batch = photographed_unit_of_agent_a.batch
    client = login_client_for(agent_b_clerk)
    assert client.get(unit_url("unit_detail", batch, 1)).status_code == 404
    assert client.get(unit_url("unit_photo", batch, 1)).status_code == 404


def test_a_shipment_is_offered_only_when_a_unit_of_the_batch_can_go_now(
    agent_a_clerk, platform_staff, pb10k
):
    from sanbao.returns.tests.conftest import pb_lines, settle_all, under_test

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    services.batch_delay(batch=batch, actor=platform_staff, reason="force_majeure")
    client = login_client_for(platform_staff)
    page = client.get(reverse("returns:batch_detail", args=[batch.number])).content.decode()
    assert 'data-status="delayed"' in page
    assert 'data-testid="prepare-shipment"' not in page  # nothing dealt with yet
    settle_all(batch, platform_staff)
    page = client.get(reverse("returns:batch_detail", args=[batch.number])).content.decode()
    assert 'data-testid="prepare-shipment"' in page
