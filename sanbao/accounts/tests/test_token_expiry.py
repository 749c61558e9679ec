"""API tokens (issue 13 item 3): hashed and shown once (test_tokens.py), revocable,
their last use recorded at most once a minute, and an optional expiry date after
which the API answers 401 in its error envelope; the tokens page shows all this."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.accounts.models import ApiToken
from sanbao.accounts.services import token_authenticate, token_create, token_revoke
from sanbao.core.errors import ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import html

TOKENS = "/accounts/tokens/"


def bearer(raw):
    from django.test import Client

    return Client(headers={"Authorization": f"Bearer {raw}"})


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return login_client_for(user)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# The service -------------------------------------------------------------------------


def test_a_token_without_an_expiry_date_never_expires(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    assert token.expires_at is None
    assert token_authenticate(raw) == agent_a_clerk


def test_a_token_given_an_expiry_date_works_until_the_end_of_that_day(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP", expires_on=in_days(30))
    end = timezone.localtime(token.expires_at)
    assert end.date() == in_days(31) and end.time() == dt.time.min
    assert token_authenticate(raw) == agent_a_clerk
    event = AuditEvent.objects.for_target(token).get(action="api_token.created")
    assert event.data["expires_at"] == token.expires_at.isoformat()


def test_an_expired_token_is_refused(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP", expires_on=in_days(1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert token_authenticate(raw) is None
    token.refresh_from_db()
    assert token.last_used_at is None  # a refused token is not "used"


@pytest.mark.parametrize("days", [0, -1, -400])
def test_an_expiry_date_today_or_in_the_past_is_refused_naming_the_field(agent_a_clerk, days):
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=agent_a_clerk, name="ERP", expires_on=in_days(days))
    assert caught.value.code == "accounts.token_expiry_not_future"
    assert list(caught.value.fields) == ["expires_on"]
    assert not ApiToken.objects.exists()


def test_an_expiry_date_beyond_the_limit_is_refused_naming_the_latest_date(agent_a_clerk, settings):
    settings.SANBAO_API_TOKEN_MAX_DAYS = 365
    token_create(actor=agent_a_clerk, name="a year", expires_on=in_days(365))
    for far in (in_days(366), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationFailed) as caught:
            token_create(actor=agent_a_clerk, name="ERP", expires_on=far)
        assert caught.value.code == "accounts.token_expiry_too_far"
        assert caught.value.params == {"latest": in_days(365).isoformat()}
    assert ApiToken.objects.count() == 1


# The API -------------------------------------------------------------------------------


def test_an_expired_token_gets_401_in_the_error_envelope(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP", expires_on=in_days(1))
    assert bearer(raw).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "core.not_authenticated"


def test_a_revoked_token_gets_401_in_the_error_envelope(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    token_revoke(token=token, actor=agent_a_clerk)
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "core.not_authenticated"


def test_using_a_token_through_the_api_records_its_last_use(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    assert token.last_used_at is None
    bearer(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


# The page ------------------------------------------------------------------------------


def test_the_tokens_page_creates_a_token_with_an_expiry_date(agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    response = client.post(TOKENS, {"name": "ERP", "expires_on": in_days(10).isoformat()})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=agent_a_clerk)
    assert timezone.localtime(token.expires_at).date() == in_days(11)


def test_the_tokens_page_refuses_a_past_expiry_date_on_its_field(agent_a_clerk):
    client = in_english(agent_a_clerk)
    response = client.post(TOKENS, {"name": "ERP", "expires_on": in_days(-1).isoformat()})
    assert response.status_code == 400
    assert 'data-field-error="expires_on"' in html(response)
    assert "Choose an expiry date after today." in html(response)
    assert not ApiToken.objects.exists()


def test_the_tokens_page_shows_last_use_expiry_and_status(agent_a_clerk):
    used, raw = token_create(actor=agent_a_clerk, name="Used", expires_on=in_days(5))
    bearer(raw).get("/api/v1/me")
    expired, _raw = token_create(actor=agent_a_clerk, name="Old", expires_on=in_days(1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked, _raw = token_create(actor=agent_a_clerk, name="Gone")
    token_revoke(token=revoked, actor=agent_a_clerk)

    page = html(in_english(agent_a_clerk).get(TOKENS))
    rows = {
        name: page.split(f">{name}</td>", 1)[1].split("</tr>", 1)[0]
        for name in ("Used", "Old", "Gone")
    }
    used.refresh_from_db()
    last_used = timezone.localtime(used.last_used_at).strftime("%Y-%m-%d %H:%M")
    assert last_used in rows["Used"] and "Active" in rows["Used"]
    assert in_days(6).isoformat() in rows["Used"]
    assert "Expired" in rows["Old"]
    assert "Revoked" in rows["Gone"] and "Never" in rows["Gone"]


def test_the_tokens_page_reads_in_chinese(agent_a_clerk):
    assert agent_a_clerk.language == "zh-hans"
    expired, _raw = token_create(actor=agent_a_clerk, name="Old", expires_on=in_days(1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    page = html(login_client_for(agent_a_clerk).get(TOKENS))
    assert "已过期" in page and "到期日期" in page
