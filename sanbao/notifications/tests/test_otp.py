"""One-time codes (issue 16 item 2): a six-digit code sent by SMS from the worker,
stored only as a keyed hash; five wrong tries burn it; resends wait; sends are
limited per number and per client address in the shared cache."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sanbao.core import ratelimit
from sanbao.core.errors import ValidationFailed
from sanbao.core.jobs import DAILY_JOBS, run_daily
from sanbao.core.models import AuditEvent
from sanbao.notifications import services, sms
from sanbao.notifications.errors import TooManyRequests
from sanbao.notifications.models import (
    Message,
    MessageStatus,
    OneTimeCode,
    OtpPurpose,
    OtpStatus,
)
from sanbao.testkit.background import run_queued_tasks

PHONE = "13800138000"
PURPOSE = OtpPurpose.CONSUMER_PHONE
CLIENT = "203.0.113.7"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The limiter's clock, moved by tests (the cache's windows and holds)."""

    class Clock:
        at = 1_900_000_000.0

        def move(self, seconds: float) -> None:
            self.at += seconds

    clock = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: clock.at)
    return clock


def send(phone=PHONE, client=CLIENT):
    return services.otp_send(phone, PURPOSE, client=client)


def sent_code() -> str:
    """Run the worker and read the code from the last SMS the test backend got."""
    run_queued_tasks()
    assert sms.outbox, "no SMS was sent"
    return sms.outbox[-1].params["code"]


