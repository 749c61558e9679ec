"""README.md claims only what is built (issue 10 item 19).

The policy trace says, clause by clause, what is done; the README must not
present a clause that the trace calls ``planned`` as working, and a setting it
lists must be read by the code, or its row must say that it is not used yet.
"""

from __future__ import annotations

import re

from tests.test_policy_trace import ROOT, trace_rows

README = ROOT / "README.md"

# Words by which the README would present a clause's feature as working.
FEATURE_WORDS = {
    "IV.8": ("retention", "kept half a year"),
    "V.1": ("unpacking",),
    "V.2": ("unpacking",),
    "VI.1": ("tamper",),
    "VI.3": ("weight compared",),
}


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, title
    return match.group(1)


def test_the_readme_does_not_present_planned_clauses_as_built():
    text = README.read_text(encoding="utf-8")
    claims = (_section(text, "What Sanbao is") + _section(text, "Interfaces")).lower()
    # A sentence saying what is not built yet is no claim.
    claims = re.sub(r"not built yet:.*?\.(?:\s|$)", "", claims.replace("\n", " "))
    rows = trace_rows()
    for clause, words in FEATURE_WORDS.items():
        if rows[clause]["status"] != "planned":
            continue
        for word in words:
            assert word not in claims, (clause, word)


def test_every_setting_in_the_readme_is_used_or_marked_not_used_yet():
    text = README.read_text(encoding="utf-8")
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "sanbao").rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts
    )
    settings = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    for line in _section(text, "Configuration").splitlines():
        cells = line.split("|")
        for name in re.findall(r"`(SANBAO_[A-Z_]+)`", cells[1] if len(cells) > 2 else ""):
            # Only the policy settings, read by the code as ``settings.SANBAO_…``.
            if not re.search(rf"^{name}\s*=", settings, re.M):
                continue
            used = re.search(rf"\b{name}\b", code)
            assert used or "not used yet" in line, name
