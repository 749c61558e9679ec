"""IV.6 on the pages: delayed units stay visible until they ship (the queue, the
"still to follow" list of each return unit, the new-shipment page); the
new-shipment page ticks only the units of the batch it was opened from, never
every ready unit of the return unit across all its batches."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanbao.returns import services
from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test
from sanbao.returns.tests.views.conftest import html, row_tag, rows
from sanbao.testkit.cast import login_client_for


def _delayed_batch(clock, agent, staff):
    """Two units: the first shipped back, the second delayed for parts (in time)."""
    clock.set("2026-03-02")
    batch = under_test(agent, staff, pb_lines(2))
    first, late = batch.units.order_by("seq")
    services.unit_delay(unit=late, actor=staff, reason="parts_shortage", note="Cells on order")
    settle_all(batch, staff, units=[first])
    shipped(batch, staff, units=[first])
    return batch, late


@pytest.mark.clause("IV.6")
def test_the_queue_and_the_list_of_each_return_unit_show_the_units_still_to_follow(
    clock, platform_staff, agent_a_clerk, agent_b_clerk, pb10k
):
    batch, late = _delayed_batch(clock, agent_a_clerk, platform_staff)
    clock.set("2026-03-10")
    staff = login_client_for(platform_staff)

    queue = staff.get(reverse("returns:queue"))
    assert rows(queue, "queue-row", "data-number") == [batch.number]
    assert 'data-state="to_follow"' in row_tag(queue, "queue-row", batch.number)

    page = staff.get(reverse("returns:to_follow"))
    assert page.status_code == 200
    assert rows(page, "to-follow-org", "data-code") == ["AG-A"]
    assert rows(page, "to-follow-unit", "data-code") == [late.code]
    assert "Cells on order" in html(page)
    own = login_client_for(agent_a_clerk).get(reverse("returns:to_follow"))
    assert rows(own, "to-follow-unit", "data-code") == [late.code]
    other = login_client_for(agent_b_clerk).get(reverse("returns:to_follow"))
    assert rows(other, "to-follow-unit", "data-code") == []

    create = staff.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert rows(create, "to-follow-unit", "data-code") == [late.code]


@pytest.mark.clause("IV.6")
def test_the_new_shipment_page_ticks_only_the_units_of_the_batch_it_was_opened_from(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-03-02")
    one = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    two = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    staff = login_client_for(platform_staff)
    base = reverse("returns:shipment_create") + "?return_org=AG-A"

    def ticked(page) -> list[str]:
        return re.findall(r'name="unit_ids" value="(\d+)"[^>]* checked', html(page))

    page = staff.get(base)
    assert sorted(rows(page, "ship-batch", "data-number")) == sorted([one.number, two.number])
    assert ticked(page) == []
    page = staff.get(f"{base}&batch={two.number}")
    assert ticked(page) == [str(u.pk) for u in two.units.order_by("seq")]
    detail = staff.get(reverse("returns:batch_detail", args=[one.number]))
    assert f"return_org=AG-A&amp;batch={one.number}" in html(detail)
