"""The audit trail's search (issue 12, item 4): each filter narrows to the events it
names, the page links each record to its own page and names the organisation, the
export holds what the page found, and only platform managers and the administrator
may search (page, export and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts.roles import PERMISSIONS
from sanbao.accounts.services import user_set_language
from sanbao.audit_trail import selectors
from sanbao.core import audit
from sanbao.core.errors import DomainError
from sanbao.core.models import AuditEvent
from sanbao.deliveries.tests.conftest import arrive, new_delivery
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import (
    Case,
    assert_envelope,
    assert_every_operation_has_a_case,
    check,
    declared_url_names,
    matrix,
)
from sanbao.testkit.responses import html, is_download, xlsx_cells

AUDIT_VIEW = set(PERMISSIONS["audit.view"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(cast) -> str:
    assert cast.agent_a  # an organisation to filter by
    return reverse("audit_trail:event_list")


CASES = [
    Case("event_list", "GET", _page, AUDIT_VIEW),
    Case(
        "event_list_xlsx",
        "GET",
        lambda cast: reverse("audit_trail:event_list_xlsx"),
        AUDIT_VIEW,
        on_ok=is_download(XLSX),
    ),
    Case("list_audit_events", "GET", "/api/v1/audit-events", AUDIT_VIEW),
    Case(
        "export_audit_events",
        "GET",
        "/api/v1/audit-events/export.xlsx",
        AUDIT_VIEW,
        on_ok=is_download(XLSX),
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_only_platform_managers_and_the_administrator_search_the_trail(cast, row):
    check(cast, row)


def test_every_page_and_operation_of_the_trail_has_a_matrix_case(cast):
    from sanbao.audit_trail.urls import urlpatterns

    pages = [case for case in CASES if not str(case.url).startswith("/api/")]
    assert declared_url_names(pages, cast) == {p.name for p in urlpatterns}
    assert_every_operation_has_a_case(CASES, cast, tags=["audit"])


def test_the_permission_is_the_managers_and_the_administrators_only():
    assert {"aftersales_manager", "administrator"} == AUDIT_VIEW


# --- The filters ---------------------------------------------------------------------------


@pytest.fixture
def trail(platform_staff, agent_a_clerk, agent_b_clerk, agent_a, agent_b, pb10k):
    """A delivery entered by the platform and received by agent A's clerk, and one
    event of agent B's clerk on agent B."""
    delivery = new_delivery(platform_staff, agent_code=agent_a.code)
    arrive(delivery, agent_a_clerk, when=timezone.now())
    other = audit.record(actor=agent_b_clerk, action="test.noted", target=agent_b)
    return {"delivery": delivery, "other": other}


def found(manager, **filters) -> list[str]:
    return [e.action for e in selectors.event_list(actor=manager, **filters)]


def test_the_record_filter_finds_a_records_events_by_its_number_or_id(trail, platform_manager):
    delivery = trail["delivery"]
    both = ["delivery.arrived", "delivery.created"]
    assert found(platform_manager, record=delivery.number) == both
    other = {"record_type": "accounts.organisation", "record": trail["other"].target_id}
    assert found(platform_manager, **other) == ["test.noted"]
    assert found(platform_manager, record="NO-SUCH-RECORD") == []


def test_the_record_type_filter_keeps_one_kind_of_record(trail, platform_manager):
    assert found(platform_manager, record_type="deliveries.delivery") == [
        "delivery.arrived",
        "delivery.created",
    ]
    assert found(platform_manager, record_type="accounts.organisation") == ["test.noted"]


def test_the_user_filter_keeps_one_persons_events(trail, platform_manager):
    assert found(platform_manager, user="agent_a") == ["delivery.arrived"]
    assert found(platform_manager, user="PLATFORM_STAFF") == ["delivery.created"]


def test_the_organisation_filter_keeps_the_events_of_its_people(trail, platform_manager):
    assert found(platform_manager, organisation="AG-A") == ["delivery.arrived"]
    assert found(platform_manager, organisation="AG-B") == ["test.noted"]
    assert found(platform_manager, organisation="NOPE") == []


def test_the_action_filter_keeps_one_action(trail, platform_manager):
    assert found(platform_manager, action="delivery.created") == ["delivery.created"]


