"""batch_submit: the packing list must add up (IV.2) and the packing rules hold
(IV.P1, IV.P3, IV.P4) before a batch leaves; cash on delivery is refused (IV.P5);
without home delivery the extra cost is recorded as the shipper's (IV.P6). Each
refusal names the line or field concerned and leaves the draft as it was."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from sanbao.core.errors import NotFound, PolicyRefused
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft, events, pb_lines, reload


def adapters_line(box=1, bundled=True, quantity=5):
    return LineIn(
        model_code="AD65", quantity=quantity, fault="No output", box_no=box, bundled=bundled
    )


def cables_line(box=1, bundled=True):
    return LineIn(model_code="CB1M", quantity=10, fault="Broken plug", box_no=box, bundled=bundled)


def refused(batch, actor, code="returns.packing_refused") -> PolicyRefused:
    """The submission is refused with ``code``; the draft stays a draft, unaudited."""
    with pytest.raises(PolicyRefused) as caught:
        services.batch_submit(batch=batch, actor=actor)
    assert caught.value.code == code
    assert caught.value.status == 400
    row = reload(batch)
    assert (row.status, row.submitted_at, row.repair_list_pages) == (BatchStatus.DRAFT, None, 0)
    assert events(batch) == ["return_batch.created"]
    return caught.value


def refused_on(batch, actor) -> tuple[set[str], dict]:
    """:func:`refused` as a packing refusal: the fields it names and its params
    (the clauses it cites)."""
    error = refused(batch, actor)
    return set(error.fields), error.params


def test_a_batch_that_keeps_every_rule_is_submitted_and_in_transit(agent_a_clerk, pb10k, ad65):
    batch = draft(agent_a_clerk, [*pb_lines(3, box=1), adapters_line(box=2)])
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    row = reload(batch)
    assert row.status == BatchStatus.SUBMITTED and row.submitted_at is not None
    assert row.extra_cost_to_shipper is False
    assert events(batch) == ["return_batch.created", "return_batch.submitted"]


# IV.2 The packing list adds up ----------------------------------------------------------------


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize("declared", [4, 6])
def test_the_declared_total_must_equal_the_sum_of_the_lines(agent_a_clerk, pb10k, declared):
    batch = draft(agent_a_clerk, pb_lines(5), declared_units=declared)
    assert refused_on(batch, agent_a_clerk) == ({"declared_units"}, {"clauses": "IV.2"})


@pytest.mark.clause("IV.2")
def test_the_boxes_used_by_the_lines_must_be_declared(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1, box=1) + pb_lines(1, box=3), declared_boxes=2)
    error = refused(batch, agent_a_clerk)
    assert set(error.fields) == {"declared_boxes"}


@pytest.mark.clause("IV.2")
def test_declaring_more_boxes_than_the_lines_use_is_allowed(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(2, box=1), declared_boxes=2)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert reload(batch).status == BatchStatus.SUBMITTED


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize(("lines", "pages"), [(1, 1), (20, 1), (21, 2), (45, 3)])
def test_the_page_count_of_the_repair_list_is_fixed_at_submission(
    agent_a_clerk, pb10k, lines, pages
):
    batch = draft(agent_a_clerk, pb_lines(lines))
    assert reload(batch).repair_list_pages == 0
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert batch.repair_list_pages == pages
    assert reload(batch).repair_list_pages == pages


def test_a_packing_list_without_lines_is_not_submitted(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    batch.lines.all().delete()  # setup: a draft whose lines were all removed
    assert refused_on(batch, agent_a_clerk) == ({"lines"}, {"clauses": "IV.1"})


# IV.P1 Accessories ----------------------------------------------------------------------------


@pytest.mark.clause("IV.P1")
def test_a_power_bank_without_its_data_cable_is_refused_on_its_line(agent_a_clerk, pb10k):
    lines = pb_lines(3)
    lines[1].accessories = ["manual"]
    batch = draft(agent_a_clerk, lines)
    assert refused_on(batch, agent_a_clerk) == ({"lines.2"}, {"clauses": "IV.P1"})


@pytest.mark.clause("IV.P1")
def test_the_data_cable_may_be_written_in_any_case(agent_a_clerk, pb10k):
    lines = pb_lines(2)
    lines[0].accessories = ["DATA CABLE", "pouch"]
    batch = draft(agent_a_clerk, lines)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert reload(batch).status == BatchStatus.SUBMITTED


# IV.P3 One category per box -------------------------------------------------------------------


@pytest.mark.clause("IV.P3")
def test_a_box_mixing_power_banks_and_adapters_is_refused_on_each_of_its_lines(
    agent_a_clerk, pb10k, ad65
):
    lines = [*pb_lines(2, box=1), adapters_line(box=1), adapters_line(box=2)]
    batch = draft(agent_a_clerk, lines)
    assert refused_on(batch, agent_a_clerk) == (
        {"lines.1", "lines.2", "lines.3"},
        {"clauses": "IV.P3"},
    )


@pytest.mark.clause("IV.P3")
def test_two_models_of_one_category_share_a_box(agent_a_clerk, pb10k, pb20k):
    batch = draft(agent_a_clerk, pb_lines(2) + pb_lines(1, model="PB20K"))
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert reload(batch).status == BatchStatus.SUBMITTED


# IV.P4 Bundling -------------------------------------------------------------------------------


@pytest.mark.clause("IV.P4")
@pytest.mark.parametrize("unbundled", ["adapters", "cables"])
def test_adapters_and_data_cables_not_bundled_are_refused_on_their_line(
    agent_a_clerk, ad65, cb1m, unbundled
):
    lines = [
        adapters_line(box=1, bundled=unbundled != "adapters"),
        cables_line(box=2, bundled=unbundled != "cables"),
    ]
    batch = draft(agent_a_clerk, lines)
    assert refused_on(batch, agent_a_clerk) == (
        {"lines.1" if unbundled == "adapters" else "lines.2"},
        {"clauses": "IV.P4"},
    )


@pytest.mark.clause("IV.P4")
def test_bundled_adapters_and_cables_are_submitted(agent_a_clerk, ad65, cb1m):
    batch = draft(agent_a_clerk, [adapters_line(box=1), cables_line(box=2)])
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert reload(batch).status == BatchStatus.SUBMITTED


# IV.P5 Cash on delivery -----------------------------------------------------------------------


@pytest.mark.clause("IV.P5")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_cash_on_delivery_batch_is_refused_outright_with_the_reason_on_the_freight(
    agent_a_clerk, pb10k, language
):
    batch = draft(agent_a_clerk, pb_lines(2), freight="cod")
    with translation.override(language):
        error = refused(batch, agent_a_clerk, "returns.cash_on_delivery_refused")
        assert set(error.fields) == {"freight"}
        assert error.as_dict()["code"] == "returns.cash_on_delivery_refused"
        assert error.message and error.fields["freight"][0]
    assert error.params == {"clauses": "IV.P5"}


@pytest.mark.clause("IV.P5")
def test_cash_on_delivery_with_other_problems_reports_them_all(agent_a_clerk, pb10k, ad65):
    lines = [*pb_lines(1), adapters_line(box=2, bundled=False)]
    batch = draft(agent_a_clerk, lines, freight="cod")
    assert refused_on(batch, agent_a_clerk) == ({"freight", "lines.2"}, {"clauses": "IV.P4, IV.P5"})


@pytest.mark.clause("IV.P5")
def test_a_cash_on_delivery_draft_changed_to_prepaid_is_submitted(agent_a_clerk, pb10k):
    lines = pb_lines(2)
    batch = draft(agent_a_clerk, lines, freight="cod")
    refused(batch, agent_a_clerk, "returns.cash_on_delivery_refused")
    row = reload(batch)
    services.batch_update(
        batch=row,
        actor=agent_a_clerk,
        lines=lines,
        packed_on=row.packed_on,
        contact_person=row.contact_person,
        contact_phone=row.contact_phone,
        declared_units=2,
        declared_boxes=1,
        freight="prepaid",
    )
    services.batch_submit(batch=row, actor=agent_a_clerk)
    assert reload(batch).status == BatchStatus.SUBMITTED


@pytest.mark.clause("IV.P5")
@pytest.mark.parametrize("status", ["submitted", "receiving", "received", "on_hold"])
def test_the_database_refuses_a_cash_on_delivery_batch_outside_draft_and_refused(
    agent_a_clerk, pb10k, status
):
    batch = draft(agent_a_clerk, pb_lines(1), freight="cod")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnBatch.objects.filter(pk=batch.pk).update(status=status)
    ReturnBatch.objects.filter(pk=batch.pk).update(status="refused")
    assert reload(batch).status == "refused"


@pytest.mark.clause("IV.P5")
def test_the_database_refuses_turning_a_batch_in_transit_into_cash_on_delivery(
    agent_a_clerk, pb10k
):
    batch = draft(agent_a_clerk, pb_lines(1))
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnBatch.objects.filter(pk=batch.pk).update(freight="cod")


# IV.P6 Home delivery --------------------------------------------------------------------------


@pytest.mark.clause("IV.P6")
def test_a_batch_not_sent_by_home_delivery_is_accepted_with_the_extra_cost_on_the_shipper(
    agent_a_clerk, pb10k
):
    batch = draft(agent_a_clerk, pb_lines(2), home_delivery=False, carrier="Deppon freight")
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    row = reload(batch)
    assert row.status == BatchStatus.SUBMITTED
    assert row.extra_cost_to_shipper is True
    (_created, submitted) = events(batch)
    from sanbao.core.models import AuditEvent

    event = AuditEvent.objects.for_target(batch).get(action=submitted)
    assert event.data == {"from": "draft", "to": "submitted", "extra_cost_to_shipper": True}


@pytest.mark.clause("IV.P6")
def test_a_batch_sent_by_home_delivery_costs_the_shipper_nothing_extra(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(2), home_delivery=True)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert reload(batch).extra_cost_to_shipper is False


@pytest.mark.clause("IV.P6")
def test_the_shippers_extra_cost_is_shown_beside_the_problems_before_submission(
    agent_a_clerk, pb10k
):
    batch = draft(agent_a_clerk, pb_lines(1), home_delivery=False)
    problems = services.batch_check(batch)
    assert [(p.code, p.blocking) for p in problems] == [("returns.extra_cost_to_shipper", False)]


# The batch as it is ---------------------------------------------------------------------------


def test_submission_checks_the_batch_as_stored_not_a_stale_copy(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(2))
    stale = reload(batch)
    ReturnBatch.objects.filter(pk=batch.pk).update(freight="cod")  # edited meanwhile
    refused(stale, agent_a_clerk, "returns.cash_on_delivery_refused")


def test_another_agent_cannot_submit_the_batch(agent_a_clerk, agent_b_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    with pytest.raises(NotFound):
        services.batch_submit(batch=batch, actor=agent_b_clerk)
    assert reload(batch).status == BatchStatus.DRAFT
