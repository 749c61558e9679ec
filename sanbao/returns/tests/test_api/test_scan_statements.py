"""Issue 14: a scan runs a fixed, small number of statements. Besides the token's
look-up, a new label is one read (the batch in the caller's scope, the label's line
with its model, any earlier scan of the label) and one write; a repeat is the read
alone. The answer is built from what was read and written, and is the scan as
stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.returns import policy
from sanbao.returns.models import ReceiptScan
from sanbao.returns.tests.test_api.conftest import scan
from sanbao.testkit.cast import api_client_for


def statements(client, batch, code, **more):
    with CaptureQueriesContext(connection) as queries:
        response = scan(client, batch, code, **more)
    return response, [q["sql"] for q in queries]


def own(sqls: list[str]) -> list[str]:
    """The scan's own statements: not the token's look-up (``accounts``)."""
    return [sql for sql in sqls if "accounts_" not in sql]


@pytest.fixture
def client(platform_staff):
    client = api_client_for(platform_staff)
    client.get("/api/v1/batches")  # the token's last use noted (at most once a minute)
    return client


def test_a_new_label_is_one_read_and_one_write_and_a_repeat_one_read(client, receiving_of_agent_a):
    batch = receiving_of_agent_a
    first, new = statements(client, batch, policy.label_code(batch.number, 2, 1))
    again, repeat = statements(client, batch, policy.label_code(batch.number, 2, 1))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["model"] == first.json()["model"] == "PB10K"
    assert again.json()["line_no"] == 2
    # Was 12 and 10, then 10 and 7 (issue 14): the batch, the line, the earlier scan
    # and the batch's lock were separate statements, each in a savepoint.
    assert [sql.split()[0] for sql in own(new)] == ["SELECT", "INSERT"], new
    assert [sql.split()[0] for sql in own(repeat)] == ["SELECT"], repeat
    assert len(new) <= 3 and len(repeat) <= 2
    assert not [sql for sql in new + repeat if "SAVEPOINT" in sql]


def test_a_refused_label_is_one_read(client, receiving_of_agent_a):
    batch = receiving_of_agent_a
    refused, sqls = statements(client, batch, policy.label_code(batch.number, 9, 1))
    assert refused.status_code == 400
    assert refused.json()["code"] == "returns.label_unknown"
    assert [sql.split()[0] for sql in own(sqls)] == ["SELECT"], sqls


def test_the_answers_are_the_scan_as_stored(client, platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    code = policy.label_code(batch.number, 3, 1)
    first = scan(client, batch, code, box_no=2).json()
    again = scan(client, batch, code.lower()).json()
    row = ReceiptScan.objects.select_related("line", "model").get(batch=batch, code=code)
    stored = {
        "code": row.code,
        "kind": row.kind,
        "line_no": row.line.line_no,
        "box_no": row.box_no,
        "model": row.model.code,
        "note": row.note,
        "scanned_at": row.scanned_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    assert first == {"created": True, "already_counted": False, **stored}
    assert again == {"created": False, "already_counted": True, **stored}
    assert (row.box_no, row.line.line_no, row.scanned_by_id) == (2, 3, platform_staff.pk)


def test_a_scan_stored_with_another_model_is_answered_with_its_own(
    client, platform_staff, receiving_of_agent_a, pb20k
):
    # Not something the service writes: the answer still shows the row as stored,
    # read with a second statement.
    batch = receiving_of_agent_a
    code = policy.label_code(batch.number, 2, 1)
    line = batch.lines.get(line_no=2)
    ReceiptScan.objects.create(
        batch=batch, code=code, kind="label", line=line, model=pb20k, scanned_by=platform_staff
    )
    again, sqls = statements(client, batch, code)
    assert again.status_code == 200
    assert (again.json()["model"], again.json()["line_no"]) == ("PB20K", 2)
    assert [sql.split()[0] for sql in own(sqls)] == ["SELECT", "SELECT"], sqls
