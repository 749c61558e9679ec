"""``core.tenancy.visible_sql``: a model's ``visible_to(actor)`` as a condition for a
statement written by hand (the receipt scan, issue 14) selects exactly the rows the
queryset does, for every member of the cast and for nobody signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from sanbao.core.tenancy import visible_sql
from sanbao.returns.models import ReturnBatch, ReturnUnitQuerySet
from sanbao.testkit.cast import CAST_USERS


def rows_where(condition: str, params: list) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM returns_returnbatch WHERE {condition}", params)
        return {pk for (pk,) in cursor.fetchall()}


@pytest.mark.parametrize("who", [*CAST_USERS, "nobody"])
def test_the_condition_selects_what_the_queryset_does(request, who, drafts_of_everyone):
    actor = AnonymousUser() if who == "nobody" else request.getfixturevalue(who)
    expected = set(ReturnBatch.objects.visible_to(actor).values_list("pk", flat=True))
    assert rows_where(*visible_sql(ReturnBatch.objects, actor, connection)) == expected


def test_each_kind_of_scope_is_told_apart(
    platform_staff, agent_a_clerk, outlet_tech, drafts_of_everyone
):
    assert rows_where(*visible_sql(ReturnBatch.objects, platform_staff, connection)) == {
        batch.pk for batch in drafts_of_everyone.values()
    }
    assert rows_where(*visible_sql(ReturnBatch.objects.all(), agent_a_clerk, connection)) == {
        drafts_of_everyone["agent_a"].pk
    }
    assert rows_where(*visible_sql(ReturnBatch.objects, outlet_tech, connection)) == set()


class ScopedThroughTheReturnUnit(ReturnUnitQuerySet):
    def visible_to(self, actor):
        return self.filter(return_org__code="AG-A")


def test_a_scope_that_needs_a_join_is_refused(agent_a_clerk):
    with pytest.raises(ValueError, match="joins other tables"):
        visible_sql(ScopedThroughTheReturnUnit(model=ReturnBatch), agent_a_clerk, connection)
