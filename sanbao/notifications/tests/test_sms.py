"""SMS (issue 16 item 2): a declared template, written on a Message (channel SMS)
in the caller's transaction and sent by the worker through the backend
SANBAO_SMS_BACKEND names, as e-mail is."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from sanbao.core.errors import ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.notifications import services, sms
from sanbao.notifications.models import Message, MessageChannel, MessageStatus
from sanbao.testkit.background import queued_task_paths, run_queued_tasks

pytestmark = pytest.mark.django_db
SMS_TASK = "sanbao.notifications.tasks.sms_message"


class RefusingBackend(sms.BaseBackend):
    def send(self, outgoing):
        return sms.SmsResult(ok=False, answer={"Code": "isp.SYSTEM_ERROR"}, error="down")


class RaisingBackend(sms.BaseBackend):
    def send(self, outgoing):
        raise ConnectionResetError("the provider hung up")


def write(key="", **params):
    return services.sms_send(
        phone="13800138000",
        template="claim_received",
        params=params or {"number": "C-1"},
        key=key,
    )


def test_an_sms_is_queued_in_the_transaction_and_sent_by_the_worker():
    with transaction.atomic():
        message = write()
    assert sms.outbox == [] and queued_task_paths() == [SMS_TASK]
    assert message.channel == MessageChannel.SMS and message.status == MessageStatus.PENDING
    assert message.recipient is None and message.phone == "13800138000"
    (ran,) = run_queued_tasks()
    assert ran.return_value == MessageStatus.SENT
    (sent,) = sms.outbox
    assert sent.phone == "13800138000" and sent.params == {"number": "C-1"}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.answer["backend"] == "locmem"
    event = AuditEvent.objects.get(action="sms.written")
    assert event.data == {"phone": "138****8000", "template": "claim_received", "key": message.key}


def test_an_sms_rolled_back_with_its_transaction_leaves_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        write()
        raise RuntimeError
    assert Message.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_the_text_is_chinese_by_default_whatever_the_requests_language():
    with translation.override("en"):
        write()
        run_queued_tasks()
    assert sms.outbox[0].text == "我们已收到您的保修申请 C-1，每一步进展都会通知您。"


@override_settings(SANBAO_SMS_LANGUAGE="en")
def test_the_language_is_a_setting():
    write()
    run_queued_tasks()
    assert sms.outbox[0].text.startswith("We have received your warranty claim C-1.")


def test_a_key_sends_an_sms_once_only():
    assert write(key="claim:C-1:received") is not None
    assert write(key="claim:C-1:received") is None
    assert Message.objects.count() == 1


def test_a_template_not_declared_or_without_its_values_is_a_programming_error():
    with pytest.raises(ValueError):
        services.sms_send(phone="13800138000", template="promotion", params={})
    with pytest.raises(ValueError):
        write(place="Shenzhen")


def test_every_template_renders_in_both_languages_with_its_values():
    for kind in sms.TEMPLATES.values():
        values = {name: f"<{name}>" for name in kind.params}
        for language in ("zh-hans", "en"):
            with override_settings(SANBAO_SMS_LANGUAGE=language):
                text = kind.render(values)
            assert all(value in text for value in values.values()), (kind.name, language)
        assert kind.setting.startswith("SANBAO_SMS_TEMPLATE_")


def test_a_number_that_is_no_number_is_refused_naming_the_phone():
    with pytest.raises(ValidationFailed) as caught:
        services.sms_send(phone="n/a", template="claim_received", params={"number": "C-1"})
    assert caught.value.code == "notifications.sms_phone_invalid"


@override_settings(
    SANBAO_SMS_BACKEND="sanbao.notifications.tests.test_sms.RefusingBackend",
    SANBAO_SMS_ATTEMPTS=2,
    SANBAO_SMS_RETRY_SECONDS=30,
)
def test_a_refused_sms_is_recorded_tried_again_later_then_marked_failed():
    message = write()
    (first,) = run_queued_tasks()
    assert first.return_value == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.error == "down"
    assert message.answer == {"Code": "isp.SYSTEM_ERROR"}
    later = DBTaskResult.objects.get(status="READY")
    assert 25 < (later.run_after - later.enqueued_at).total_seconds() <= 31
    assert run_queued_tasks() == []  # not before its time
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=later.enqueued_at)
    (second,) = run_queued_tasks()
    assert second.return_value == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.error == "down"


@override_settings(SANBAO_SMS_BACKEND="sanbao.notifications.tests.test_sms.RaisingBackend")
def test_a_backend_that_raises_is_a_recorded_failure_not_a_failed_task():
    message = write()
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL"
    message.refresh_from_db()
    assert message.error == "ConnectionResetError: the provider hung up"


def test_an_sms_purged_before_the_worker_runs_is_not_sent():
    message = write()
    Message.objects.filter(pk=message.pk).delete()
    (ran,) = run_queued_tasks()
    assert ran.return_value == "gone" and sms.outbox == []


def test_the_console_backend_prints_the_text_for_development():
    stream = io.StringIO()
    kind = sms.template("claim_received")
    result = sms.ConsoleBackend(stream).send(
        sms.OutgoingSms("13800138000", kind, {"number": "C-1"}, kind.render({"number": "C-1"}))
    )
    assert result.ok
    assert stream.getvalue() == (
        "SMS to 13800138000 [claim_received]: 我们已收到您的保修申请 C-1，每一步进展都会通知您。\n"
    )


def test_the_development_default_is_the_console_backend():
    from config import settings as base

    assert base.SANBAO_SMS_BACKEND == "sanbao.notifications.sms.ConsoleBackend"


def test_a_sealed_value_is_readable_with_the_key_it_was_sealed_with_only():
    token = sms.seal({"code": "123456"})
    assert "123456" not in token and sms.unseal(token) == {"code": "123456"}
    with override_settings(SECRET_KEY="another", SECRET_KEY_FALLBACKS=[]):
        assert sms.unseal(token) is None
    with override_settings(SECRET_KEY="rotated", SECRET_KEY_FALLBACKS=[_current_key()]):
        assert sms.unseal(token) == {"code": "123456"}


def _current_key():
    from django.conf import settings

    return settings.SECRET_KEY


def test_an_email_message_is_still_an_email():
    """The e-mail reminders keep working on the same record (channel e-mail)."""
    assert Message._meta.get_field("channel").default == MessageChannel.EMAIL