def test_the_period_counts_local_days_from_and_until(
    monkeypatch, platform_manager, agent_a_clerk, agent_a
):
    for day in (1, 2, 3):
        moment = timezone.make_aware(dt.datetime(2026, 11, day, 23, 30))  # local, Shanghai
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        audit.record(actor=agent_a_clerk, action=f"test.day{day}", target=agent_a)
    monkeypatch.undo()
    d, kind = dt.date, {"record_type": "accounts.organisation"}
    assert found(platform_manager, date_from=d(2026, 11, 2), **kind) == ["test.day3", "test.day2"]
    assert found(platform_manager, date_to=d(2026, 11, 2), **kind) == ["test.day2", "test.day1"]
    both = {"date_from": d(2026, 11, 2), "date_to": d(2026, 11, 2)}
    assert found(platform_manager, **both, **kind) == ["test.day2"]


def test_a_period_ending_before_it_starts_is_refused_naming_the_end(platform_manager):
    with pytest.raises(DomainError) as refused:
        selectors.event_list(
            actor=platform_manager, date_from=dt.date(2026, 11, 2), date_to=dt.date(2026, 11, 1)
        )
    assert refused.value.status == 400
    assert set(refused.value.field_messages()) == {"date_to"}


# --- The page, the export and the API --------------------------------------------------------


def test_the_page_links_each_record_names_the_organisation_and_shows_the_move(
    trail, platform_manager
):
    delivery = trail["delivery"]
    user_set_language(user=platform_manager, language="en")
    page = html(login_client_for(platform_manager).get(reverse("audit_trail:event_list")))
    link = reverse("deliveries:delivery_detail", args=[delivery.number])
    assert f'href="{link}"' in page
    assert "Agent A Digital Trading" in page  # the organisation by its name
    assert "Arrival and inspection recorded" in page  # the action by its label
    assert 'data-testid="event-move"' in page and "shipped" in page and "arrived" in page


def test_the_page_filters_by_organisation_and_says_so_in_chinese(trail, platform_manager):
    client = login_client_for(platform_manager, language="zh-hans")
    page = html(client.get(reverse("audit_trail:event_list") + "?organisation=AG-B"))
    assert page.count('data-testid="event-row"') == 1
    assert "审计记录" in page and "乙电子" in page  # the page and the organisation in Chinese


def test_the_page_marks_a_reversed_period_by_its_field(platform_manager):
    client = login_client_for(platform_manager)
    url = reverse("audit_trail:event_list") + "?date_from=2026-11-02&date_to=2026-11-01"
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="id_date_to_error"' in html(response)


def test_the_export_holds_the_filtered_events_with_their_moves(trail, platform_manager):
    client = login_client_for(platform_manager)
    response = client.get(reverse("audit_trail:event_list_xlsx") + "?action=delivery.arrived")
    # The page's columns: the action with its code, the record with its kind, the move.
    text = "\n".join(xlsx_cells(response.content))
    assert "delivery.arrived" in text and "delivery.created" not in text
    assert "shipped → arrived" in text and trail["delivery"].number in text


def test_the_api_searches_the_same_way_and_pages(trail, administrator):
    client = api_client_for(administrator)
    body = client.get(
        "/api/v1/audit-events", {"record": trail["delivery"].number, "page_size": 1}
    ).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["action"] == "delivery.arrived"
    assert item["organisation"] == "AG-A"
    assert item["data"]["from"] == "shipped" and item["data"]["to"] == "arrived"
    assert item["url"] == reverse("deliveries:delivery_detail", args=[trail["delivery"].number])


def test_the_api_refuses_a_reversed_period_naming_the_field(administrator):
    client = api_client_for(administrator)
    response = client.get("/api/v1/audit-events?date_from=2026-11-02&date_to=2026-11-01")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"date_to"}


def test_an_agent_cannot_read_the_trail_not_even_its_own_events(trail, agent_a_clerk):
    assert api_client_for(agent_a_clerk).get("/api/v1/audit-events").status_code == 403
    page = login_client_for(agent_a_clerk).get(reverse("audit_trail:event_list"))
    assert page.status_code == 403
    assert AuditEvent.objects.filter(actor=agent_a_clerk).exists()


@pytest.mark.parametrize("value", ["0", "0001-01-01", "1700000000"])
def test_the_api_refuses_a_period_that_is_no_date_naming_the_parameter(platform_manager, value):
    """Issue 13: a number is no date (it was read as 1970-01-01), nor is year 1."""
    response = api_client_for(platform_manager).get(f"/api/v1/audit-events?date_from={value}")
    body = assert_envelope(response, 422, "core.request_invalid")
    assert "date_from" in body["fields"]
