"""The accessories a unit travels with (IV.P1), named in the reader's language.

Accessory names are stored as they were entered ("data cable" in a category's
required accessories, ticked or typed on a batch line). The common ones are known
here by their English name and shown translated; a Chinese name typed for one of
them ("数据线") counts as the same accessory. Anything else is shown as typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

KNOWN = {
    "data cable": _("data cable"),
    "charging cable": _("charging cable"),
    "power cord": _("power cord"),
    "charging case": _("charging case"),
    "ear tips": _("ear tips"),
    "manual": _("manual"),
    "pouch": _("pouch"),
    "warranty card": _("warranty card"),
}


def _key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _by_chinese() -> dict[str, str]:
    with override("zh-hans"):
        return {_key(str(label)): english for english, label in KNOWN.items()}


def canonical(name: str) -> str:
    """The stored form of an accessory: a known one by its English name, whether
    it was typed in English or Chinese; anything else as typed, spaces folded."""
    key = _key(name)
    if key in KNOWN:
        return key
    return _by_chinese().get(key, " ".join((name or "").split()))


def label(name: str) -> str:
    """The accessory's name in the active language."""
    known = KNOWN.get(_key(canonical(name)))
    return str(known) if known is not None else name


def labels(names: Iterable[str]) -> list[str]:
    return [label(n) for n in names]
