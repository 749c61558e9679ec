"""How a page shows the state of a record. Each app maps its states to a Bootstrap
tone in its own ``ui.py``, in one place, and its template tags hand a badge to the
one include, ``templates/_badge.html``: a template never compares status strings to
choose a colour."""

from __future__ import annotations

from collections.abc import Mapping

# Bootstrap's text-bg-* colours; "light" badges get a border to stand out on white.
TONES = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})


def tone(tones: Mapping[str, str], value, *, default: str) -> str:
    """The tone of ``value`` in an app's mapping, ``default`` for any other state."""
    return tones.get(str(value), default)


def badge(
    value,
    label,
    *,
    tones: Mapping[str, str],
    default: str,
    testid: str = "",
    css: str = "",
    attr: str = "status",
    large: bool = False,
) -> dict:
    """The context of ``_badge.html``: the state's value (``data-<attr>``, for tests
    and scripts), its label, its tone and the badge's size."""
    return {
        "value": value,
        "label": label,
        "tone": tone(tones, value, default=default),
        "testid": testid,
        "css": css,
        "attr": attr,
        "large": large,
    }
