"""The consumer's confirmed telephone in the browser session (issue 16 item 2), and
the forms the consumer pages ask the number and the code with."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from sanbao.notifications import consumer
from sanbao.notifications.forms import PhoneCodeForm, PhoneForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        at = 1_900_000_000.0

    clock = Clock()
    monkeypatch.setattr(consumer, "now", lambda: clock.at)
    return clock


def through_the_session(view, cookies=None):
    """``view(request)`` behind Django's session middleware, as an anonymous
    visitor; the request and the response (with its cookie)."""
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    seen = {}

    def respond(request):
        seen["value"] = view(request)
        return HttpResponse()

    response = SessionMiddleware(respond)(request)
    return request, response, seen.get("value")


@override_settings(SANBAO_CONSUMER_SESSION_HOURS=2)
def test_a_confirmed_phone_is_held_until_the_session_hours_end(clock):
    _, response, _ = through_the_session(lambda r: consumer.confirm_phone(r, "+86 138-0013-8000"))
    cookie = {"sessionid": response.cookies["sessionid"].value}
    _, _, phone = through_the_session(consumer.confirmed_phone, cookie)
    assert phone == "13800138000"
    clock.at += 2 * 3600 - 1
    assert through_the_session(consumer.confirmed_phone, cookie)[2] == "13800138000"
    clock.at += 1
    assert through_the_session(consumer.confirmed_phone, cookie)[2] is None


def test_an_expired_confirmation_is_removed_from_the_session(clock):
    request, _, _ = through_the_session(lambda r: consumer.confirm_phone(r, "13800138000"))
    clock.at += 10**6
    assert consumer.confirmed_phone(request) is None
    assert consumer.SESSION_KEY not in request.session


def test_forgetting_the_phone_ends_the_confirmation(clock):
    request, _, _ = through_the_session(lambda r: consumer.confirm_phone(r, "13800138000"))
    consumer.forget_phone(request)
    assert consumer.confirmed_phone(request) is None
    consumer.forget_phone(request)  # twice is harmless


def test_a_session_never_confirmed_has_no_phone():
    assert through_the_session(consumer.confirmed_phone)[2] is None


@override_settings(SESSION_COOKIE_SECURE=True)
def test_an_anonymous_visitor_gets_a_secure_httponly_session_cookie_with_a_new_key():
    planted = {"sessionid": "a" * 32}
    _, response, _ = through_the_session(
        lambda r: consumer.confirm_phone(r, "13800138000"), planted
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie.value != planted["sessionid"]  # a fixed session id is not kept


def test_the_phone_form_normalises_the_number_and_names_a_bad_one():
    form = PhoneForm({"phone": "+86 138 0013 8000"})
    assert form.is_valid() and form.cleaned_data["phone"] == "13800138000"
    form = PhoneForm({"phone": "call me"})
    assert not form.is_valid()
    assert form.errors.as_data()["phone"][0].code == "sms_phone_invalid"


def test_the_code_form_takes_six_digits_with_spaces_and_names_a_bad_code():
    form = PhoneCodeForm({"phone": "13800138000", "code": " 123 456 "})
    assert form.is_valid() and form.cleaned_data["code"] == "123456"
    for typed in ("12345", "abcdef", ""):
        form = PhoneCodeForm({"phone": "13800138000", "code": typed})
        assert not form.is_valid()
        assert list(form.errors) == ["code"]