def verify(code, phone=PHONE, client=CLIENT):
    return services.otp_verify(phone, PURPOSE, code, client=client)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def refusal(code, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as caught:
        verify(code, **kwargs)
    assert list(caught.value.fields) == ["code"]
    return caught.value.code


def test_the_code_reaches_the_outbox_through_the_worker_in_chinese():
    row = send(" 138-0013 8000 ")
    assert sms.outbox == []  # the request only queued it
    code = sent_code()
    assert len(code) == 6 and code.isdigit()
    (message,) = sms.outbox
    assert message.phone == PHONE and message.template.name == "otp_code"
    assert code in message.text and "验证码" in message.text
    assert Message.objects.get(pk=row.message_id).status == MessageStatus.SENT
    assert verify(code).status == OtpStatus.USED


def test_a_used_code_cannot_be_used_again():
    send()
    code = sent_code()
    verify(code)
    assert refusal(code) == "notifications.otp_code_expired"


def test_five_wrong_codes_are_refused_and_burn_the_code_then_a_new_code_works(clock):
    send()
    code = sent_code()
    codes = [refusal(wrong(code)) for _ in range(5)]
    assert codes == ["notifications.otp_code_wrong"] * 4 + ["notifications.otp_code_burnt"]
    # The sixth try, with the right code, is refused too: the code is burnt.
    assert refusal(code) == "notifications.otp_code_burnt"
    row = OneTimeCode.objects.get()
    assert row.status == OtpStatus.BURNT and row.wrong_tries == 5
    clock.move(61)
    send()
    new = sent_code()
    assert verify(new).status == OtpStatus.USED


def test_the_refusal_says_how_many_tries_are_left():
    send()
    code = sent_code()
    with pytest.raises(ValidationFailed) as caught:
        verify(wrong(code))
    assert caught.value.params == {"tries_left": 4}


@override_settings(SANBAO_OTP_MAX_ATTEMPTS=2)
def test_the_number_of_tries_is_a_setting():
    send()
    code = sent_code()
    assert refusal(wrong(code)) == "notifications.otp_code_wrong"
    assert refusal(wrong(code)) == "notifications.otp_code_burnt"
    assert refusal(code) == "notifications.otp_code_burnt"


def test_a_malformed_code_is_refused_without_counting_a_try():
    send()
    code = sent_code()
    for typed in ("12345", "1234567", "abcdef", ""):
        assert refusal(typed) == "notifications.otp_code_invalid"
    assert OneTimeCode.objects.get().wrong_tries == 0
    assert verify(f" {code[:3]} {code[3:]} ").status == OtpStatus.USED


def test_an_expired_code_is_refused_even_when_right():
    row = send()
    code = sent_code()
    OneTimeCode.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert refusal(code) == "notifications.otp_code_expired"


@override_settings(SANBAO_OTP_TTL_SECONDS=600)
def test_a_code_lives_for_the_ttl_setting():
    row = send()
    assert row.expires_at - row.created_at == dt.timedelta(seconds=600)
    assert abs(row.created_at - timezone.now()) < dt.timedelta(seconds=5)
    run_queued_tasks()
    assert "10" in sms.outbox[0].text  # minutes


def test_no_code_sent_and_a_code_for_another_number_or_purpose_are_refused():
    assert refusal("123456") == "notifications.otp_code_expired"
    send()
    code = sent_code()
    assert refusal(code, phone="13900139000") == "notifications.otp_code_expired"


def test_a_resend_within_the_cooldown_is_refused_with_429_then_allowed(clock):
    send()
    clock.move(30)
    with pytest.raises(TooManyRequests) as caught:
        send()
    assert caught.value.status == 429 and caught.value.code == "notifications.otp_resend_wait"
    assert caught.value.retry_after == 30 and list(caught.value.fields) == ["phone"]
    assert OneTimeCode.objects.count() == 1
    clock.move(30)
    send()
    assert OneTimeCode.objects.count() == 2


def test_a_new_code_replaces_the_earlier_one(clock):
    send()
    first = sent_code()
    clock.move(61)
    send()
    second = sent_code()
    if first != second:
        assert refusal(first) == "notifications.otp_code_wrong"
    assert verify(second).status == OtpStatus.USED
    assert list(OneTimeCode.objects.order_by("id").values_list("status", flat=True)) == [
        OtpStatus.REPLACED,
        OtpStatus.USED,
    ]


@override_settings(SANBAO_OTP_SENDS_PER_PHONE_PER_HOUR=3)
def test_sends_to_one_number_are_limited_per_hour_from_any_address(clock):
    for i in range(3):
        send(client=f"198.51.100.{i}")
        clock.move(61)
    with pytest.raises(TooManyRequests) as caught:
        send(client="198.51.100.99")
    assert caught.value.code == "notifications.otp_phone_limit"
    assert 0 < caught.value.retry_after <= 3600
    send("13900139000", client="198.51.100.99")  # another number is not held up
    clock.move(3600)
    send()  # the next hour


@override_settings(SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR=3)
def test_sends_from_one_client_are_limited_per_hour_whatever_the_number(clock):
    for i in range(3):
        send(f"1380013800{i}")
    with pytest.raises(TooManyRequests) as caught:
        send("13800138009")
    assert caught.value.code == "notifications.otp_client_limit"
    assert caught.value.as_dict()["fields"] == {"phone": [caught.value.message]}
    send("13800138009", client="192.0.2.1")  # another address is not held up
    clock.move(3600)
    send("13800138008")


@override_settings(SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR=2)
def test_an_ipv6_client_is_counted_by_its_64(clock):
    send("13800138001", client="2001:db8:1:2::1")
    send("13800138002", client="2001:db8:1:2::ffff")
    with pytest.raises(TooManyRequests):
        send("13800138003", client="2001:db8:1:2:abcd::9")
    send("13800138003", client="2001:db8:1:3::1")


@override_settings(SANBAO_OTP_TRIES_PER_CLIENT_PER_HOUR=3)
def test_tries_from_one_client_are_limited_per_hour():
    for i in range(3):
        send(f"1380013800{i}")
    for i in range(3):
        with pytest.raises(ValidationFailed):
            verify("000000" if i else "999999", phone=f"1380013800{i}")
    with pytest.raises(TooManyRequests) as caught:
        verify("000000", phone="13800138000")
    assert caught.value.code == "notifications.otp_tries_limit"


def test_the_code_is_stored_nowhere_in_clear():
    row = send()
    code = sent_code()
    stored = OneTimeCode.objects.filter(pk=row.pk).values().get()
    assert code not in json.dumps(stored, default=str)
    assert len(stored["digest"]) == 64 and len(stored["salt"]) == 32
    message = Message.objects.filter(pk=row.message_id).values().get()
    assert code not in json.dumps(message, default=str)
    assert message["sealed"] == ""  # erased once sent
    tasks = list(DBTaskResult.objects.values("args_kwargs", "return_value"))
    assert code not in json.dumps(tasks, default=str)
    events = list(AuditEvent.objects.values("data", "target_repr"))
    assert code not in json.dumps(events, default=str)
    assert PHONE not in json.dumps(events, default=str)  # masked: 138****8000


def test_while_waiting_for_the_worker_the_code_is_sealed_not_readable():
    row = send()
    message = Message.objects.get(pk=row.message_id)
    assert message.sealed and message.params == {"minutes": "5"}
    with connection.cursor() as cursor:  # the raw row, as a leaked database shows it
        cursor.execute("SELECT * FROM notifications_message WHERE id = %s", [message.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    code = sms.unseal(message.sealed)["code"]
    assert code not in raw
    assert "******" in message.body


def test_the_hash_is_compared_in_constant_time(monkeypatch):
    calls = []
    real = services.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(services.hmac, "compare_digest", spy)
    send()
    code = sent_code()
    with pytest.raises(ValidationFailed):
        verify(wrong(code))
    verify(code)
    assert len(calls) == 2
    row = OneTimeCode.objects.get()
    assert all(stored == row.digest and len(typed) == 64 for stored, typed in calls)


def test_sent_verified_and_burnt_are_audited_without_the_code(clock):
    send()
    code = sent_code()
    verify(code)
    clock.move(61)
    send()
    second = sent_code()
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            verify(wrong(second))
    actions = list(
        AuditEvent.objects.filter(action__startswith="otp.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["otp.sent", "otp.verified", "otp.sent", "otp.burnt"]
    for event in AuditEvent.objects.filter(action__startswith="otp."):
        assert event.data["phone"] == "138****8000" and "code" not in event.data


def test_an_sms_still_queued_when_its_code_expires_is_not_sent():
    row = send()
    OneTimeCode.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    run_queued_tasks()
    assert sms.outbox == []
    message = Message.objects.get(pk=row.message_id)
    assert message.status == MessageStatus.FAILED and message.sealed == ""


def test_the_daily_job_purges_expired_codes_and_their_sms_only(clock):
    old = send()
    run_queued_tasks()
    clock.move(61)
    live = send("13900139000")
    OneTimeCode.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert ("otp_codes_purge", "sanbao.notifications.services.otp_codes_purge") in DAILY_JOBS
    assert run_daily(["otp_codes_purge"]) == {"otp_codes_purge": 1}
    assert list(OneTimeCode.objects.values_list("pk", flat=True)) == [live.pk]
    assert not Message.objects.filter(pk=old.message_id).exists()
    assert Message.objects.filter(pk=live.message_id).exists()
    assert AuditEvent.objects.filter(action="otp.purged").count() == 1
    assert run_daily(["otp_codes_purge"]) == {"otp_codes_purge": 0}


def test_an_unknown_purpose_is_a_programming_error():
    with pytest.raises(ValueError):
        services.otp_send(PHONE, "login", client=CLIENT)


def test_a_number_that_is_no_number_is_refused_naming_the_phone():
    with pytest.raises(ValidationFailed) as caught:
        services.otp_send("call me", PURPOSE, client=CLIENT)
    assert caught.value.code == "notifications.sms_phone_invalid"
    assert list(caught.value.fields) == ["phone"]


@pytest.mark.django_db(transaction=True)
def test_wrong_codes_tried_at_once_never_count_past_the_limit():
    """Twelve wrong tries sent together (threads, each its own connection): the code
    counts exactly five, is burnt once, and the right code is refused after."""
    import threading

    from django.db import connections, transaction

    send()
    with transaction.atomic():  # the test kit's worker claims its task in one
        code = sent_code()
    barrier = threading.Barrier(12)
    codes: list[str] = []

    def try_wrong():
        try:
            barrier.wait()
            with pytest.raises(ValidationFailed) as caught:
                verify(wrong(code))
            codes.append(caught.value.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=try_wrong) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 12
    assert codes.count("notifications.otp_code_wrong") <= 4
    row = OneTimeCode.objects.get()
    assert row.wrong_tries == 5 and row.status == OtpStatus.BURNT
    assert AuditEvent.objects.filter(action="otp.burnt").count() == 1
    assert refusal(code) == "notifications.otp_code_burnt"
