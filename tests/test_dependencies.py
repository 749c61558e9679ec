"""What the application imports at run time is installed by `make run`: every
third-party module imported outside the tests and the test kit belongs to a
distribution listed in pyproject's `dependencies`, not only in the `dev` extra.
(The upload check imported pypdf, a dev-only dependency: a PDF upload would have
failed on a server installed without the test tools.)"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_module_the_application_imports_is_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    distributions = packages_distributions()
    missing = set()
    for path in [*(ROOT / "sanbao").rglob("*.py"), *(ROOT / "config").rglob("*.py")]:
        rel = path.relative_to(ROOT).parts
        if "tests" in rel or "testkit" in rel or path.name.startswith("test_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in sys.stdlib_module_names or top in ("sanbao", "config"):
                    continue
                names = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not names & runtime:
                    missing.add(f"{top} ({'/'.join(rel)})")
    assert not missing, sorted(missing)
