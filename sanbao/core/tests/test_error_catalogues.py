"""Every error code written in the source has a message in its app's catalogue
(``sanbao/<app>/errors.py``), in English and in Simplified Chinese."""

from __future__ import annotations

import ast
import importlib
import pathlib
import re

import pytest
from django.utils import translation

from sanbao.accounts.roles import PERMISSIONS
from sanbao.core.errors import ErrorCatalog
from sanbao.documents import registry

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUE_MODULES = [
    path.relative_to(ROOT.parent).with_suffix("").as_posix().replace("/", ".")
    for path in sorted(ROOT.glob("*/errors.py"))
]
CODE = re.compile(r"^(?P<app>[a-z]+)\.[a-z][a-z0-9_]*$")
# Strings shaped like codes that are not: file names (papers' names are excluded
# from the registry itself).
NOT_CODES = re.compile(r"\.(pdf|xlsx|csv|html|txt)$")


def catalogues() -> dict[str, ErrorCatalog]:
    for module in CATALOGUE_MODULES:
        importlib.import_module(module)
    return ErrorCatalog.registry


def codes_in_source() -> dict[str, set[str]]:
    """Every string constant shaped ``<app>.<name>`` in the application's modules
    (tests and migrations aside), but for permission names: code -> files."""
    apps = set(catalogues())
    papers = set(registry.names())
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            match = CODE.match(node.value)
            if (
                match
                and match["app"] in apps
                and node.value not in PERMISSIONS
                and node.value not in papers
                and not NOT_CODES.search(node.value)
            ):
                found.setdefault(node.value, set()).add(str(path.relative_to(ROOT.parent)))
    return found


def test_every_app_with_error_codes_has_one_catalogue():
    assert set(catalogues()) >= {
        "core",
        "accounts",
        "catalog",
        "claims",
        "returns",
        "workdays",
        "notifications",
    }


def test_every_code_in_the_source_has_a_message_in_its_apps_catalogue():
    registry = catalogues()
    missing = {
        code: sorted(files)
        for code, files in codes_in_source().items()
        if code not in registry[CODE.match(code)["app"]].messages
    }
    assert not missing, f"codes without a message in their app's errors.py: {missing}"


@pytest.mark.parametrize("app", sorted(catalogues()))
def test_every_message_of_a_catalogue_reads_in_both_languages(app):
    untranslated = []
    for code, text in catalogues()[app].messages.items():
        with translation.override("en"):
            english = str(text)
        with translation.override("zh-hans"):
            chinese = str(text)
        if not english.strip() or chinese == english:
            untranslated.append(code)
    assert not untranslated, f"messages without a Chinese translation: {untranslated}"
