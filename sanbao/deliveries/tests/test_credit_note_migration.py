"""The migration that brought credit notes: credit lines written before notes
existed are grouped into one numbered note per declaration, dated when the
declaration was decided."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanbao.deliveries.services import declarations

BEFORE = [("deliveries", "0001_initial")]
AFTER = [("deliveries", "0003_credit_line_has_a_note")]


@pytest.mark.clause("V.2")
def test_credit_lines_written_before_notes_are_grouped_into_one_note_per_declaration(
    transactional_db, submitted, cs_commissioner
):
    declarations.declaration_decide(
        actor=cs_commissioner,
        declaration=submitted,
        accept=True,
        outcome="credited",
        settled={"PB10K": 2},
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)  # the notes go; the lines stay, as they were written then
        old = executor.loader.project_state(BEFORE).apps
        assert old.get_model("deliveries", "CreditLine").objects.count() == 1

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        note = new.get_model("deliveries", "CreditNote").objects.get()
        line = new.get_model("deliveries", "CreditLine").objects.get()
    finally:
        # Later migrations of any app (and the tests after this one) need the schema
        # as it is today, not as it was at AFTER.
        MigrationExecutor(connection).migrate(latest)
    assert re.fullmatch(r"K\d{4}-[A-Z2-9]{6}", note.number)
    assert note.declaration_id == submitted.pk
    assert note.issued_by_id == cs_commissioner.pk
    assert (line.note_id, line.quantity) == (note.pk, 2)
