"""IV.8: legal holds, set and released by a platform manager or an administrator
with the reason, audited on the record held; the page that lists and sets them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.accounts.holds import hold_release, hold_set
from sanbao.accounts.roles import Role
from sanbao.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent, LegalHold
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix

MANAGERS = {Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}


@pytest.fixture
def hold_on_agent_a(platform_manager, agent_a):
    return hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="Audit")


def _released(response, cast):
    assert LegalHold.objects.get(pk=cast.hold_on_agent_a.pk).released_at is not None


CASES = [
    Case("legal_hold_list", "GET", lambda cast: reverse("accounts:legal_hold_list"), MANAGERS),
    Case(
        "legal_hold_set",
        "POST",
        lambda cast: reverse("accounts:legal_hold_list"),
        MANAGERS,
        body=lambda cast: {"kind": "organisation", "reference": cast.agent_b.code, "reason": "x"},
        expect_ok=302,
    ),
    Case(
        "legal_hold_release",
        "POST",
        lambda cast: reverse("accounts:legal_hold_release", args=[cast.hold_on_agent_a.pk]),
        MANAGERS,
        expect_ok=302,
        on_ok=_released,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_hold_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


@pytest.mark.clause("IV.8")
def test_a_manager_holds_a_return_unit_with_the_reason_and_releases_it_both_audited(
    platform_manager, administrator, agent_a
):
    hold = hold_set(
        actor=platform_manager, kind="organisation", reference="ag-a", reason="Tax audit 2026"
    )
    assert (hold.target_type, hold.target_id, hold.target_repr) == (
        "accounts.organisation",
        str(agent_a.pk),
        str(agent_a),
    )
    assert (hold.set_by, hold.reason, hold.is_active) == (platform_manager, "Tax audit 2026", True)
    hold_release(actor=administrator, hold=hold)
    hold.refresh_from_db()
    assert (hold.released_by, hold.is_active) == (administrator, False)
    actions = AuditEvent.objects.for_target(agent_a).values_list("action", "data")
    assert sorted(actions) == [
        ("legal_hold.released", {"hold": hold.pk}),
        ("legal_hold.set", {"hold": hold.pk}),
    ]
    with pytest.raises(Conflict):
        hold_release(actor=administrator, hold=hold)


@pytest.mark.clause("IV.8")
def test_a_hold_needs_a_reason_and_a_record_that_exists_and_is_not_held_already(
    platform_manager, agent_a
):
    with pytest.raises(ValidationFailed) as refused:
        hold_set(actor=platform_manager, kind="batches", reference="", reason=" ")
    assert set(refused.value.fields) == {"reference", "reason"}
    with pytest.raises(ValidationFailed) as refused:
        hold_set(actor=platform_manager, kind="claims", reference="C2612-9999", reason="x")
    assert set(refused.value.fields) == {"reference"}
    with pytest.raises(ValidationFailed) as refused:
        hold_set(actor=platform_manager, kind="units", reference="X", reason="x")
    assert set(refused.value.fields) == {"kind"}
    hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="x")
    with pytest.raises(ValidationFailed) as refused:
        hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="y")
    assert set(refused.value.fields) == {"reference"}
    assert LegalHold.objects.count() == 1


@pytest.mark.clause("IV.8")
def test_only_a_return_unit_is_held_as_a_whole_and_staff_cannot_hold(
    platform_manager, platform_staff, platform_org, agent_a
):
    with pytest.raises(ValidationFailed):
        hold_set(
            actor=platform_manager, kind="organisation", reference=platform_org.code, reason="x"
        )
    with pytest.raises(PermissionDenied):
        hold_set(actor=platform_staff, kind="organisation", reference="AG-A", reason="x")


@pytest.mark.clause("IV.8")
def test_the_hold_page_sets_a_hold_and_names_a_missing_reason_in_chinese(platform_manager, agent_a):
    url = reverse("accounts:legal_hold_list")
    client = login_client_for(platform_manager, language="zh-hans")
    refused = client.post(url, {"kind": "organisation", "reference": "AG-A", "reason": ""})
    assert refused.status_code == 400
    assert "必填" in refused.content.decode()
    assert not LegalHold.objects.exists()
    done = client.post(url, {"kind": "organisation", "reference": "AG-A", "reason": "审计"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "审计" in page and page.count('data-testid="hold-row"') == 1
    assert LegalHold.objects.get().reason == "审计"
