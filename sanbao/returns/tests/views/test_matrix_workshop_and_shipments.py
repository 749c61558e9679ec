"""Who may open and do what in the workshop, the queue and the shipments; and that
every returns page is declared in one matrix or the other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.returns.models import (
    BatchStatus,
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.tests.views.conftest import (
    RECEIVE,
    VIEW,
    matrix_url,
    needs,
    rows,
    status_now,
)
from sanbao.testkit.matrix import Case, check, matrix

# The permission matrix ----------------------------------------------------------------------


def _batch_now(fixture, status):
    def on_ok(response, cast):
        assert status_now(getattr(cast, fixture)) == status

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
        needs("received_of_agent_a", then=matrix_url("queue")),
        RECEIVE,
        on_ok=_queued("received_of_agent_a"),
    ),
    Case("to_follow", "GET", matrix_url("to_follow"), VIEW),
    Case(
        "shipment_list", "GET", needs("prepared_of_agent_a", then=matrix_url("shipment_list")), VIEW
    ),
    Case(
        "shipment_create_page",
        "GET",
        needs("ready_of_agent_a", then=matrix_url("shipment_create", query="?return_org=AG-A")),
        RECEIVE,
    ),
    Case(
        "shipment_create_post",
        "POST",
        matrix_url("shipment_create"),
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
        matrix_url("testing_start", "received_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_batch_now("received_of_agent_a", BatchStatus.TESTING),
    ),
    Case(
        "batch_delay",
        "POST",
        matrix_url("batch_delay", "testing_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"reason": "force_majeure", "note": "Typhoon"},
        on_ok=_all_delayed("testing_of_agent_a"),
    ),
    Case(
        "batch_close",
        "POST",
        matrix_url("batch_close", "shipped_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_batch_now("shipped_of_agent_a", BatchStatus.CLOSED),
    ),
    Case(
        "unit_detail",
        "GET",
        matrix_url("unit_detail", "testing_of_agent_a", extra=1),
        VIEW,
        owner_org="agent_a",
    ),
    Case(
        "unit_photo",
        "GET",
        needs(
            "photographed_unit_of_agent_a",
            then=matrix_url("unit_photo", "testing_of_agent_a", extra=1),
        ),
        VIEW,
        owner_org="agent_a",
    ),
    Case(
        "unit_test",
        "POST",
        matrix_url("unit_test", "testing_of_agent_a", extra=1),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"result": "fault_confirmed"},
    ),
    Case(
        "unit_dispose",
        "POST",
        needs(
            "tested_unit_of_agent_a", then=matrix_url("unit_dispose", "testing_of_agent_a", extra=1)
        ),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"disposition": "returned_as_is"},
    ),
    Case(
        "unit_delay",
        "POST",
        matrix_url("unit_delay", "testing_of_agent_a", extra=1),
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

    from sanbao.returns.tests.views import test_matrix_batches_and_receipt as part_one
    from sanbao.returns.urls import urlpatterns

    declared = {
        resolve(case.resolve_url(_AnyCast()).split("?")[0]).url_name
        for case in [*part_one.CASES, *CASES]
    }
    assert declared == {p.name for p in urlpatterns} - part_one.DOCUMENT_PAGES - DOCUMENT_PAGES
