"""The issue's own example, end to end through the services."""

import pytest

from sanbao.notifications.models import ContactTask
from sanbao.returns import policy, services
from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import draft, pb_lines


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_twenty_declared_in_three_boxes_arriving_as_nineteen_plus_one_unlisted(
    agent_a_clerk, platform_staff, pb10k
):
    lines = pb_lines(7, box=1) + pb_lines(7, box=2) + pb_lines(6, box=3)
    batch = draft(agent_a_clerk, lines)
    assert (batch.declared_units, batch.declared_boxes) == (20, 3)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    services.receipt_open(batch=batch, actor=platform_staff)
    for line in batch.lines.order_by("line_no")[:19]:  # line 20 never arrives
        code = policy.label_code(batch.number, line.line_no, 1)
        assert services.receipt_scan(batch=batch, actor=platform_staff, code=code).created
        assert not services.receipt_scan(batch=batch, actor=platform_staff, code=code).created
    services.receipt_record_unit(
        batch=batch,
        actor=platform_staff,
        kind="unlisted",
        box_no=3,
        model_code="PB10K",
        note="Not on the list",
    )
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=3)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ON_HOLD
    assert (batch.declared_units, batch.received_units) == (20, 20)
    assert sorted(batch.anomalies.values_list("kind", flat=True)) == [
        "missing_units",
        "unlisted_units",
    ]
    task = ContactTask.objects.get(target_id=str(batch.pk))
    assert task.recipient == batch.return_org and task.status == "open"


@pytest.mark.clause("IV.P5")
def test_a_cash_on_delivery_batch_cannot_be_submitted(agent_a_clerk, pb10k):
    from sanbao.core.errors import PolicyRefused

    batch = draft(agent_a_clerk, pb_lines(2), freight="cod")
    with pytest.raises(PolicyRefused) as caught:
        services.batch_submit(batch=batch, actor=agent_a_clerk)
    assert caught.value.code == "returns.cash_on_delivery_refused"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
