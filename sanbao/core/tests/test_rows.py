"""core.rows: a row written or read by a hand-written statement is the row and the
instance the ORM would write or give (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from sanbao.core import rows
from sanbao.core.models import AuditEvent

FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields]


def an_event(**overrides) -> AuditEvent:
    return AuditEvent(
        actor_label="system",
        organisation_id_snapshot=7,
        action="test.done",
        target_type="core.test",
        target_id="42",
        target_repr="Forty-two",
        data={"verdict": "covered", "failed": [], "nested": {"日期": "2026-12-06"}},
        **overrides,
    )


def values(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in FIELDS}


@pytest.mark.django_db
def test_an_inserted_row_is_the_row_save_writes():
    by_hand, by_save = an_event(), an_event()
    rows.insert(by_hand)
    by_save.save()
    assert by_hand.pk is not None and by_hand.pk != by_save.pk
    assert not by_hand._state.adding and by_hand._state.db == "default"
    assert isinstance(by_hand.at, dt.datetime) and timezone.is_aware(by_hand.at)
    read = AuditEvent.objects.get(pk=by_hand.pk)
    assert values(read) == values(by_hand)
    other = values(AuditEvent.objects.get(pk=by_save.pk))
    assert {k: v for k, v in values(read).items() if k not in ("id", "at")} == {
        k: v for k, v in other.items() if k not in ("id", "at")
    }


@pytest.mark.django_db
def test_a_row_read_by_hand_is_the_instance_the_orm_gives():
    event = an_event()
    rows.insert(event)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.select_list(AuditEvent, 'e')} FROM "
            f"{quote(AuditEvent._meta.db_table)} e WHERE e.{quote('id')} = %s",
            [event.pk],
        )
        row = cursor.fetchone()
    assert len(row) == rows.width(AuditEvent)
    read = rows.instance(AuditEvent, row)
    assert values(read) == values(AuditEvent.objects.get(pk=event.pk))
    assert read.data["nested"] == {"日期": "2026-12-06"}
    assert not read._state.adding and read._state.db == "default"


@pytest.mark.django_db
def test_insert_writes_new_rows_only():
    event = an_event()
    rows.insert(event)
    with pytest.raises(ValueError):
        rows.insert(event)
    assert AuditEvent.objects.filter(action="test.done").count() == 1
