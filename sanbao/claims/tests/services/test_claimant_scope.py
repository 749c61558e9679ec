"""What a claimant learns and how its telephone is matched."""

from __future__ import annotations

import pytest

from sanbao.claims import selectors, services
from sanbao.claims.tests.conftest import intake


def test_an_agent_claiming_its_own_serial_is_matched_with_the_registry(
    agent_a_clerk, platform_org, unit_of_agent_a
):
    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    assert claim.unit == unit_of_agent_a


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138-0013-8000",
        "138 0013 8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "+86-13800138000",
    ],
)
def test_every_way_of_writing_a_mainland_mobile_is_the_same_phone(raw):
    assert services.normalise_phone(raw) == "13800138000"


def test_a_foreign_number_keeps_its_country_code():
    assert services.normalise_phone("+852 6123 4567") == "+85261234567"
    assert services.normalise_phone("00852 61234567") == "+85261234567"


def test_the_public_look_up_never_finds_an_organisation_claim_even_with_a_phone(
    agent_a_clerk, platform_org, unit_of_agent_a
):
    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="13900139000")
    assert claim.consumer_phone == "13900139000"
    assert selectors.claim_public_status(number=claim.number, phone="13900139000") is None


def test_a_consumer_finds_the_claim_with_the_country_code_written_out(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a)
    assert selectors.claim_public_status(number=claim.number, phone="+86 138 0013 8000") == claim
