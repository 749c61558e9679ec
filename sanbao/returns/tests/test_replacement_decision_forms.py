"""Issue 10, item 6 (II.3) in the workshop page and the API: a returned unit whose
model has no performance specifications is replaced by another model only on an
after-sales manager's reason, which the dispose form offers to managers only (the
API always takes it; the service checks the permission)."""

from __future__ import annotations

import pytest

from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import model_without_specs
from sanbao.core.models import AuditEvent
from sanbao.returns import services
from sanbao.returns.models import ReturnedUnit
from sanbao.returns.tests.conftest import pb_lines, under_test
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope

REASON = "PB-BARE discontinued; PB20K is its successor."
BODY = {
    "disposition": "replaced",
    "replacement_model_code": "PB20K",
    "replacement_serial": "SBR778001",
    "retained_location": "Cage 2",
}


@pytest.fixture
def tested_bare_unit(agent_a_clerk, platform_staff, pb10k, pb20k):
    model_without_specs(pb10k.category)
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1, model="PB-BARE"))
    unit = batch.units.get()
    services.unit_test(unit=unit, actor=platform_staff, result="fault_confirmed")
    return unit


def unit_url(unit) -> str:
    return f"/returns/{unit.batch.number}/units/{unit.seq}/"


def dispose_page(user, unit, **more):
    return login_client_for(user).post(unit_url(unit) + "dispose/", {**BODY, **more})


def dispose_api(user, unit, **more):
    return api_client_for(user).post(
        f"/api/v1/returned-units/{unit.pk}/disposition",
        {**BODY, **more},
        content_type="application/json",
    )


def disposed(unit) -> str:
    return ReturnedUnit.objects.get(pk=unit.pk).disposition


@pytest.mark.clause("II.3")
def test_only_a_manager_is_offered_the_decision_on_the_dispose_form(
    tested_bare_unit, platform_manager, platform_staff
):
    for user, offered in ((platform_manager, True), (platform_staff, False)):
        page = login_client_for(user).get(unit_url(tested_bare_unit)).content.decode()
        assert ('name="replacement_decision"' in page) is offered


@pytest.mark.clause("II.3")
def test_a_manager_replaces_by_another_model_with_a_reason_through_the_page(
    tested_bare_unit, platform_manager, pb20k
):
    response = dispose_page(platform_manager, tested_bare_unit, replacement_decision=REASON)
    assert response.status_code in (200, 302), response.content[:500]
    assert disposed(tested_bare_unit) == "replaced"
    assert Unit.objects.get(serial="SBR778001").model == pb20k
    event = AuditEvent.objects.get(action="returned_unit.disposed")
    assert event.data["replacement_decision"] == REASON


@pytest.mark.clause("II.3")
def test_staff_sending_a_reason_through_the_page_is_refused(tested_bare_unit, platform_staff):
    response = dispose_page(platform_staff, tested_bare_unit, replacement_decision=REASON)
    assert response.status_code == 400
    assert 'data-field-error="replacement_model_code"' in response.content.decode()
    assert disposed(tested_bare_unit) == ""


@pytest.mark.clause("II.3")
def test_a_manager_replaces_by_another_model_with_a_reason_through_the_api(
    tested_bare_unit, platform_manager
):
    response = dispose_api(platform_manager, tested_bare_unit, replacement_decision=REASON)
    assert response.status_code == 200, response.content
    assert disposed(tested_bare_unit) == "replaced"
    event = AuditEvent.objects.get(action="returned_unit.disposed")
    assert event.data["replacement_decision"] == REASON


@pytest.mark.clause("II.3")
def test_staff_sending_a_reason_through_the_api_is_refused(tested_bare_unit, platform_staff):
    response = dispose_api(platform_staff, tested_bare_unit, replacement_decision=REASON)
    body = assert_envelope(response, 400, "returns.replacement_unspecified")
    assert "replacement_model_code" in body["fields"]
    assert disposed(tested_bare_unit) == ""
