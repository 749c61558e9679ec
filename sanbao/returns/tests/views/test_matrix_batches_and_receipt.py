"""Who may open and do what on the batch list, the packing list, the batch page
and receipt: every page and action against the cast."""

from __future__ import annotations

import pytest

from sanbao.core.web import XLSX
from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.tests.conftest import called
from sanbao.returns.tests.views.conftest import (
    CONTACTS,
    CREATE,
    RECEIVE,
    VIEW,
    batch_form,
    form_of_agent_a,
    html,
    label,
    matrix_url,
    needs,
    page_of_agent_a,
    row_numbers,
    status_of,
    url,
)
from sanbao.testkit.cast import CAST_USERS
from sanbao.testkit.matrix import Case, check, form_post, matrix
from sanbao.testkit.responses import is_download

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


def _moves(name, fixture, allowed_roles, status, *, where="batch_detail", **options) -> Case:
    """A form that moves the batch to ``status`` and redirects to its page ``where``."""

    def on_ok(response, cast):
        batch = getattr(cast, fixture)
        assert status_of(batch) == status
        assert response.url == url(where, batch)

    return form_of_agent_a(name, fixture, allowed_roles, on_ok=on_ok, **options)


def _agent_a_has_email(cast) -> dict:
    """The body of the e-mail action: none; the return unit needs an address."""
    type(cast.agent_a).objects.filter(pk=cast.agent_a.pk).update(email="returns@agent-a.test")
    return {}


def _anomaly_pk(cast):
    return cast.anomaly_of_agent_a.pk


def _task_pk(cast):
    return cast.task_of_agent_a.pk


def _edited(cast) -> dict:
    return batch_form(contact_person="Edited")


def _first_label(cast) -> dict:
    return {"code": label(cast.receiving_of_agent_a, 1)}


def _resolution(cast) -> dict:
    """A call to the return unit first (IV.4), then the note resolving the anomaly."""
    called(cast.on_hold_of_agent_a, cast.platform_staff)
    return {f"a{cast.anomaly_of_agent_a.pk}-note": "Agent confirmed: 2 sent."}


def _attempt(cast) -> dict:
    prefix = f"t{cast.task_of_agent_a.pk}"
    return {
        f"{prefix}-channel": "telephone",
        f"{prefix}-outcome": "reached",
        f"{prefix}-contact_person": "Wang Fang",
    }


REFUSAL = {"reason": "The carrier asked for cash on delivery."}
ONE_BOX = {"received_boxes": "1"}
UNLISTED_UNIT = {"kind": "unlisted", "box_no": "1", "model_code": "PB10K"}

CASES = [
    Case(
        "batch_list",
        "GET",
        needs("draft_of_agent_a", "draft_of_agent_b", then=matrix_url("batch_list")),
        VIEW,
        on_ok=_visible_batches_listed,
    ),
    Case("batch_create_page", "GET", matrix_url("batch_create"), CREATE),
    form_post(
        "batch_create_post",
        needs("pb10k", "agent_a", then=matrix_url("batch_create")),
        CREATE,
        body=lambda cast: batch_form(return_org_code="AG-A", contact_person="Matrix"),
        on_ok=_created,
    ),
    Case("anomaly_list", "GET", needs("on_hold_of_agent_a", then=matrix_url("anomaly_list")), VIEW),
    # The list pages' exports (tests/test_list_exports.py checks what they hold).
    Case(
        "batch_list_xlsx",
        "GET",
        needs("draft_of_agent_a", then=matrix_url("batch_list_xlsx")),
        VIEW,
        on_ok=is_download(XLSX),
    ),
    Case(
        "anomaly_list_xlsx",
        "GET",
        needs("on_hold_of_agent_a", then=matrix_url("anomaly_list_xlsx")),
        VIEW,
        on_ok=is_download(XLSX),
    ),
    page_of_agent_a(
        "batch_detail", "on_hold_of_agent_a", VIEW, on_ok=_batch_shown("on_hold_of_agent_a")
    ),
    page_of_agent_a("batch_edit_page", "draft_of_agent_a", CREATE, url_name="batch_edit"),
    form_of_agent_a("batch_edit", "draft_of_agent_a", CREATE, body=_edited),
    _moves("batch_submit", "draft_of_agent_a", CREATE, BatchStatus.SUBMITTED),
    _moves("batch_refuse", "submitted_of_agent_a", RECEIVE, BatchStatus.REFUSED, body=REFUSAL),
    _moves("receipt_open", "submitted_of_agent_a", RECEIVE, BatchStatus.RECEIVING, where="receipt"),
    page_of_agent_a("receipt", "receiving_of_agent_a", RECEIVE, kind=BatchFirst),
    form_of_agent_a("receipt_scan", "receiving_of_agent_a", RECEIVE, body=_first_label),
    form_of_agent_a("receipt_record_unit", "receiving_of_agent_a", RECEIVE, body=UNLISTED_UNIT),
    form_of_agent_a(
        "receipt_set_count", "receiving_of_agent_a", RECEIVE, body={"line_no": "1", "counted": "1"}
    ),
    _moves("receipt_close", "receiving_of_agent_a", RECEIVE, BatchStatus.ON_HOLD, body=ONE_BOX),
    _moves(
        "anomaly_resolve",
        "on_hold_of_agent_a",
        RECEIVE,
        BatchStatus.RECEIVED,
        extra=_anomaly_pk,
        body=_resolution,
    ),
    form_of_agent_a(
        "contact_attempt", "on_hold_of_agent_a", CONTACTS, extra=_task_pk, body=_attempt
    ),
    form_of_agent_a(
        "contact_email", "on_hold_of_agent_a", CONTACTS, extra=_task_pk, body=_agent_a_has_email
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
