"""Small readers the tests of several apps share: what a downloaded workbook says."""

from __future__ import annotations

import io

import pytest


def xlsx_cells(content: bytes) -> set[str]:
    """Every non-empty cell of the first sheet of an XLSX file, as text."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return {
        str(value)
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def listed_numbers(client, url: str) -> tuple[list[str], int]:
    """The sorted numbers of the records a list endpoint answers ``client`` with,
    and the count it gives."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return sorted(item["number"] for item in body["items"]), body["count"]


def assert_answered_like_a_missing_one(client, url: str, missing_url: str) -> None:
    """``url`` (a record outside the caller's scope) is answered exactly as
    ``missing_url`` (a number that does not exist): nothing says it is there."""
    theirs = client.get(url)
    missing = client.get(missing_url)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def stored_fields(model, pk) -> dict:
    """Every column of the row ``pk`` of ``model`` as the database holds it, but
    ``updated_at`` (a refused action must leave the rest exactly as it was)."""
    row = model.objects.get(pk=pk)
    return {
        f.attname: getattr(row, f.attname)
        for f in model._meta.concrete_fields
        if f.attname != "updated_at"
    }


def assert_conflict_writing_nothing(call, snapshot, code: str):
    """``call()`` is refused with a 409 ``Conflict`` of ``code``, and ``snapshot()``
    (what the action could have written) reads the same after as before. Answers
    the error."""
    from sanbao.core.errors import Conflict

    before = snapshot()
    with pytest.raises(Conflict) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.status == 409
    assert snapshot() == before
    return caught.value
