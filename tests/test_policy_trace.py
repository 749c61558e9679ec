"""docs/policy-trace.md is checked against the tests' clause marks.

Every clause id of SPEC has a row. A row whose status is ``done`` or ``partial``
names its code and at least one test; every test it names exists and carries
``@pytest.mark.clause("<id>")`` (one mark may name several clauses a test proves
together: ``@pytest.mark.clause("III.4", "III.5")``); and every clause-marked test
in the suite is named in its clause's row, so the trace never falls behind the tests.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRACE = ROOT / "docs" / "policy-trace.md"

CLAUSES = (
    ["I.1", "I.2"]
    + [f"II.{n}" for n in range(1, 5)]
    + [f"III.{n}" for n in range(1, 11)]
    + [f"IV.{n}" for n in range(1, 9)]
    + [f"IV.P{n}" for n in range(1, 7)]
    + ["V.1", "V.2", "VI.1", "VI.2", "VI.3"]
)
STATUSES = {"done", "partial", "planned"}


def _clause_marks(decorators) -> list[str]:
    found = []
    for dec in decorators:
        if (
            isinstance(dec, ast.Call)
            and isinstance(dec.func, ast.Attribute)
            and dec.func.attr == "clause"
        ):
            found.extend(arg.value for arg in dec.args if isinstance(arg, ast.Constant))
    return found


@functools.cache
def marked_tests() -> dict[str, set[str]]:
    """clause id -> {"path::test_name", ...} for every clause-marked test function.

    Parsed once per run: every clause's test reads the same marks, and parsing the
    whole suite for each of them cost most of a minute."""
    marks: dict[str, set[str]] = {}
    for path in list((ROOT / "sanbao").rglob("test_*.py")) + list(
        (ROOT / "tests").rglob("test_*.py")
    ):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                class_marks = _clause_marks(node.decorator_list)
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                        for clause in class_marks + _clause_marks(item.decorator_list):
                            marks.setdefault(clause, set()).add(f"{rel}::{node.name}::{item.name}")
            elif isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                for clause in _clause_marks(node.decorator_list):
                    marks.setdefault(clause, set()).add(f"{rel}::{node.name}")
    return marks


def trace_rows() -> dict[str, dict[str, str]]:
    rows = {}
    for line in TRACE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in CLAUSES:
            clause, _title, status, code, tests = cells
            rows[clause] = {"status": status, "code": code, "tests": tests}
    return rows


def named_tests(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+::[^`]+)`", cell))


def test_every_clause_of_the_spec_has_one_row():
    rows = trace_rows()
    assert sorted(rows) == sorted(CLAUSES), set(CLAUSES) ^ set(rows)
    for clause, row in rows.items():
        assert row["status"] in STATUSES, f"{clause}: status {row['status']!r}"


@pytest.mark.parametrize("clause", CLAUSES)
def test_a_claimed_clause_names_its_code_and_marked_tests(clause):
    row = trace_rows()[clause]
    marked = marked_tests().get(clause, set())
    listed = named_tests(row["tests"])
    if row["status"] == "planned":
        assert not marked, f"{clause} is planned but has marked tests: {sorted(marked)}"
        return
    assert row["code"] not in ("", "—"), f"{clause}: no code named"
    assert listed, f"{clause}: no test named"
    assert listed <= marked, f"{clause}: named but not marked: {sorted(listed - marked)}"
    assert marked <= listed, f"{clause}: marked but not in the trace: {sorted(marked - listed)}"


def test_the_code_named_in_the_trace_exists():
    for clause, row in trace_rows().items():
        for ref in re.findall(r"`([\w/]+\.py)(?::\w+)?`", row["code"]):
            assert (ROOT / ref).exists(), f"{clause}: {ref} does not exist"
