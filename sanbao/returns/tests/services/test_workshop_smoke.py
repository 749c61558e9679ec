from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import pb_lines, reload, settle_all, shipped, under_test


def test_a_batch_goes_from_receipt_to_shipped(agent_a_clerk, platform_staff, pb10k):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(3))
    assert batch.units.count() == 3
    assert batch.due_on is not None
    batch = settle_all(batch, platform_staff)
    assert batch.status == BatchStatus.READY
    shipment = shipped(batch, platform_staff)
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert shipment.units.count() == 3
