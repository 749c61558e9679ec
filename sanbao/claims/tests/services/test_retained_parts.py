"""The retained-parts ledger (II.4): what was taken in under warranty, from which
claim, where it is kept and how it was disposed of. Nothing in it is ever
returned to the user: not by the service, not by the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanbao.catalog.models import Disposal, RetainedPart
from sanbao.catalog.selectors import retained_part_list_for
from sanbao.claims import selectors, services
from sanbao.claims.tests.factories import SHELF, actions_of, judged
from sanbao.core.errors import Conflict, NotFound, PermissionDenied, PolicyRefused


@pytest.fixture
def retained_unit(covered_claim, platform_staff):
    """The unit of a refunded claim, kept on the platform's shelf."""
    judged(covered_claim, platform_staff, "return")
    services.claim_resolve(
        claim=covered_claim, actor=platform_staff, outcome="refunded", retained_location=SHELF
    )
    return retained_part_list_for(source=covered_claim).get()


@pytest.fixture
def outlet_part(outlet_claim, outlet_tech):
    judged(outlet_claim, outlet_tech, "return")
    services.claim_resolve(
        claim=outlet_claim, actor=outlet_tech, outcome="refunded", retained_location="Bin 2"
    )
    return retained_part_list_for(source=outlet_claim).get()


def dispose(part, actor, disposal, note=""):
    return services.retained_part_dispose(part=part, actor=actor, disposal=disposal, note=note)


@pytest.mark.clause("II.4")
def test_the_ledger_says_what_was_taken_from_which_claim_and_where_it_is_kept(
    retained_unit, covered_claim, platform_org
):
    source = (retained_unit.source_type, retained_unit.source_id, retained_unit.source_repr)
    assert source == ("claims.claim", str(covered_claim.pk), covered_claim.number)
    assert (retained_unit.kind, retained_unit.serial) == ("unit", "SBA000001")
    assert (retained_unit.held_by, retained_unit.location) == (platform_org, SHELF)
    assert retained_unit.description
    assert (retained_unit.disposal, retained_unit.disposed_at) == ("", None)


@pytest.mark.clause("II.4")
@pytest.mark.parametrize("disposal", Disposal.values)
def test_a_retained_part_is_disposed_of_once_with_its_date_and_note(
    retained_unit, platform_staff, disposal
):
    dispose(retained_unit, platform_staff, disposal, note="Batch 2026-11")
    row = RetainedPart.objects.get(pk=retained_unit.pk)
    assert (row.disposal, row.disposal_note) == (disposal, "Batch 2026-11")
    assert row.disposed_at is not None
    assert actions_of(row) == ["retained_part.disposed"]


@pytest.mark.clause("II.4")
def test_returned_to_the_user_is_not_a_disposal(platform_staff):
    assert not any("user" in value or "customer" in value for value in Disposal.values)


@pytest.mark.clause("II.4")
@pytest.mark.parametrize("disposal", ["returned_to_user", "returned", "", "RECYCLED"])
def test_the_service_refuses_any_disposal_outside_the_list(retained_unit, platform_staff, disposal):
    with pytest.raises(PolicyRefused) as caught:
        dispose(retained_unit, platform_staff, disposal)
    assert caught.value.code == "claims.disposal_invalid"
    assert set(caught.value.fields) == {"disposal"}
    row = RetainedPart.objects.get(pk=retained_unit.pk)
    assert (row.disposal, row.disposed_at) == ("", None)
    assert actions_of(row) == []


@pytest.mark.clause("II.4")
def test_the_database_refuses_a_part_marked_returned_to_the_user(retained_unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetainedPart.objects.filter(pk=retained_unit.pk).update(
            disposal="returned_to_user", disposed_at=timezone.now()
        )
    assert RetainedPart.objects.get(pk=retained_unit.pk).disposal == ""


@pytest.mark.clause("II.4")
def test_the_database_refuses_a_disposal_without_its_date(retained_unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetainedPart.objects.filter(pk=retained_unit.pk).update(disposal="scrapped")


def test_a_part_already_disposed_of_cannot_be_disposed_of_again(retained_unit, platform_staff):
    dispose(retained_unit, platform_staff, "scrapped")
    stale = RetainedPart.objects.get(pk=retained_unit.pk)
    with pytest.raises(Conflict) as caught:
        dispose(retained_unit, platform_staff, "recycled")
    assert caught.value.code == "claims.already_disposed"
    row = RetainedPart.objects.get(pk=retained_unit.pk)
    assert (row.disposal, row.disposed_at) == ("scrapped", stale.disposed_at)
    assert actions_of(row) == ["retained_part.disposed"]


@pytest.mark.parametrize("who", ["cs_commissioner", "administrator", "agent_a_clerk"])
def test_roles_without_the_manage_permission_cannot_dispose(cast, retained_unit, who):
    with pytest.raises(PermissionDenied):
        dispose(retained_unit, getattr(cast, who), "scrapped")
    assert RetainedPart.objects.get(pk=retained_unit.pk).disposal == ""


def test_an_outlet_disposes_of_what_it_holds_but_not_of_what_the_platform_holds(
    retained_unit, outlet_part, outlet_tech
):
    dispose(outlet_part, outlet_tech, "returned_to_supplier")
    assert RetainedPart.objects.get(pk=outlet_part.pk).disposal == "returned_to_supplier"
    with pytest.raises(NotFound) as caught:
        dispose(retained_unit, outlet_tech, "scrapped")
    assert caught.value.code == "claims.retained_part_not_found"
    assert RetainedPart.objects.get(pk=retained_unit.pk).disposal == ""


# Reading the ledger ------------------------------------------------------------------------


def test_platform_users_see_every_retained_part_and_an_outlet_only_its_own(
    retained_unit, outlet_part, platform_staff, cs_commissioner, outlet_tech
):
    assert set(selectors.retained_part_list(actor=platform_staff)) == {retained_unit, outlet_part}
    assert set(selectors.retained_part_list(actor=cs_commissioner)) == {
        retained_unit,
        outlet_part,
    }
    assert list(selectors.retained_part_list(actor=outlet_tech)) == [outlet_part]
    with pytest.raises(NotFound):
        selectors.retained_part_get(actor=outlet_tech, pk=retained_unit.pk)


def test_agents_do_not_read_the_ledger(retained_unit, agent_a_clerk):
    with pytest.raises(PermissionDenied):
        selectors.retained_part_list(actor=agent_a_clerk)


def test_the_open_ledger_lists_only_parts_not_yet_disposed_of(
    retained_unit, outlet_part, platform_staff
):
    dispose(outlet_part, platform_staff, "scrapped")
    assert list(selectors.retained_part_list(actor=platform_staff, open_only=True)) == [
        retained_unit
    ]


def test_the_disposed_part_returned_by_the_service_carries_its_note(retained_unit, platform_staff):
    part = services.retained_part_dispose(
        part=retained_unit, actor=platform_staff, disposal=Disposal.SCRAPPED, note="Cell swollen"
    )
    assert part.disposal_note == "Cell swollen"
