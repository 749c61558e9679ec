"""Issue 10, item 6 (II.3) in the return workshop: a returned unit whose model has
no performance specifications recorded is replaced by the same model, or by
another only on an after-sales manager's decision with a reason (audited)."""

from __future__ import annotations

import pytest

from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import model_without_specs
from sanbao.core.errors import PolicyRefused
from sanbao.core.models import AuditEvent
from sanbao.returns import services
from sanbao.returns.tests.conftest import pb_lines, under_test


@pytest.fixture
def tested_bare_unit(agent_a_clerk, platform_staff, pb10k):
    model_without_specs(pb10k.category)
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1, model="PB-BARE"))
    unit = batch.units.get()
    services.unit_test(unit=unit, actor=platform_staff, result="fault_confirmed")
    return unit


def replace(unit, actor, code, **extra):
    return services.unit_dispose(
        unit=unit,
        actor=actor,
        disposition="replaced",
        replacement_model_code=code,
        replacement_serial="SBR777001",
        retained_location="Cage 2",
        **extra,
    )


@pytest.mark.clause("II.3")
@pytest.mark.parametrize(
    ("who", "reason"),
    [("platform_staff", ""), ("platform_staff", "Successor model"), ("platform_manager", "")],
)
def test_another_model_needs_a_managers_reason(request, tested_bare_unit, pb20k, who, reason):
    actor = request.getfixturevalue(who)
    with pytest.raises(PolicyRefused) as refused:
        replace(tested_bare_unit, actor, "PB20K", replacement_decision=reason)
    assert refused.value.code == "returns.replacement_unspecified"
    assert list(refused.value.fields) == ["replacement_model_code"]
    assert not Unit.objects.filter(serial="SBR777001").exists()


@pytest.mark.clause("II.3")
def test_a_managers_decision_is_recorded(tested_bare_unit, pb20k, platform_manager):
    replace(tested_bare_unit, platform_manager, "PB20K", replacement_decision="Successor model")
    tested_bare_unit.refresh_from_db()
    assert tested_bare_unit.replacement_model == pb20k
    event = AuditEvent.objects.get(action="returned_unit.disposed")
    assert event.data["replacement_decision"] == "Successor model"


@pytest.mark.clause("II.3")
def test_the_same_model_needs_no_decision(tested_bare_unit, platform_staff):
    replace(tested_bare_unit, platform_staff, "PB-BARE")
    assert Unit.objects.get(serial="SBR777001").model.code == "PB-BARE"
