"""The returns API's workshop: testing each unit, dealing with it and delaying it
(SPEC IV.P2, IV.6, II.3, II.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.returns.tests.conftest import PNG, pb_lines, under_test
from sanbao.returns.tests.test_api.conftest import post
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope


@pytest.mark.clause("IV.P2")
def test_a_charge_without_its_reason_is_refused_in_the_users_language(
    agent_a_clerk, platform_staff, tested_unit_of_batch_a
):
    client = api_client_for(platform_staff, language="zh-hans")
    url = f"/api/v1/returned-units/{tested_unit_of_batch_a.pk}/disposition"
    response = post(client, url, {"disposition": "charged", "charge_amount": "20"})
    assert_envelope(response, 400, "returns.charge_reason_required")
    assert "charge_reason" in response.json()["fields"]
    assert "原因" in response.json()["fields"]["charge_reason"][0]


@pytest.mark.clause("IV.P2")
def test_a_charge_of_a_fraction_of_a_fen_is_refused_not_rounded(
    platform_staff, tested_unit_of_batch_a
):
    """Issue 10 item 14: money is exact; 12.345 yuan is refused, not stored as 12.34."""
    url = f"/api/v1/returned-units/{tested_unit_of_batch_a.pk}/disposition"
    body = {"disposition": "charged", "charge_amount": "12.345", "charge_reason": "Test fee"}
    response = post(api_client_for(platform_staff, language="zh-hans"), url, body)
    assert_envelope(response, 400, "returns.charge_invalid")
    assert "两位小数" in response.json()["fields"]["charge_amount"][0]
    tested_unit_of_batch_a.refresh_from_db()
    assert (tested_unit_of_batch_a.disposition, tested_unit_of_batch_a.charge_amount) == ("", None)
    body["charge_amount"] = "12.30"
    assert post(api_client_for(platform_staff), url, body).status_code == 200
    tested_unit_of_batch_a.refresh_from_db()
    assert str(tested_unit_of_batch_a.charge_amount) == "12.30"


@pytest.mark.clause("IV.P2")
def test_an_exclusion_for_water_damage_without_a_photo_is_refused_naming_the_photo(
    platform_staff, unit_of_batch_a
):
    client = api_client_for(platform_staff)
    response = client.post(
        f"/api/v1/returned-units/{unit_of_batch_a.pk}/test",
        data={"result": "excluded", "excluded_rule": "III.6", "evidence": "Liquid marks"},
    )
    assert_envelope(response, 400, "returns.unit_test_invalid")
    assert list(response.json()["fields"]) == ["photo"]
    response = client.post(
        f"/api/v1/returned-units/{unit_of_batch_a.pk}/test",
        data={
            "result": "excluded",
            "excluded_rule": "III.6",
            "evidence": "Liquid marks",
            "photo": SimpleUploadedFile("marks.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["has_photo"] is True
    photo = client.get(f"/api/v1/returned-units/{unit_of_batch_a.pk}/photo")
    assert photo.status_code == 200
    assert photo["Content-Security-Policy"] == "sandbox"


def test_the_batch_page_of_the_api_counts_units_tested_dealt_with_delayed_and_shipped(
    agent_a_clerk, platform_staff, ready_of_agent_a
):
    body = api_client_for(agent_a_clerk).get(f"/api/v1/batches/{ready_of_agent_a.number}").json()
    assert body["units"] == {"total": 2, "tested": 2, "settled": 2, "delayed": 0, "shipped": 0}
    assert body["status"] == "ready"
    assert body["allowed_actions"] == []  # the return unit follows; staff act
    assert dt.date.fromisoformat(body["turnaround"]["due_on"])


def test_getting_a_batch_under_test_takes_a_fixed_number_of_queries_however_many_units(
    agent_a_clerk, platform_staff, pb10k, django_assert_max_num_queries
):
    client = api_client_for(platform_staff)
    small = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    large = under_test(agent_a_clerk, platform_staff, pb_lines(30))
    client.get(f"/api/v1/batches/{small.number}")
    # as a draft's (6), plus the calendar (2) and the unit counts (1)
    for batch in (small, large):
        with django_assert_max_num_queries(9):
            assert client.get(f"/api/v1/batches/{batch.number}").status_code == 200


@pytest.mark.clause("IV.P2")
def test_the_highest_charge_is_the_setting_and_the_refusal_names_it(
    platform_staff, tested_unit_of_batch_a, settings
):
    settings.SANBAO_CHARGE_MAX_YUAN = 500
    url = f"/api/v1/returned-units/{tested_unit_of_batch_a.pk}/disposition"
    body = {"disposition": "charged", "charge_amount": "500.01", "charge_reason": "Test fee"}
    response = post(api_client_for(platform_staff, language="zh-hans"), url, body)
    assert_envelope(response, 400, "returns.charge_invalid")
    assert "不超过 500。" in response.json()["fields"]["charge_amount"][0]
    body["charge_amount"] = "500"
    assert post(api_client_for(platform_staff), url, body).status_code == 200
