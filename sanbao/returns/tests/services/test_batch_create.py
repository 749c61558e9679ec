"""batch_create and batch_update: the packing list of IV.2 (total of faulty units,
boxes, date, contact person and telephone) with its lines, and the shipping terms;
every field's refusal is named, and a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.services import MAX_LINES, LineIn
from sanbao.returns.tests.conftest import draft, events, pb_lines, reload, submitted


def refused_fields(fn, *args, **kwargs) -> dict:
    """The refusal's fields; and nothing was written."""
    batches, audit = ReturnBatch.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == "returns.batch_invalid"
    assert caught.value.status == 400
    assert (ReturnBatch.objects.count(), AuditEvent.objects.count()) == (batches, audit)
    return caught.value.fields


@pytest.mark.clause("IV.2")
def test_an_agent_writes_a_draft_packing_list_for_its_own_organisation(
    agent_a_clerk, agent_a, pb10k, ad65
):
    lines = [
        *pb_lines(2, box=1),
        LineIn(model_code="ad65", quantity=5, fault="No output", box_no=2, bundled=True),
    ]
    batch = draft(
        agent_a_clerk,
        lines,
        return_org_code="AG-B",  # ignored: an agent returns its own units
        contact_person="  Wang Fang ",
        contact_phone="+86 (0755) 8888-1234",
        home_delivery=False,
        note="Two boxes.",
    )
    batch = reload(batch)
    assert batch.status == BatchStatus.DRAFT
    assert batch.return_org == agent_a and batch.created_by == agent_a_clerk
    assert (batch.declared_units, batch.declared_boxes) == (7, 2)
    assert (batch.contact_person, batch.contact_phone) == ("Wang Fang", "+8607558888" + "1234")
    assert batch.home_delivery is False and batch.extra_cost_to_shipper is False
    assert batch.repair_list_pages == 0  # fixed at submission
    assert batch.number.startswith("R") and len(batch.number) == 12
    rows = list(
        batch.lines.order_by("line_no").values_list(
            "line_no", "model__code", "quantity", "serial", "box_no", "bundled", "accessories"
        )
    )
    assert rows == [
        (1, "PB10K", 1, "SBX010001", 1, False, ["data cable"]),
        (2, "PB10K", 1, "SBX010002", 1, False, ["data cable"]),
        (3, "AD65", 5, "", 2, True, []),
    ]
    assert events(batch) == ["return_batch.created"]


def test_platform_staff_enter_a_batch_for_an_agent_or_an_enterprise(
    platform_staff, agent_b, enterprise_c, pb10k
):
    for org in (agent_b, enterprise_c):
        batch = draft(platform_staff, pb_lines(1), return_org_code=org.code)
        assert reload(batch).return_org == org


@pytest.mark.parametrize("code", ["", "NOPE", "SO-D", "SB-PLATFORM"])
def test_platform_staff_must_name_an_agent_or_enterprise_as_the_return_unit(
    platform_staff, outlet_d, pb10k, code
):
    fields = refused_fields(draft, platform_staff, pb_lines(1), return_org_code=code)
    assert set(fields) == {"return_org_code"}


def test_a_batch_number_is_unique(agent_a_clerk, pb10k):
    numbers = {draft(agent_a_clerk, pb_lines(1)).number for _ in range(20)}
    assert len(numbers) == 20


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("declared_units", 0),
        ("declared_units", 100_001),
        ("declared_units", "many"),
        ("declared_boxes", 0),
        ("declared_boxes", None),
        ("packed_on", None),
        ("packed_on", "2026-01-01"),
        ("packed_on", timezone.localdate() + dt.timedelta(days=1)),
        ("contact_person", ""),
        ("contact_person", "   "),
        ("contact_person", "x" * 101),
        ("contact_phone", ""),
        ("contact_phone", "12345"),
        ("contact_phone", "call me"),
        ("carrier", "x" * 61),
        ("waybill_no", "x" * 61),
        ("note", "x" * 2001),
        ("freight", "collect"),
    ],
)
def test_each_part_of_the_packing_list_is_checked_and_named(agent_a_clerk, pb10k, field, value):
    fields = refused_fields(draft, agent_a_clerk, pb_lines(1), **{field: value})
    assert set(fields) == {field}


