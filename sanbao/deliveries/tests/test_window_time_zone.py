"""V.1 in the user's own time zone: after the window the refusal says when it
closed in the reader's language and zone, the zone named; the moment itself is
the same for everyone (the API's ``params`` carry it with its offset). Times typed
on the pages are read in the user's zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sanbao.accounts.services import user_set_time_zone
from sanbao.core.errors import PolicyRefused
from sanbao.deliveries.models import Declaration, Delivery
from sanbao.deliveries.tests.conftest import at, open_declaration
from sanbao.testkit.cast import api_client_for, login_client_for

pytestmark = pytest.mark.django_db

RECEIVED = at("2026-09-02 09:30")  # Asia/Shanghai: 01:30 UTC
CLOSED = RECEIVED + dt.timedelta(hours=24)  # 2026-09-03 01:30 UTC

# zone, language, the words the reader reads, the moment as the API gives it
CASES = [
    (
        "",  # the platform's zone
        "en",
        "closed on Sept. 3, 2026, 9:30 a.m. (Asia/Shanghai)",
        "2026-09-03T09:30:00+08:00",
    ),
    ("", "zh-hans", "已于 2026年9月3日 09:30 (Asia/Shanghai) 截止", "2026-09-03T09:30:00+08:00"),
    (
        "Europe/Berlin",
        "en",
        "closed on Sept. 3, 2026, 3:30 a.m. (Europe/Berlin)",
        "2026-09-03T03:30:00+02:00",
    ),
    (
        "Europe/Berlin",
        "zh-hans",
        "已于 2026年9月3日 03:30 (Europe/Berlin) 截止",
        "2026-09-03T03:30:00+02:00",
    ),
    (
        "America/Los_Angeles",
        "en",
        "closed on Sept. 2, 2026, 6:30 p.m. (America/Los_Angeles)",
        "2026-09-02T18:30:00-07:00",
    ),
    (
        "America/Los_Angeles",
        "zh-hans",
        "已于 2026年9月2日 18:30 (America/Los_Angeles) 截止",
        "2026-09-02T18:30:00-07:00",
    ),
]


def _reader(user, zone: str, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user_set_time_zone(user=user, time_zone=zone)


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(("zone", "language", "words", "moment"), CASES)
def test_the_refusal_says_when_the_window_closed_in_the_readers_zone_and_language(
    clock, arrived_delivery, agent_a_clerk, zone, language, words, moment
):
    reader = _reader(agent_a_clerk, zone, language)
    clock.set(CLOSED + dt.timedelta(seconds=1))
    with (
        timezone.override(reader.zone),
        translation.override(language),
        pytest.raises(PolicyRefused) as caught,
    ):
        open_declaration(arrived_delivery, reader)
    with timezone.override(reader.zone), translation.override(language):
        assert words in caught.value.message
    assert caught.value.params["closed_at"] == moment
    assert dt.datetime.fromisoformat(caught.value.params["closed_at"]) == CLOSED
    assert caught.value.params["time_zone"] == (zone or "Asia/Shanghai")
    assert not Declaration.objects.exists()


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(("zone", "language", "words", "moment"), CASES)
def test_the_declaration_page_refuses_in_the_users_zone_and_language(
    clock, arrived_delivery, agent_a_clerk, zone, language, words, moment
):
    client = login_client_for(_reader(agent_a_clerk, zone, language))
    url = reverse("deliveries:declaration_create", args=[arrived_delivery.number])
    clock.set(CLOSED + dt.timedelta(seconds=1))
    refused = client.post(url, {"qty-PB10K": "2", "description": "Dented."})
    assert refused.status_code == 400
    assert words in refused.content.decode()
    assert not Declaration.objects.exists()
    # The zone is the request's only: nothing is left active after the response.
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(("zone", "language", "words", "moment"), CASES)
def test_the_api_refuses_in_the_users_zone_and_gives_the_moment_with_its_offset(
    clock, arrived_delivery, agent_a_clerk, zone, language, words, moment
):
    client = api_client_for(_reader(agent_a_clerk, zone, language))
    clock.set(CLOSED + dt.timedelta(seconds=1))
    refused = client.post(
        f"/api/v1/deliveries/{arrived_delivery.number}/declarations",
        {"description": "Dented.", "lines": [{"model_code": "PB10K", "quantity": 2}]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "deliveries.window_closed"
    assert words in body["message"]
    assert body["params"]["closed_at"] == moment
    assert body["params"]["time_zone"] == (zone or "Asia/Shanghai")
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


@pytest.mark.clause("V.1")
def test_the_window_is_the_same_instant_for_a_user_in_berlin(
    clock, arrived_delivery, agent_a_clerk
):
    client = login_client_for(_reader(agent_a_clerk, "Europe/Berlin", "en"))
    url = reverse("deliveries:declaration_create", args=[arrived_delivery.number])
    form = {"qty-PB10K": "2", "description": "Dented."}
    clock.set(CLOSED + dt.timedelta(seconds=1))
    assert client.post(url, form).status_code == 400
    clock.set(CLOSED - dt.timedelta(seconds=1))
    assert client.post(url, form).status_code == 302


@pytest.mark.clause("V.1")
def test_the_time_received_typed_on_the_page_is_read_in_the_users_zone(
    clock, shipped_delivery, agent_a_clerk
):
    clock.set("2026-09-02 10:00")
    client = login_client_for(_reader(agent_a_clerk, "Europe/Berlin", "en"))
    form = {
        "received_at": "2026-09-02T03:30",  # Berlin (CEST): 01:30 UTC, 09:30 in Shanghai
        "courier_name": "Wang Wei",
        "courier_work_no": "SF-0427",
        "courier_phone": "13800138000",
    }
    for box in shipped_delivery.boxes.all():
        prefix = f"b{box.box_no}-"
        form |= {
            prefix + "labels_intact": "yes",
            prefix + "outside_undamaged": "yes",
            prefix + "courier_labels_intact": "yes",
            prefix + "courier_box_undamaged": "yes",
            prefix + "actual_weight_g": str(box.expected_weight_g),
        }
    done = client.post(reverse("deliveries:delivery_detail", args=[shipped_delivery.number]), form)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Delivery.objects.get(pk=shipped_delivery.pk).received_at == RECEIVED
