"""Issue 10, item 18: a unit kept in the retained-parts ledger (II.4) is named by its
model in the reader's language, not in the language of whoever took it in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sanbao.catalog.models import RetainedPart, RetainedPartKind
from sanbao.claims import services
from sanbao.claims.tests.conftest import approve_replacement, resolve_replaced
from sanbao.testkit.cast import api_client_for, login_client_for

PB10K_ZH = "充电宝 10000毫安"


@pytest.fixture
def kept_unit(covered_claim, platform_staff, pb20k):
    """The claim's unit replaced by a PB20K by an English-speaking clerk."""
    with translation.override("en"):
        approve_replacement(covered_claim, platform_staff, pb20k)
        services.claim_start_service(claim=covered_claim, actor=platform_staff)
        resolve_replaced(covered_claim, platform_staff, "SBNEW0077", "Shelf A3")
    return RetainedPart.objects.get(kind=RetainedPartKind.UNIT, serial=covered_claim.serial)


@pytest.mark.clause("II.4")
def test_the_kept_unit_is_named_in_the_readers_language(kept_unit):
    assert PB10K_ZH not in kept_unit.description
    with translation.override("zh-hans"):
        assert kept_unit.label == PB10K_ZH
        assert str(kept_unit) == f"{PB10K_ZH} {kept_unit.serial}"


@pytest.mark.clause("II.4")
def test_the_ledger_page_and_the_api_name_it_in_chinese(kept_unit, platform_staff):
    platform_staff.language = "zh-hans"
    platform_staff.save(update_fields=["language"])
    page = login_client_for(platform_staff).get(reverse("claims:retained_part_list"))
    assert page.status_code == 200
    assert f">{PB10K_ZH}</td>" in page.content.decode()
    body = api_client_for(platform_staff, language="zh-hans").get("/api/v1/retained-parts").json()
    assert [r["description"] for r in body["items"] if r["id"] == kept_unit.pk] == [PB10K_ZH]
