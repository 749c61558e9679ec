"""The declaration list filters by status, as the home pages link to it: an agent's
declarations being prepared or waiting for a decision, and a commissioner's
waiting in their department (V.2); another agent's are never listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.deliveries.models import Declaration, Delivery
from sanbao.testkit.cast import login_client_for

pytestmark = pytest.mark.django_db


def _declaration(agent, clerk, number: str, status: str, department: str = "") -> str:
    delivery = Delivery.objects.create(
        number=f"D{number}",
        source="platform",
        agent=agent,
        note_no="DN-1",
        shipped_at=timezone.now() - dt.timedelta(days=1),
    )
    Declaration.objects.create(
        number=f"U{number}",
        status=status,
        delivery=delivery,
        description="Dented box",
        opened_by=clerk,
        opened_at=timezone.now(),
        department=department,
    )
    return f"U{number}"


@pytest.fixture
def declarations(cast):
    a, b = cast.agent_a, cast.agent_b
    return {
        "a_draft": _declaration(a, cast.agent_a_clerk, "2612-A1", "draft"),
        "a_sent": _declaration(a, cast.agent_a_clerk, "2612-A2", "submitted", "after_sales"),
        "a_marketing": _declaration(a, cast.agent_a_clerk, "2612-A3", "submitted", "marketing"),
        "b_sent": _declaration(b, cast.agent_b_clerk, "2612-B1", "submitted", "after_sales"),
    }


def listed(user, **query) -> set[str]:
    response = login_client_for(user).get(reverse("deliveries:declaration_list"), query)
    assert response.status_code == 200
    return {d.number for d in response.context["page"].object_list}


def test_an_agent_lists_its_declarations_by_status(cast, declarations):
    d = declarations
    assert listed(cast.agent_a_clerk, status="draft") == {d["a_draft"]}
    assert listed(cast.agent_a_clerk, status="submitted") == {d["a_sent"], d["a_marketing"]}
    assert listed(cast.agent_a_clerk) == {d["a_draft"], d["a_sent"], d["a_marketing"]}


def test_a_commissioner_lists_those_waiting_in_their_department(cast, declarations):
    d = declarations
    assert listed(cast.cs_commissioner, status="submitted") == {d["a_sent"], d["b_sent"]}
    assert listed(cast.commercial_commissioner, status="submitted") == {d["a_marketing"]}


def test_an_unknown_status_is_refused_by_the_form_and_filters_nothing(cast, declarations):
    response = login_client_for(cast.agent_b_clerk).get(
        reverse("deliveries:declaration_list"), {"status": "lost"}
    )
    assert response.context["form"].errors["status"]
    assert {d.number for d in response.context["page"].object_list} == {declarations["b_sent"]}


def test_the_filter_answers_htmx_with_the_results_only(cast, declarations):
    response = login_client_for(cast.agent_a_clerk).get(
        reverse("deliveries:declaration_list"), {"status": "draft"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="declaration-results"')
    assert declarations["a_draft"] in body and declarations["a_sent"] not in body
