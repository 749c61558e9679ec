"""Tenant-scoped reads: platform staff see every batch, a return unit (agent or
enterprise) only its own; anything else is missing (404), never forbidden. A
return unit sees its own anomalies and the notices sent to it (IV.4)."""

from __future__ import annotations

import pytest

from sanbao.core.errors import NotAuthenticated, NotFound, PermissionDenied
from sanbao.notifications import services as notifications
from sanbao.returns import selectors, services
from sanbao.returns.tests.conftest import called, on_hold, pb_lines, submitted


@pytest.fixture
def batches(agent_a_clerk, drafts_of_everyone):
    """A draft of each return unit, and one batch agent A has sent."""
    return {**drafts_of_everyone, "agent_a_sent": submitted(agent_a_clerk, pb_lines(2))}


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_platform_users_see_every_batch(cast, batches):
    for who in ("platform_staff", "platform_manager", "administrator", "cs_commissioner"):
        assert numbers(selectors.batch_list(actor=getattr(cast, who))) == {
            b.number for b in batches.values()
        }


def test_a_return_unit_sees_only_its_own_batches(cast, batches):
    assert numbers(selectors.batch_list(actor=cast.agent_a_clerk)) == {
        batches["agent_a"].number,
        batches["agent_a_sent"].number,
    }
    assert numbers(selectors.batch_list(actor=cast.agent_b_clerk)) == {batches["agent_b"].number}
    assert numbers(selectors.batch_list(actor=cast.enterprise_clerk)) == {
        batches["enterprise_c"].number
    }


def test_a_service_outlet_has_no_returns_to_see(outlet_tech, batches):
    with pytest.raises(PermissionDenied):
        selectors.batch_list(actor=outlet_tech)


def test_an_anonymous_caller_sees_nothing(batches):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        selectors.batch_list(actor=AnonymousUser())


def test_the_list_filters_by_state_return_unit_and_number(platform_staff, batches):
    sent = batches["agent_a_sent"]
    assert numbers(selectors.batch_list(actor=platform_staff, status="submitted")) == {sent.number}
    assert numbers(selectors.batch_list(actor=platform_staff, return_org="AG-B")) == {
        batches["agent_b"].number
    }
    prefix = f" {sent.number[:9].lower()}"
    assert sent.number in numbers(selectors.batch_list(actor=platform_staff, number=prefix))


def test_the_list_reads_each_batchs_return_unit_without_a_query_per_row(
    platform_staff, batches, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = [b.return_org.code for b in selectors.batch_list(actor=platform_staff)]
    assert sorted(names) == ["AG-A", "AG-A", "AG-B", "EN-C"]


def test_a_batch_is_found_by_its_number_however_it_is_typed(agent_a_clerk, batches):
    batch = batches["agent_a"]
    found = selectors.batch_get(actor=agent_a_clerk, number=f"  {batch.number.lower()} ")
    assert found == batch


@pytest.mark.parametrize("number", ["agent_b", "enterprise_c", "unknown"])
def test_another_units_batch_is_missing_not_forbidden(agent_a_clerk, batches, number):
    wanted = batches[number].number if number in batches else "R0000-NOPE00"
    with pytest.raises(NotFound) as caught:
        selectors.batch_get(actor=agent_a_clerk, number=wanted)
    assert caught.value.code == "returns.batch_not_found"


# Anomalies and notices -------------------------------------------------------------------------


@pytest.fixture
def held(agent_a_clerk, agent_b_clerk, platform_staff, pb10k):
    """A batch of agent A and one of agent B, each on hold with a missing unit."""
    return {
        "agent_a": on_hold(agent_a_clerk, platform_staff, pb_lines(2)),
        "agent_b": on_hold(agent_b_clerk, platform_staff, pb_lines(3)),
    }


@pytest.mark.clause("IV.4")
def test_a_return_unit_sees_its_own_anomalies_and_staff_see_all(cast, held):
    mine = selectors.anomaly_list(actor=cast.agent_a_clerk)
    assert {a.batch for a in mine} == {held["agent_a"]}
    assert selectors.anomaly_get(actor=cast.agent_a_clerk, pk=mine[0].pk) == mine[0]
    every = selectors.anomaly_list(actor=cast.platform_staff)
    assert {a.batch for a in every} == set(held.values())
    theirs = selectors.anomaly_list(actor=cast.agent_b_clerk).get()
    with pytest.raises(NotFound) as caught:
        selectors.anomaly_get(actor=cast.agent_a_clerk, pk=theirs.pk)
    assert caught.value.code == "returns.anomaly_not_found"


def test_anomalies_are_listed_per_batch_and_open_or_all(platform_staff, held):
    batch = held["agent_a"]
    (anomaly,) = selectors.anomaly_list(actor=platform_staff, batch=batch)
    called(batch, platform_staff)
    services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note="Agreed.")
    assert list(selectors.anomaly_list(actor=platform_staff, batch=batch, open_only=True)) == []
    assert list(selectors.anomaly_list(actor=platform_staff, batch=batch)) == [anomaly]


@pytest.mark.clause("IV.4")
def test_a_return_unit_sees_the_notices_about_its_batch_and_what_was_done(cast, held):
    batch = held["agent_a"]
    (task,) = selectors.batch_contact_tasks(actor=cast.platform_staff, batch=batch)
    notifications.attempt_record(
        task=task, actor=cast.platform_staff, channel="telephone", outcome="reached"
    )
    (seen,) = selectors.batch_contact_tasks(actor=cast.agent_a_clerk, batch=batch)
    assert seen == task and seen.body == services.anomaly_notice_text(batch)
    assert [a.outcome for a in seen.attempts.all()] == ["reached"]
    assert list(selectors.batch_contact_tasks(actor=cast.agent_b_clerk, batch=batch)) == []
