"""The apps depend on each other one way, down, as docs/architecture.md draws it;
checked from the source, so a new import that points up fails here first.

Every ``.py`` under ``sanbao/`` is parsed (migrations and ``tests/`` folders
aside: a migration follows the tables, a test may set up any app's rows), and
every import in it is collected, those inside functions too: a function-local
import is still a dependency, only a hidden one.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SANBAO = ROOT / "sanbao"

FOUNDATION = {"core"}
REGISTERS = {"accounts", "catalog", "workdays", "documents", "notifications"}
WORKFLOWS = {"claims", "returns", "inbound", "deliveries"}

# app -> the other parts of the project it may import. ``config`` is the project
# itself (settings, urls, the NinjaAPI) and sits above every app.
ALLOWED: dict[str, set[str]] = {
    # The bottom: errors, audit, tenancy, API plumbing; no business app.
    "core": set(),
    "accounts": {"core"},
    "documents": {"core"},
    "catalog": {"core", "accounts"},
    "workdays": {"core", "accounts"},
    "notifications": {"core", "accounts"},
    # The audit trail's search, export and API: it reads core's events, names the
    # organisations and exports with documents; the workflows register their
    # records with core (core.audit.register_kind), so it imports none of them.
    "audit_trail": {"core", "accounts", "documents"},
    # Workflows use the registers; never each other (a rule shared by two of
    # them belongs in a register, as the exclusion titles do in catalog).
    "claims": FOUNDATION | REGISTERS,
    "returns": FOUNDATION | REGISTERS,
    "inbound": FOUNDATION | REGISTERS,
    # Deliveries to agents (V, VI) take in the shipments returns sends back (IV.7):
    # they listen to the returns signal, never the other way round.
    "deliveries": FOUNDATION | REGISTERS | {"returns"},
    # Above the workflows (IV.8): a return unit's statement reads returns and
    # deliveries through their selectors; no workflow imports it.
    "statements": FOUNDATION | REGISTERS | {"returns", "deliveries"},
    # Above the workflows (issue 16): the consumer's side, the warranty card's signed
    # page and the sheets that print it; it reads claims (the warranty end) and the
    # catalog; nothing imports it but the project's urls and API.
    "consumers": FOUNDATION | REGISTERS | {"claims"},
    # Above the workflows (issue 15): the platform's dashboard and quality signals
    # read claims, returns and deliveries (their models, selectors); none imports it.
    "insights": FOUNDATION | REGISTERS | WORKFLOWS,
    # Above the workflows: the home page shows each one's work.
    "home": FOUNDATION | REGISTERS | WORKFLOWS | {"statements", "audit_trail", "insights"},
    # The very top: demo data drives every app's services; the test kit sets up
    # any app's records and requests the whole API.
    "demo": FOUNDATION | REGISTERS | WORKFLOWS | {"statements", "audit_trail", "insights"},
    "testkit": FOUNDATION
    | REGISTERS
    | WORKFLOWS
    | {"statements", "audit_trail", "insights", "config"},
}


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    line: int
    module: str  # the module imported from, absolute
    names: tuple[str, ...]  # for ``from module import a, b``; empty for ``import module``

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def statement(self) -> str:
        if self.names:
            return f"from {self.module} import {', '.join(self.names)}"
        return f"import {self.module}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """``from .x import y`` made absolute, relative to the importing module."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            found.append(Import(path, node.lineno, _absolute(node, path), names))
    return found


def source_files() -> list[Path]:
    return sorted(
        path
        for path in SANBAO.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(SANBAO).parts[:-1])
    )


def app_of(path: Path) -> str | None:
    """The app a file belongs to; None for ``sanbao/__init__.py``."""
    parts = path.relative_to(SANBAO).parts
    return parts[0] if len(parts) > 1 else None


def layer_of(module: str) -> str | None:
    """The part of the project a module belongs to: an app's name, ``config``, or
    None for anything outside the project (Django, the standard library)."""
    parts = module.split(".")
    if parts[0] == "config":
        return "config"
    if parts[0] == "sanbao" and len(parts) > 1:
        return parts[1]
    return None


