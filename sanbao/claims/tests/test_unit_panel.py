"""Issue 10, item 8 (I.2): the unit page (catalog) shows the unit's claims, each
linked, to whoever may see them, and its current warranty end with the days the
unit spent in warranty repair. Catalog renders the panel claims registers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanbao.catalog.policy import warranty_last_day
from sanbao.claims import services
from sanbao.claims.tests.conftest import all_clear, intake
from sanbao.claims.tests.factories import days_ago, repaired_in_the_past
from sanbao.testkit.cast import login_client_for


def unit_page(user, unit, language="en"):
    user.language = language  # the page speaks the user's own language
    user.save(update_fields=["language"])
    client = login_client_for(user, language=language)
    response = client.get(reverse("catalog:unit_detail", args=[unit.serial]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def claims_on_one_unit(agent_a_clerk, platform_staff, platform_org, unit_of_agent_a):
    """Agent A's own claim on its unit (rejected: no fault), then a consumer's
    claim on the same unit taken in by the platform, still open."""
    own = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    services.claim_record_findings(claim=own, actor=platform_staff, findings=all_clear())
    services.claim_judge(claim=own, actor=platform_staff, failure_confirmed=False, note="No fault")
    consumers = intake(platform_staff, unit_of_agent_a)
    return own, consumers


@pytest.mark.clause("I.2")
def test_the_unit_page_lists_the_units_claims_linked(
    claims_on_one_unit, platform_staff, unit_of_agent_a
):
    own, consumers = claims_on_one_unit
    page = unit_page(platform_staff, unit_of_agent_a)
    assert 'data-testid="unit-claims-panel"' in page
    for claim in (own, consumers):
        assert reverse("claims:claim_detail", args=[claim.number]) in page
        assert f'data-number="{claim.number}" data-status="{claim.status}"' in page
        assert claim.claimed_on.strftime("%Y-%m-%d") in page


@pytest.mark.clause("I.2")
def test_an_agent_sees_on_the_unit_page_only_the_claims_it_may_see(
    claims_on_one_unit, agent_a_clerk, unit_of_agent_a
):
    own, consumers = claims_on_one_unit
    page = unit_page(agent_a_clerk, unit_of_agent_a, "zh-hans")
    assert own.number in page
    assert consumers.number not in page


@pytest.mark.clause("I.2")
def test_the_unit_page_shows_the_current_warranty_end_with_the_days_in_repair(
    platform_staff, unit_of_agent_a
):
    delivered = days_ago(300)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered, days_in_repair=40)
    page = unit_page(platform_staff, unit_of_agent_a)
    months = unit_of_agent_a.model.category.warranty_months
    end = warranty_last_day(delivered, months) + dt.timedelta(days=40)
    assert f'<span class="num">{end:%Y-%m-%d}</span>' in page
    assert "extended by 40 days in warranty repair" in page
    assert "因保修维修顺延 40 天" in unit_page(platform_staff, unit_of_agent_a, "zh-hans")
