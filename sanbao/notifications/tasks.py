"""The notifications' background tasks: e-mail leaves in a worker, never in the
request that asked for it (issue 13 item 7), so a slow or failing mail server
slows no page. The work itself is in ``services``."""

from __future__ import annotations

from django_tasks import task

from sanbao.notifications import services


@task()
def message_email(message_id: int, attempt: int = 1) -> str:
    """E-mail a written message (a reminder) to its recipient."""
    return services.message_deliver(message_id, attempt=attempt)


@task()
def contact_task_email(
    task_id: int, actor_id: int, address: str, attachments: list, attempt: int = 1
) -> str:
    """E-mail a contact task's message to the organisation and record the attempt."""
    return services.task_email_deliver(
        task_id, actor_id=actor_id, address=address, attachments=attachments, attempt=attempt
    )


@task()
def sms_message(message_id: int, attempt: int = 1) -> str:
    """Hand a written SMS to the SMS backend and record the provider's answer."""
    return services.sms_deliver(message_id, attempt=attempt)
