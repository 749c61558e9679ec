"""Contact tasks and attempts (notifications.services): a task says what to tell an
organisation and by which channel first; each attempt records who, when, how and
with what outcome; an attempt that reaches them closes the task; e-mail goes out
through Django's mail backend from the background worker, once the transaction
commits (test_tasks.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from sanbao.core.errors import Conflict, ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.notifications import services
from sanbao.notifications.models import (
    AttemptOutcome,
    Channel,
    ContactAttempt,
    ContactTask,
    TaskStatus,
)
from sanbao.testkit.background import run_queued_tasks


@pytest.fixture
def task(agent_a, platform_staff):
    """A task about agent A itself (any record can be the subject)."""
    return services.task_open(
        recipient=agent_a,
        subject="Your price list",
        body="The new price list applies from Monday.",
        target=agent_a,
        actor=platform_staff,
    )


def test_opening_a_task_writes_it_open_with_its_subject_and_one_audit_event(
    task, agent_a, platform_staff
):
    row = ContactTask.objects.get(pk=task.pk)
    assert (row.recipient, row.status, row.channel) == (agent_a, "open", "telephone")
    assert (row.target_type, row.target_id, row.target_repr) == (
        "accounts.organisation",
        str(agent_a.pk),
        str(agent_a),
    )
    (event,) = AuditEvent.objects.for_target(task)
    assert (event.action, event.actor, event.data["channel"]) == (
        "contact_task.opened",
        platform_staff,
        "telephone",
    )


def test_a_task_opened_by_the_system_is_audited_as_the_system(agent_a):
    task = services.task_open(
        recipient=agent_a, subject="s" * 300, body="b", target=agent_a, channel="fax"
    )
    assert len(task.subject) == 200
    (event,) = AuditEvent.objects.for_target(task)
    assert (event.actor, event.actor_label) == (None, "system")


ALL_PAIRS = [(c, o) for c in Channel.values for o in AttemptOutcome.values]


@pytest.mark.parametrize(("channel", "outcome"), ALL_PAIRS)
def test_each_channel_accepts_its_own_outcomes_and_the_reaching_ones_close_the_task(
    task, platform_staff, channel, outcome
):
    fits = outcome in services.OUTCOMES_BY_CHANNEL[channel]
    if not fits:
        with pytest.raises(ValidationFailed) as caught:
            services.attempt_record(
                task=task, actor=platform_staff, channel=channel, outcome=outcome
            )
        assert caught.value.code == "notifications.outcome_invalid"
        assert ContactAttempt.objects.count() == 0
        return
    services.attempt_record(task=task, actor=platform_staff, channel=channel, outcome=outcome)
    task.refresh_from_db()
    reaching = outcome in {"reached", "fax_sent"}  # an e-mail closes nothing (IV.4)
    assert task.status == ("done" if reaching else "open")
    assert (task.done_at is not None) == reaching


def test_an_attempt_on_a_task_closed_meanwhile_is_refused(task, platform_staff):
    stale = ContactTask.objects.get(pk=task.pk)
    services.attempt_record(task=task, actor=platform_staff, channel="fax", outcome="fax_sent")
    with pytest.raises(Conflict) as caught:
        services.attempt_record(
            task=stale, actor=platform_staff, channel="telephone", outcome="reached"
        )
    assert caught.value.code == "notifications.task_closed"
    assert ContactAttempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="contact_task.attempted").count() == 1


def test_an_e_mail_that_went_out_is_recorded_even_if_a_call_closed_the_task_first(
    task, agent_a, platform_staff
):
    agent_a.email = "office@agent-a.example"
    agent_a.save(update_fields=["email"])
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    with transaction.atomic():
        services.task_send_email(task=task, actor=platform_staff)
        services.attempt_record(
            task=ContactTask.objects.get(pk=task.pk),
            actor=platform_staff,
            channel="telephone",
            outcome="reached",
        )
    run_queued_tasks()
    assert len(mail.outbox) == 1
    outcomes = list(ContactAttempt.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["reached", "email_sent"]
    assert ContactTask.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_an_e_mail_is_not_asked_for_on_a_task_already_done(task, agent_a, platform_staff):
    agent_a.email = "office@agent-a.example"
    agent_a.save(update_fields=["email"])
    services.attempt_record(task=task, actor=platform_staff, channel="fax", outcome="fax_sent")
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    with pytest.raises(Conflict):
        services.task_send_email(task=task, actor=platform_staff)
    assert mail.outbox == []


# Who sees a task ------------------------------------------------------------------------------


def test_platform_users_see_every_task_and_an_organisation_those_about_it(
    cast, task, agent_b, platform_staff
):
    other = services.task_open(recipient=agent_b, subject="s", body="b", target=agent_b)
    visible = ContactTask.objects.visible_to
    assert set(visible(cast.platform_staff)) == {task, other}
    assert set(visible(cast.agent_a_clerk)) == {task}
    assert set(visible(cast.agent_b_clerk)) == {other}
    assert set(visible(cast.outlet_tech)) == set()


def test_an_anonymous_caller_sees_no_task(task):
    from django.contrib.auth.models import AnonymousUser

    assert not ContactTask.objects.visible_to(AnonymousUser()).exists()
