"""Each delivery's and declaration's page shows its own audit trail (issue 12,
item 4): the events of that record only, oldest first, labelled in the reader's
language, with the status it moved from and to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.accounts.services import user_set_language
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import html, timeline

pytestmark = pytest.mark.django_db


def test_the_delivery_page_shows_its_entry_and_arrival_with_the_status_move(
    arrived_delivery, agent_a_clerk
):
    user_set_language(user=agent_a_clerk, language="en")
    page = login_client_for(agent_a_clerk).get(
        reverse("deliveries:delivery_detail", args=[arrived_delivery.number])
    )
    assert timeline(page, "delivery-timeline") == [
        ("delivery.created", "Delivery entered"),
        ("delivery.arrived", "Arrival and inspection recorded"),
    ]
    assert "On its way → Arrived and inspected" in html(page)


def test_the_declaration_page_shows_its_own_events_only_in_chinese(submitted, platform_manager):
    page = login_client_for(platform_manager).get(
        reverse("deliveries:declaration_detail", args=[submitted.number])
    )
    events = timeline(page, "declaration-timeline")
    assert [action for action, _label in events] == [
        "declaration.opened",
        "declaration.evidence_uploaded",
        "declaration.evidence_uploaded",
        "declaration.evidence_uploaded",
        "declaration.submitted",
    ]
    assert events[0][1] == "已建立申报" and events[-1][1] == "已提交专员"
    assert "agent_a_clerk" in html(page) or "Agent A" in html(page)  # the platform sees who


def test_an_agent_sees_the_timeline_without_the_names_of_who_acted(submitted, agent_a_clerk):
    page = login_client_for(agent_a_clerk).get(
        reverse("deliveries:declaration_detail", args=[submitted.number])
    )
    assert timeline(page, "declaration-timeline")
    card = html(page).split('data-testid="declaration-timeline"', 1)[1]
    assert " · " not in card.split("</section>", 1)[0]