def test_a_packing_date_given_as_a_moment_is_taken_as_its_day(agent_a_clerk, pb10k):
    moment = timezone.now() - dt.timedelta(days=3)
    batch = draft(agent_a_clerk, pb_lines(1), packed_on=moment)
    assert reload(batch).packed_on == moment.date()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (LineIn(model_code="NOPE", quantity=1, fault="x", box_no=1), "model_code"),
        (LineIn(model_code="PB10K", quantity=0, fault="x", box_no=1), "quantity"),
        (LineIn(model_code="PB10K", quantity=1000, fault="x", box_no=1), "quantity"),
        (LineIn(model_code="PB10K", quantity=2, fault="x", box_no=1, serial="S1"), "serial"),
        (LineIn(model_code="PB10K", quantity=1, fault=" ", box_no=1), "fault"),
        (LineIn(model_code="PB10K", quantity=1, fault="x" * 121, box_no=1), "fault"),
        (LineIn(model_code="PB10K", quantity=1, fault="x", box_no=0), "box_no"),
        (LineIn(model_code="PB10K", quantity=1, fault="x", box_no=1001), "box_no"),
    ],
)
def test_each_field_of_a_line_is_checked_and_named_with_the_lines_number(
    agent_a_clerk, pb10k, line, field
):
    fields = refused_fields(
        draft, agent_a_clerk, [*pb_lines(1), line], declared_units=2, declared_boxes=1
    )
    assert set(fields) == {f"lines.2.{field}"}


def test_a_serial_number_appears_on_one_line_only(agent_a_clerk, pb10k):
    lines = pb_lines(2)
    lines[1].serial = lines[0].serial.lower()
    fields = refused_fields(draft, agent_a_clerk, lines)
    assert set(fields) == {"lines.2.serial"}


def test_a_batch_has_at_most_five_hundred_lines(agent_a_clerk, pb10k):
    lines = [
        LineIn(model_code="PB10K", quantity=1, fault="x", box_no=1, accessories=["data cable"])
        for _ in range(MAX_LINES + 1)
    ]
    fields = refused_fields(draft, agent_a_clerk, lines)
    assert set(fields) == {"lines"}


def test_model_codes_are_matched_without_regard_to_case(agent_a_clerk, pb10k):
    line = LineIn(model_code=" pb10k ", quantity=3, fault="x", box_no=1, accessories=["cable"])
    batch = draft(agent_a_clerk, [line])
    assert batch.lines.get().model == pb10k


def test_accessories_written_as_one_text_are_split_into_a_list(agent_a_clerk, pb10k):
    line = LineIn(
        model_code="PB10K", quantity=1, fault="x", box_no=1, accessories="数据线、收纳袋, manual"
    )
    batch = draft(agent_a_clerk, [line])
    assert batch.lines.get().accessories == ["数据线", "收纳袋", "manual"]


@pytest.mark.parametrize("who", ["outlet_tech", "commercial_commissioner", "administrator"])
def test_only_return_units_and_after_sales_staff_write_batches(cast, pb10k, who):
    with pytest.raises(PermissionDenied):
        draft(getattr(cast, who), pb_lines(1), return_org_code="AG-A")
    assert ReturnBatch.objects.count() == 0


def test_an_anonymous_caller_writes_nothing(pb10k):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        draft(AnonymousUser(), pb_lines(1))


# batch_update -------------------------------------------------------------------------------


def edit(batch, actor, lines, **header):
    """Replace the packing list of the draft ``batch`` with ``lines`` in one box,
    packed today by Li Na (and ``header``)."""
    data = {
        "packed_on": timezone.localdate(),
        "contact_person": "Li Na",
        "contact_phone": "13800138000",
        "declared_units": sum(line.quantity for line in lines),
        "declared_boxes": 1,
    }
    return services.batch_update(batch=batch, actor=actor, lines=lines, **data, **header)


def test_a_draft_packing_list_is_replaced_as_a_whole(agent_a_clerk, agent_a, pb10k, ad65):
    batch = draft(agent_a_clerk, pb_lines(3))
    lines = [LineIn(model_code="AD65", quantity=4, fault="Hot", box_no=1, bundled=True)]
    edit(batch, agent_a_clerk, lines, freight="prepaid")
    batch = reload(batch)
    assert (batch.contact_person, batch.declared_units, batch.return_org) == ("Li Na", 4, agent_a)
    assert list(batch.lines.values_list("line_no", "model__code", "quantity")) == [(1, "AD65", 4)]
    assert events(batch) == ["return_batch.created", "return_batch.edited"]


def test_a_refused_edit_keeps_the_draft_as_it_was(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(3))
    before = list(batch.lines.values())
    with pytest.raises(ValidationFailed):
        edit(batch, agent_a_clerk, [LineIn(model_code="NOPE", quantity=1, fault="x", box_no=1)])
    assert list(batch.lines.values()) == before
    assert events(batch) == ["return_batch.created"]


def test_a_submitted_packing_list_is_not_edited(agent_a_clerk, pb10k):
    batch = submitted(agent_a_clerk, pb_lines(1))
    with pytest.raises(Conflict) as caught:
        services.batch_update(batch=batch, actor=agent_a_clerk, lines=pb_lines(2))
    assert caught.value.code == "returns.move_not_allowed"
