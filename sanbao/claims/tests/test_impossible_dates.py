"""Issue 10 item 9 (I.2): dates that cannot be true are refused with a field
message, before anything is written: a purchase before the registry's sale date,
a purchase in 1900."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import intake
from sanbao.core.errors import DomainError
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for


def refused_fields(*args, **kwargs) -> dict:
    with pytest.raises(DomainError) as caught:
        intake(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == ("claims.intake_invalid", 400)
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.filter(action="claim.submitted").exists()
    return caught.value.field_messages()


@pytest.mark.clause("I.2")
def test_a_purchase_before_the_registry_sale_date_is_refused_naming_that_date(
    platform_staff, unit_of_agent_a
):
    assert unit_of_agent_a.sale_date == dt.date(2025, 6, 1)
    fields = refused_fields(platform_staff, unit_of_agent_a, delivered_on=dt.date(2025, 5, 31))
    assert fields == {
        "delivered_on": [
            "The purchase cannot be earlier than the sale recorded with the serial "
            "number (2025-06-01)."
        ]
    }


@pytest.mark.clause("I.2")
def test_a_purchase_on_the_registry_sale_date_is_taken_in(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=dt.date(2025, 6, 1))
    assert claim.delivered_on == dt.date(2025, 6, 1)


@pytest.mark.clause("I.2")
@pytest.mark.parametrize("serial", [True, False], ids=["registered", "unregistered"])
def test_a_purchase_in_1900_is_refused(platform_staff, unit_of_agent_a, serial):
    unit = unit_of_agent_a if serial else None
    fields = refused_fields(platform_staff, unit, delivered_on=dt.date(1900, 1, 1))
    assert list(fields) == ["delivered_on"]
    assert "2000-01-01" in fields["delivered_on"][0]


@pytest.mark.clause("I.2")
def test_the_api_refuses_a_purchase_in_year_1_with_a_field_message_in_chinese(
    outlet_tech, unit_of_agent_a
):
    response = api_client_for(outlet_tech, language="zh-hans").post(
        "/api/v1/claims",
        {
            "serial": unit_of_agent_a.serial,
            "delivered_on": "0001-01-01",
            "consumer_name": "Li Na",
            "consumer_phone": "13800138000",
            "fault_kind": "not_charging",
            "fault_description": "Does not charge.",
        },
        content_type="application/json",
    )
    # Refused as it is read (core.api.Day, issue 13): a 422 naming the field.
    assert response.status_code == 422, response.content
    fields = response.json()["fields"]
    assert list(fields) == ["delivered_on"]
    assert fields["delivered_on"][0].startswith(
        "delivered_on：请按 YYYY-MM-DD 格式填写 2000-01-01 至"
    )
    assert not Claim.objects.exists()