def layer_violations() -> list[str]:
    problems = []
    for path in source_files():
        app = app_of(path)
        if app is None:
            continue
        if app not in ALLOWED:
            problems.append(
                f"{path.relative_to(ROOT)}: the app {app!r} has no place in the layer table "
                "of tests/test_architecture.py (and docs/architecture.md); add it there"
            )
            continue
        for imp in imports_of(path):
            target = layer_of(imp.module)
            if target is None or target == app or target in ALLOWED[app]:
                continue
            problems.append(
                f"{imp.where}: `{imp.statement}` makes {app!r} depend on {target!r}; "
                f"{app!r} may import only {sorted(ALLOWED[app]) or 'no other app'}"
            )
    return problems


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_violations() -> list[str]:
    problems = []
    for path in source_files():
        this = _module_name(path)
        for imp in imports_of(path):
            if imp.module == this or layer_of(imp.module) is None:
                continue
            private = [name for name in imp.names if _private(name)]
            if private:
                problems.append(
                    f"{imp.where}: `{imp.statement}` takes {', '.join(private)} from "
                    f"{imp.module}; a leading underscore means private to its module: "
                    "make it public there (and name it as a rule) or keep the helper here"
                )
    return problems


# An app above the workflows that reads them through their selectors only: the
# statement (IV.8) shows what the workflows' own scoped reads give each actor.
SELECTORS_ONLY: dict[str, set[str]] = {"statements": {"returns", "deliveries"}}


def selector_only_violations() -> list[str]:
    problems = []
    for path in source_files():
        app = app_of(path)
        for imp in imports_of(path):
            target = layer_of(imp.module)
            if target not in SELECTORS_ONLY.get(app, set()):
                continue
            selectors = f"sanbao.{target}.selectors"
            if imp.module == selectors or (
                imp.module == f"sanbao.{target}" and set(imp.names) == {"selectors"}
            ):
                continue
            problems.append(
                f"{imp.where}: `{imp.statement}`: {app!r} reads {target!r} through {selectors} only"
            )
    return problems


def test_the_statements_read_the_workflows_through_their_selectors_only():
    problems = selector_only_violations()
    assert not problems, "\n".join(problems)


def test_every_app_imports_only_the_layers_below_it():
    problems = layer_violations()
    assert not problems, "imports that point up or sideways:\n" + "\n".join(problems)


def test_no_module_imports_another_modules_private_name():
    problems = private_name_violations()
    assert not problems, "private names imported from another module:\n" + "\n".join(problems)


# The checks themselves: each catches what it is for, so a green run means something.


@pytest.fixture
def fake_app(tmp_path, monkeypatch):
    """A throwaway ``sanbao/`` tree the checks read instead of the real one."""
    root = tmp_path
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "ROOT", root)
    monkeypatch.setattr(module, "SANBAO", root / "sanbao")

    def write(relative: str, text: str) -> None:
        path = root / "sanbao" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return write


def test_the_layer_check_catches_an_upward_import_inside_a_function(fake_app):
    fake_app("core/views.py", "def home():\n    from sanbao.accounts.roles import can\n")
    fake_app("returns/forms.py", "from ..claims.reasons import RULE_TITLES\n")
    fake_app("claims/tests/test_x.py", "from sanbao.demo import loading\n")
    fake_app("claims/migrations/0001_x.py", "from sanbao.returns import models\n")
    problems = layer_violations()
    assert len(problems) == 2
    assert problems[0].startswith("sanbao/core/views.py:2: `from sanbao.accounts.roles import")
    assert "'core' depend on 'accounts'" in problems[0]
    assert problems[1].startswith("sanbao/returns/forms.py:1: `from sanbao.claims.reasons")


def test_the_layer_check_names_an_app_missing_from_the_table(fake_app):
    fake_app("warehouse/models.py", "from sanbao.core.errors import NotFound\n")
    assert ["warehouse" in problem for problem in layer_violations()] == [True]


def test_the_private_name_check_catches_a_helper_taken_from_another_module(fake_app):
    fake_app("returns/services/workshop.py", "from .batches import _move, check\n")
    fake_app("returns/services/batches.py", "from os import _exit\nfrom sanbao import __doc__\n")
    problems = private_name_violations()
    assert len(problems) == 1
    assert "from sanbao.returns.services.batches import _move, check` takes _move" in problems[0]
