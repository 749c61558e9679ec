"""Who may open and do what on the batch list, the packing list, the batch page
and receipt: every page and action against the cast."""

from __future__ import annotations

import pytest

from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.tests.conftest import called
from sanbao.returns.tests.views.conftest import (
    CONTACTS,
    CREATE,
    RECEIVE,
    VIEW,
    batch_form,
    html,
    label,
    matrix_url,
    needs,
    row_numbers,
    status_of,
    url,
)
from sanbao.testkit.cast import CAST_USERS
from sanbao.testkit.matrix import Case, check, matrix

# The permission matrix ----------------------------------------------------------------------


class BatchFirst(Case):
    """A page that looks up the batch before the role: another organisation's
    batch is not found (404) whatever the role; a role that may see the batch
    but not act on it is refused (403)."""

    def expected(self, who):
        if who is None:
            return None
        member = CAST_USERS[who]
        if member.org != self.owner_org and member.role not in set(self.cross_org_roles):
            return 404 if member.role in VIEW else 403
        return super().expected(who)


def _visible_batches_listed(response, cast):
    user = response.wsgi_request.user
    assert set(row_numbers(response)) == {b.number for b in ReturnBatch.objects.visible_to(user)}


def _batch_shown(fixture):
    def on_ok(response, cast):
        assert f'data-number="{getattr(cast, fixture).number}"' in html(response)

    return on_ok


def _created(response, cast):
    batch = ReturnBatch.objects.get(contact_person="Matrix")
    assert response.url == url("batch_detail", batch)


def _status_is(fixture, status, *, where="batch_detail"):
    def on_ok(response, cast):
        batch = getattr(cast, fixture)
        assert status_of(batch) == status
        assert response.url == url(where, batch)

    return on_ok


def _agent_a_has_email(cast) -> dict:
    """The body of the e-mail action: none; the return unit needs an address."""
    type(cast.agent_a).objects.filter(pk=cast.agent_a.pk).update(email="returns@agent-a.test")
    return {}


def _anomaly_pk(cast):
    return cast.anomaly_of_agent_a.pk


def _task_pk(cast):
    return cast.task_of_agent_a.pk


CASES = [
    Case(
        "batch_list",
        "GET",
        needs("draft_of_agent_a", "draft_of_agent_b", then=matrix_url("batch_list")),
        VIEW,
        on_ok=_visible_batches_listed,
    ),
    Case("batch_create_page", "GET", matrix_url("batch_create"), CREATE),
    Case(
        "batch_create_post",
        "POST",
        needs("pb10k", "agent_a", then=matrix_url("batch_create")),
        CREATE,
        expect_ok=302,
        body=lambda cast: batch_form(return_org_code="AG-A", contact_person="Matrix"),
        on_ok=_created,
    ),
    Case("anomaly_list", "GET", needs("on_hold_of_agent_a", then=matrix_url("anomaly_list")), VIEW),
    Case(
        "batch_detail",
        "GET",
        matrix_url("batch_detail", "on_hold_of_agent_a"),
        VIEW,
        owner_org="agent_a",
        on_ok=_batch_shown("on_hold_of_agent_a"),
    ),
    Case(
        "batch_edit_page",
        "GET",
        matrix_url("batch_edit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
    ),
    Case(
        "batch_edit_post",
        "POST",
        matrix_url("batch_edit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: batch_form(contact_person="Edited"),
    ),
    Case(
        "batch_submit",
        "POST",
        matrix_url("batch_submit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_status_is("draft_of_agent_a", BatchStatus.SUBMITTED),
    ),
    Case(
        "batch_refuse",
        "POST",
        matrix_url("batch_refuse", "submitted_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"reason": "The carrier asked for cash on delivery."},
        on_ok=_status_is("submitted_of_agent_a", BatchStatus.REFUSED),
    ),
    Case(
        "receipt_open",
        "POST",
        matrix_url("receipt_open", "submitted_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_status_is("submitted_of_agent_a", BatchStatus.RECEIVING, where="receipt"),
    ),
    BatchFirst(
        "receipt",
        "GET",
        matrix_url("receipt", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
    ),
    Case(
        "receipt_scan",
        "POST",
        matrix_url("receipt_scan", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: {"code": label(cast.receiving_of_agent_a, 1)},
    ),
    Case(
        "receipt_record_unit",
        "POST",
        matrix_url("receipt_record_unit", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"kind": "unlisted", "box_no": "1", "model_code": "PB10K"},
    ),
    Case(
        "receipt_set_count",
        "POST",
        matrix_url("receipt_set_count", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"line_no": "1", "counted": "1"},
    ),
    Case(
        "receipt_close",
        "POST",
        matrix_url("receipt_close", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"received_boxes": "1"},
        on_ok=_status_is("receiving_of_agent_a", BatchStatus.ON_HOLD),
    ),
    Case(
        "anomaly_resolve",
        "POST",
        matrix_url("anomaly_resolve", "on_hold_of_agent_a", extra=_anomaly_pk),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: (
            called(cast.on_hold_of_agent_a, cast.platform_staff),
            {f"a{cast.anomaly_of_agent_a.pk}-note": "Agent confirmed: 2 sent."},
        )[1],
        on_ok=_status_is("on_hold_of_agent_a", BatchStatus.RECEIVED),
    ),
    Case(
        "contact_attempt",
        "POST",
        matrix_url("contact_attempt", "on_hold_of_agent_a", extra=_task_pk),
        CONTACTS,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: {
            f"t{cast.task_of_agent_a.pk}-channel": "telephone",
            f"t{cast.task_of_agent_a.pk}-outcome": "reached",
            f"t{cast.task_of_agent_a.pk}-contact_person": "Wang Fang",
        },
    ),
    Case(
        "contact_email",
        "POST",
        matrix_url("contact_email", "on_hold_of_agent_a", extra=_task_pk),
        CONTACTS,
        owner_org="agent_a",
        expect_ok=302,
        body=_agent_a_has_email,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_and_action_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# Pages written and tested with the batch documents (sanbao/returns/views/documents.py).
DOCUMENT_PAGES = {
    "packing_list_pdf",
    "repair_list_pdf",
    "labels_pdf",
    "anomaly_notice_pdf",
    "packing_list_xlsx",
    "lines_template_xlsx",
}


# Whether every page has a case: test_matrix_workshop_and_shipments.py checks both together.
