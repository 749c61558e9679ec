"""A shipment's page shows its own audit trail (issue 12, item 4): prepared, then
dispatched, with the status it moved from and to."""

from __future__ import annotations

from django.urls import reverse

from sanbao.accounts.services import user_set_language
from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import html, timeline


def test_the_shipment_page_shows_it_prepared_and_dispatched(agent_a_clerk, platform_staff, pb10k):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    shipment = shipped(batch, platform_staff)
    user_set_language(user=platform_staff, language="en")
    page = login_client_for(platform_staff).get(
        reverse("returns:shipment_detail", args=[shipment.number])
    )
    assert timeline(page, "shipment-timeline") == [
        ("shipment.prepared", "Shipment prepared"),
        ("shipment.shipped", "Dispatched"),
    ]
    assert "Prepared → Shipped" in html(page)


def test_the_batch_page_names_a_unit_counted_without_its_label(
    agent_a_clerk, platform_staff, pb10k
):
    from sanbao.returns import services
    from sanbao.returns.tests.conftest import receiving

    batch = receiving(agent_a_clerk, platform_staff, pb_lines(1))
    services.receipt_record_unit(batch=batch, actor=platform_staff, kind="unlisted", box_no=1)
    user_set_language(user=platform_staff, language="en")
    page = login_client_for(platform_staff).get(
        reverse("returns:batch_detail", args=[batch.number])
    )
    assert timeline(page, "batch-timeline")[-1] == (
        "return_batch.unit_recorded",
        "Unit without a label or not listed counted",
    )
