"""Who may open and do what in the workshop, the queue and the shipments; and that
every returns page is declared in one matrix or the other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.core.web import XLSX
from sanbao.returns.models import (
    BatchStatus,
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.tests.views.conftest import (
    RECEIVE,
    VIEW,
    form_of_agent_a,
    matrix_url,
    needs,
    page_of_agent_a,
    rows,
    status_now,
)
from sanbao.testkit.matrix import Case, check, declared_url_names, form_post, matrix
from sanbao.testkit.responses import is_download

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


FORCE_MAJEURE = {"reason": "force_majeure", "note": "Typhoon"}

CASES = [
    Case(
        "queue",
        "GET",
        needs("received_of_agent_a", then=matrix_url("queue")),
        RECEIVE,
        on_ok=_queued("received_of_agent_a"),
    ),
    Case(
        "queue_xlsx",
        "GET",
        needs("received_of_agent_a", then=matrix_url("queue_xlsx")),
        RECEIVE,
        on_ok=is_download(XLSX),
    ),
    Case(
        "shipment_list_xlsx",
        "GET",
        needs("prepared_of_agent_a", then=matrix_url("shipment_list_xlsx")),
        VIEW,
        on_ok=is_download(XLSX),
    ),
    Case("to_follow", "GET", matrix_url("to_follow"), VIEW),
    Case("to_follow_xlsx", "GET", matrix_url("to_follow_xlsx"), VIEW, on_ok=is_download(XLSX)),
    Case(
        "shipment_list", "GET", needs("prepared_of_agent_a", then=matrix_url("shipment_list")), VIEW
    ),
    Case(
        "shipment_create_page",
        "GET",
        needs("ready_of_agent_a", then=matrix_url("shipment_create", query="?return_org=AG-A")),
        RECEIVE,
    ),
    form_post(
        "shipment_create_post",
        matrix_url("shipment_create"),
        RECEIVE,
        body=_ready_units,
        on_ok=_shipment_created,
    ),
    page_of_agent_a("shipment_detail", "prepared_of_agent_a", VIEW),
    form_of_agent_a(
        "shipment_dispatch",
        "prepared_of_agent_a",
        RECEIVE,
        body={"waybill_no": "SF5550001"},
        on_ok=_shipment_now(ShipmentStatus.SHIPPED),
    ),
    form_of_agent_a(
        "shipment_cancel",
        "prepared_of_agent_a",
        RECEIVE,
        on_ok=_shipment_now(ShipmentStatus.CANCELLED),
    ),
    form_of_agent_a(
        "testing_start",
        "received_of_agent_a",
        RECEIVE,
        on_ok=_batch_now("received_of_agent_a", BatchStatus.TESTING),
    ),
    form_of_agent_a(
        "batch_delay",
        "testing_of_agent_a",
        RECEIVE,
        body=FORCE_MAJEURE,
        on_ok=_all_delayed("testing_of_agent_a"),
    ),
    form_of_agent_a(
        "batch_close",
        "shipped_of_agent_a",
        RECEIVE,
        on_ok=_batch_now("shipped_of_agent_a", BatchStatus.CLOSED),
    ),
    page_of_agent_a("unit_detail", "testing_of_agent_a", VIEW, extra=1),
    page_of_agent_a(
        "unit_photo", "testing_of_agent_a", VIEW, extra=1, needing=["photographed_unit_of_agent_a"]
    ),
    form_of_agent_a(
        "unit_test", "testing_of_agent_a", RECEIVE, extra=1, body={"result": "fault_confirmed"}
    ),
    form_of_agent_a(
        "unit_dispose",
        "testing_of_agent_a",
        RECEIVE,
        extra=1,
        needing=["tested_unit_of_agent_a"],
        body={"disposition": "returned_as_is"},
    ),
    form_of_agent_a(
        "unit_delay", "testing_of_agent_a", RECEIVE, extra=1, body={"reason": "parts_shortage"}
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
    from sanbao.returns.tests.views import test_matrix_batches_and_receipt as part_one
    from sanbao.returns.urls import urlpatterns

    declared = declared_url_names([*part_one.CASES, *CASES], _AnyCast())
    assert declared == {p.name for p in urlpatterns} - part_one.DOCUMENT_PAGES - DOCUMENT_PAGES
