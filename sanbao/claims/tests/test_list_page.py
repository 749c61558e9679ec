"""Issue 14: the claims list is read as the rows it shows (``claim_summaries``:
only its columns, no model instances). Each item must say what a read of the claim
says, for every kind of claim; the page runs a fixed number of statements, and its
count is a count of the claims alone, without the page's joins."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.claims import services
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import another_unit
from sanbao.testkit.cast import api_client_for

SHOWN = [
    "number",
    "status",
    "verdict",
    "failed_rules",
    "serial",
    "model",
    "region",
    "claimant_kind",
    "claimant_org",
    "handling_org",
    "remedy",
    "outcome",
    "warranty_end",
    "created_at",
    "updated_at",
]


def page(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/claims{query}")
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries]


def test_each_listed_claim_shows_what_a_read_of_the_claim_shows(
    platform_staff, covered_claim, outlet_claim, agent_claim, unit_of_agent_a
):
    unregistered = intake(platform_staff, serial="NOT-REGISTERED-7", findings=[])
    no_card = intake(platform_staff, another_unit(unit_of_agent_a), warranty_card_no="")
    services.claim_start_judgement(claim=outlet_claim, actor=platform_staff)
    client = api_client_for(platform_staff)
    listed, _ = page(client, "?page_size=50")
    assert listed["count"] == len(listed["items"]) == 5
    assert no_card.number in {i["number"] for i in listed["items"] if i["failed_rules"]}
    assert unregistered.unit_id is None
    for item in listed["items"]:
        read = client.get(f"/api/v1/claims/{item['number']}").json()
        assert list(item) == SHOWN
        assert item == {key: read[key] for key in SHOWN}
    assert {i["claimant_org"] for i in listed["items"]} == {None, "AG-A"}


def test_the_list_runs_three_statements_and_counts_without_the_pages_joins(
    platform_staff, unit_of_agent_a
):
    client = api_client_for(platform_staff)
    intake(platform_staff, unit_of_agent_a, findings=[])
    client.get("/api/v1/claims")  # the token's last use noted (at most once a minute)
    _, few = page(client, "?status=submitted&page_size=50")
    for _ in range(6):
        intake(platform_staff, another_unit(unit_of_agent_a), findings=[])
    listed, many = page(client, "?status=submitted&page_size=50")
    assert listed["count"] == len(listed["items"]) == 7
    # The token, the count, the page.
    assert len(few) == len(many) == 3, many
    count, rows = many[1:]
    assert count.startswith("SELECT COUNT(*)") and "JOIN" not in count
    # Only the columns shown: never the claim's texts, files or terms.
    assert "fault_description" not in rows and '"terms"' not in rows


def test_the_list_page_reads_neither_the_claims_json_nor_the_models_category(
    platform_staff, unit_of_agent_a
):
    """Decoding the rule results, the terms and the category's terms of every row
    was most of the page's time at a million claims (issue 15)."""
    from sanbao.testkit.cast import login_client_for

    intake(platform_staff, unit_of_agent_a, findings=[])
    client = login_client_for(platform_staff)
    client.get("/claims/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/?status=submitted")
    assert response.status_code == 200
    (rows,) = [
        q["sql"]
        for q in queries
        if 'FROM "claims_claim"' in q["sql"] and "LIMIT" in q["sql"] and "COUNT" not in q["sql"]
    ]
    for column in ('"terms"', '"verdict_results"', '"open_remedies"', "catalog_category"):
        assert column not in rows
