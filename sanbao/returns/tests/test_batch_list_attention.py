"""The batch list's "needs attention" filter, which the home pages link to: overdue,
due back today (IV.5), a call or fax to make (IV.4), sent back late; on the list
page and in its form, for the platform and for a return unit (its own only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.returns import selectors
from sanbao.returns.models import ReturnBatch
from sanbao.returns.tests.conftest import called, on_hold, pb_lines, received
from sanbao.testkit.cast import login_client_for

pytestmark = pytest.mark.django_db


def _due(batch: ReturnBatch, days: int) -> ReturnBatch:
    """The batch's due date moved ``days`` from today (history set as test setup)."""
    ReturnBatch.objects.filter(pk=batch.pk).update(
        due_on=timezone.localdate() + dt.timedelta(days=days)
    )
    return batch


@pytest.fixture
def batches(cast, pb10k):
    staff = cast.platform_staff
    a, b = cast.agent_a_clerk, cast.agent_b_clerk
    late_b = _due(received(b, staff, pb_lines(1)), -1)
    reached = on_hold(a, staff, pb_lines(2))
    called(reached, staff)  # the call reached agent A: nothing more to make
    shipped_late = received(a, staff, pb_lines(1))
    ReturnBatch.objects.filter(pk=shipped_late.pk).update(
        status="shipped", shipped_at=timezone.now(), working_days_late=2
    )
    return {
        "overdue": _due(received(a, staff, pb_lines(1)), -2),
        "due_today": _due(received(a, staff, pb_lines(1)), 0),
        "due_later": _due(received(a, staff, pb_lines(1)), 3),
        "on_hold": on_hold(a, staff, pb_lines(2)),  # its contact task is open
        "reached": reached,
        "shipped_late": shipped_late,
        "late_b": late_b,
    }


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_the_platform_lists_the_batches_overdue_and_due_back_today(cast, batches):
    staff = cast.platform_staff
    assert numbers(selectors.batch_list(actor=staff, attention="overdue")) == {
        batches["overdue"].number,
        batches["late_b"].number,
    }
    assert numbers(selectors.batch_list(actor=staff, attention="due_today")) == {
        batches["due_today"].number
    }


def test_the_platform_lists_the_batches_with_a_call_or_fax_still_to_make(cast, batches):
    assert numbers(selectors.batch_list(actor=cast.platform_staff, attention="to_contact")) == {
        batches["on_hold"].number
    }


def test_sent_back_late_includes_the_overdue_not_yet_shipped(cast, batches):
    assert numbers(selectors.batch_list(actor=cast.agent_a_clerk, attention="late")) == {
        batches["shipped_late"].number,
        batches["overdue"].number,
    }


def test_a_return_unit_lists_only_its_own_overdue_batches(cast, batches):
    assert numbers(selectors.batch_list(actor=cast.agent_b_clerk, attention="overdue")) == {
        batches["late_b"].number
    }


def test_an_unknown_attention_is_refused_by_the_form_and_filters_nothing(cast, batches):
    response = login_client_for(cast.platform_staff).get(
        reverse("returns:batch_list"), {"attention": "everything"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attention"]
    assert response.context["page"].paginator.count == ReturnBatch.objects.count()


def test_the_list_page_filters_by_attention_and_offers_calls_to_make_to_the_platform_only(
    cast, batches
):
    response = login_client_for(cast.platform_staff).get(
        reverse("returns:batch_list"), {"attention": "overdue"}
    )
    shown = {b.number for b in response.context["page"].object_list}
    assert shown == {batches["overdue"].number, batches["late_b"].number}
    choices = dict(response.context["form"].fields["attention"].choices)
    assert "to_contact" in choices
    agent = login_client_for(cast.agent_a_clerk).get(reverse("returns:batch_list"))
    assert "to_contact" not in dict(agent.context["form"].fields["attention"].choices)


def test_the_list_shows_each_batchs_due_date(cast, batches):
    response = login_client_for(cast.agent_a_clerk).get(
        reverse("returns:batch_list"), {"attention": "due_today"}
    )
    assert (
        f'data-testid="batch-due">{timezone.localdate().isoformat()}</td>'
        in response.content.decode()
    )
