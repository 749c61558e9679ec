"""Issue 10, item 18: the claim's terms panel names the category in the reader's
language, not by its code ("power-bank" on a Chinese page)."""

from __future__ import annotations

import re

from django.urls import reverse

from sanbao.testkit.cast import login_client_for


def _terms_category(user, claim, language):
    page = login_client_for(user, language=language).get(
        reverse("claims:claim_detail", args=[claim.number])
    )
    assert page.status_code == 200
    found = re.search(r'data-testid="claim-terms-category">([^<]*)<', page.content.decode())
    assert found, "the terms panel names no category"
    return found.group(1)


def test_the_terms_panel_names_the_category_in_chinese(covered_claim, platform_staff):
    assert covered_claim.terms["category"]["code"] == "power-bank"
    assert _terms_category(platform_staff, covered_claim, "zh-hans") == "移动电源"


def test_and_in_english_for_a_user_who_reads_english(covered_claim, platform_staff):
    platform_staff.language = "en"
    platform_staff.save(update_fields=["language"])
    assert _terms_category(platform_staff, covered_claim, "en") == "Power banks"
