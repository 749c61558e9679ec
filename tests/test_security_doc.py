"""docs/security.md names, for each threat, the tests that prove it is stopped.
Every test it names exists (a renamed or deleted test fails here, so the table
never promises a proof that is gone), and every row names at least one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
NAMED = re.compile(r"`([\w/.]*?\.py)?(?:::([\w:]+))?(?:\[[^\]`]*\])?`")


def rows() -> list[str]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    return [
        line
        for line in lines
        if line.startswith("| ") and not line.startswith(("| threat", "| ---"))
    ]


def named_tests(row: str) -> list[tuple[str, str]]:
    """(path, name) for each test a row names (name "" for a whole file). ``::name``
    means the file named before it, and a bare file name the file of that name."""
    found, previous = [], ""
    for path, name in NAMED.findall(row):
        if not path and not name:
            continue  # `[a-parameter]` of the test before
        if path and "/" not in path:
            matches = [
                p.relative_to(ROOT).as_posix()
                for p in ROOT.glob(f"**/{path}")
                if ".venv" not in p.parts
            ]
            path = previous if previous.endswith("/" + path) else (matches or [path])[0]
        path = path or previous
        previous = path
        found.append((path, name))
    return found


def defined(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{i.name}" for i in node.body if isinstance(i, ast.FunctionDef)}
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def test_every_threat_names_a_test():
    assert rows()
    bare = [row[:80] for row in rows() if not named_tests(row)]
    assert not bare, "rows naming no test"


def test_every_test_the_table_names_exists():
    missing = []
    for row in rows():
        for path, name in named_tests(row):
            if not path.endswith(".py") or not (ROOT / path).exists():
                missing.append(f"{path}::{name} (no such file)")
            elif name and name not in defined(path):
                missing.append(f"{path}::{name}")
    assert not missing
