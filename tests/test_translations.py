"""The Simplified Chinese catalogue is complete, consistent and compiled.

- every msgid has a non-empty msgstr (plural forms too) and none is fuzzy;
- named placeholders (``%(name)s``, ``{name}``) and ``%s``/``%d`` counts match;
- the committed ``.mo`` holds exactly what the ``.po`` says (a fresh checkout needs
  no gettext to run);
- every translatable string in the code and templates is in the catalogue
  (``makemessages`` run on a copy of the source finds nothing new).
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}|%[sdif]")


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), fuzzy."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def flush():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
            continue
        if line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if key == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
            continue
        word = line.split(" ", 1)[0]
        if word.startswith("msgstr"):
            entry.setdefault("msgstr", []).append(_unquote(line))
            key = "msgstr"
        else:
            if word == "msgid" and "msgid" in entry:
                flush()
            entry[word] = _unquote(line)
            key = word
    flush()
    return [e for e in entries if e["msgid"] != ""]  # the header has an empty msgid


def placeholders(text: str) -> list[str]:
    return sorted(
        m.group(0) if not (m.group(1) or m.group(2)) else (m.group(1) or m.group(2))
        for m in PLACEHOLDER.finditer(text)
    )


def test_the_catalogue_exists_and_is_not_trivial():
    assert PO.exists(), "run `make messages`"
    assert len(parse_po(PO)) > 50


def test_every_message_has_a_chinese_translation():
    missing = [
        e["msgid"]
        for e in parse_po(PO)
        if any(not s.strip() for s in e["msgstr"]) or e.get("fuzzy")
    ]
    assert not missing, f"untranslated or fuzzy: {missing[:20]}"


def test_translations_keep_their_placeholders():
    wrong = []
    for e in parse_po(PO):
        want = placeholders(e["msgid"])
        for s in e["msgstr"]:
            if placeholders(s) != want and not (
                "msgid_plural" in e and placeholders(s) == placeholders(e["msgid_plural"])
            ):
                wrong.append((e["msgid"], s))
    assert not wrong, wrong[:10]


def test_the_compiled_catalogue_matches_the_source():
    assert MO.exists(), "compiled .mo missing: run `make messages`"
    catalog = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for e in parse_po(PO):
        if "msgid_plural" in e:
            continue
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if catalog._catalog.get(msgid) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert not stale, f".mo out of date for: {stale[:10]} (run `make messages`)"


def test_every_translatable_string_is_in_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check the catalogue; apt-get install gettext"
        )
    for name in ("sanbao", "templates", "config"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "tests")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--settings=config.settings_test",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {
        (e.get("msgctxt"), e["msgid"])
        for e in parse_po(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po")
    }
    known = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(PO)}
    new = sorted(m for _ctx, m in fresh - known)
    assert not new, f"strings missing from the catalogue (run `make messages`): {new[:20]}"
