"""A user's own time zone: remembered on the account (blank: the platform's),
set on the preferences page, by an administrator in the admin, and active for
the user's pages and API calls only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts.models import User
from sanbao.accounts.services import user_set_time_zone
from sanbao.core.errors import ValidationFailed
from sanbao.testkit.cast import api_client_for, login_client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "UTC", ""])
def test_a_known_zone_or_none_is_remembered_on_the_user(agent_a_clerk, zone):
    user_set_time_zone(user=agent_a_clerk, time_zone=zone)
    stored = User.objects.get(pk=agent_a_clerk.pk)
    assert stored.time_zone == zone
    assert stored.zone.key == (zone or "Asia/Shanghai")


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "europe/berlin", "CET+1", "../etc/passwd", "localtime"]
)
def test_an_unknown_zone_is_refused_by_its_field_and_nothing_changes(agent_a_clerk, zone):
    user_set_time_zone(user=agent_a_clerk, time_zone="Europe/Berlin")
    with pytest.raises(ValidationFailed) as caught:
        user_set_time_zone(user=agent_a_clerk, time_zone=zone)
    assert caught.value.code == "accounts.time_zone_unknown"
    assert list(caught.value.fields) == ["time_zone"]
    assert User.objects.get(pk=agent_a_clerk.pk).time_zone == "Europe/Berlin"


def test_the_preferences_page_saves_the_language_and_the_zone(agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    page = client.get(reverse("accounts:preferences"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in html
    assert "Asia/Shanghai" in html
    done = client.post(
        reverse("accounts:preferences"), {"language": "en", "time_zone": "Europe/Berlin"}
    )
    assert done.status_code == 302
    stored = User.objects.get(pk=agent_a_clerk.pk)
    assert (stored.language, stored.time_zone) == ("en", "Europe/Berlin")
    again = client.get(reverse("accounts:preferences"))
    assert "It is now" in again.content.decode()
    assert "in Europe/Berlin." in again.content.decode()


def test_the_preferences_page_refuses_an_unknown_zone_naming_the_field(agent_a_clerk):
    response = login_client_for(agent_a_clerk, language="en").post(
        reverse("accounts:preferences"), {"language": "zh-hans", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("time_zone")
    assert 'data-field-error="time_zone"' in response.content.decode()
    stored = User.objects.get(pk=agent_a_clerk.pk)
    assert stored.time_zone == ""


def test_the_user_menu_leads_to_the_preferences(agent_a_clerk):
    html = login_client_for(agent_a_clerk).get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:preferences")}"' in html


def test_the_api_tells_the_caller_their_zone(agent_a_clerk):
    assert api_client_for(agent_a_clerk).get("/api/v1/me").json()["time_zone"] == "Asia/Shanghai"
    user_set_time_zone(user=agent_a_clerk, time_zone="America/Los_Angeles")
    body = api_client_for(agent_a_clerk).get("/api/v1/me").json()
    assert body["time_zone"] == "America/Los_Angeles"
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


def test_an_administrator_sets_a_users_zone_in_the_admin_from_the_list(
    administrator, agent_a_clerk
):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = login_client_for(administrator)
    url = reverse("admin:accounts_user_change", args=[agent_a_clerk.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.fields["time_zone"].valid_value("Europe/Berlin")
    assert not form.fields["time_zone"].valid_value("Mars/Base")
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data |= {
        "organisation": agent_a_clerk.organisation_id,
        "time_zone": "Europe/Berlin",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "groups": [],
        "user_permissions": [],
    }
    data.pop("last_login", None)
    data.pop("date_joined", None)
    done = client.post(url, data)
    assert done.status_code == 302, page.content.decode()[:500]
    assert User.objects.get(pk=agent_a_clerk.pk).time_zone == "Europe/Berlin"


def test_choosing_a_zone_is_in_the_audit_trail_with_the_zone_before_and_after(agent_a_clerk):
    from sanbao.core.models import AuditEvent

    user_set_time_zone(user=agent_a_clerk, time_zone="Europe/Berlin")
    user_set_time_zone(user=agent_a_clerk, time_zone="Europe/Berlin")  # no change, no event
    event = AuditEvent.objects.get(action="user.time_zone_set")
    assert (event.target_id, event.data) == (
        str(agent_a_clerk.pk),
        {"from": "", "to": "Europe/Berlin"},
    )
