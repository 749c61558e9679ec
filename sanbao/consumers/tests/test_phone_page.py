"""/service/phone/: a consumer confirms a mobile number with a one-time code sent
by SMS (issue 16 items 2 and 5), in Chinese unless they chose English; nothing is
sent or stored before they agree to how it is used; five wrong codes burn the
code; the confirmed number is held by the session and the consumer goes back to
where they came from (this site only)."""

from __future__ import annotations

import pytest
from django.test import Client

from sanbao.notifications import consumer, sms
from sanbao.notifications.models import OneTimeCode
from sanbao.testkit.background import run_queued_tasks

URL = "/service/phone/"
PHONE = "13800138000"

pytestmark = pytest.mark.django_db


def send(client, phone=PHONE, consent=True, next_url=""):
    data = {"action": "send", "phone": phone, "next": next_url}
    if consent:
        data["consent"] = "on"
    return client.post(URL, data)


def code_sent() -> str:
    run_queued_tasks()
    assert sms.outbox, "no SMS was sent"
    return sms.outbox[-1].params["code"]


def verify(client, code, phone=PHONE, next_url=""):
    return client.post(URL, {"action": "verify", "phone": phone, "code": code, "next": next_url})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def session_phone(client) -> str | None:
    class Request:
        session = client.session

    return consumer.confirmed_phone(Request())


def test_the_page_asks_for_consent_in_chinese_before_anything_is_sent():
    page = Client().get(URL)
    assert page.status_code == 200 and page["Content-Language"] == "zh-hans"
    html = page.content.decode()
    assert 'data-testid="consent-text"' in html and "确认手机号" in html
    refused = send(Client(), consent=False)
    assert refused.status_code == 400
    assert "请先阅读并同意" in refused.content.decode()
    assert OneTimeCode.objects.count() == 0 and not sms.outbox


def test_a_bad_number_is_refused_on_its_field_in_english_when_chosen():
    client = Client()
    client.get(URL + "?lang=en")
    refused = send(client, phone="12345")
    assert refused.status_code == 400 and refused["Content-Language"] == "en"
    assert "mobile number" in refused.content.decode().lower()
    assert OneTimeCode.objects.count() == 0


def test_the_right_code_confirms_the_number_and_goes_back_to_a_local_page_only():
    client = Client()
    assert send(client, next_url="/w/abc/def/").status_code == 200
    answer = verify(client, code_sent(), next_url="/w/abc/def/")
    assert answer.status_code == 302 and answer["Location"] == "/w/abc/def/"
    assert session_phone(client) == PHONE
    other = Client()
    send(other, phone="13900139000")
    answer = verify(other, code_sent(), phone="13900139000", next_url="https://evil.example/")
    assert answer.status_code == 302 and answer["Location"] == URL


def test_five_wrong_codes_are_refused_and_then_even_the_right_one_until_a_new_code():
    client = Client()
    send(client)
    code = code_sent()
    for _ in range(5):
        refused = verify(client, wrong(code))
        assert refused.status_code == 400
        assert 'data-testid="code-error"' in refused.content.decode()
    assert verify(client, code).status_code == 400  # burnt
    assert session_phone(client) is None
    OneTimeCode.objects.update()  # (nothing else changes the rows)
    from sanbao.core import ratelimit

    ratelimit.cache.clear()  # the resend hold: as if a minute had passed
    send(client)
    assert verify(client, code_sent()).status_code == 302
    assert session_phone(client) == PHONE


def test_a_resend_too_soon_is_429_with_retry_after():
    client = Client()
    send(client)
    again = send(client)
    assert again.status_code == 429 and int(again["Retry-After"]) > 0
    assert len([m for m in sms.outbox]) <= 1


def test_the_confirmed_number_can_be_forgotten():
    client = Client()
    send(client)
    verify(client, code_sent())
    page = client.get(URL).content.decode()
    assert "138****8000" in page and 'data-testid="phone-forget"' in page
    client.post(URL, {"action": "forget"})
    assert session_phone(client) is None
