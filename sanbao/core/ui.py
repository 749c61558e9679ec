"""How a page shows the state of a record. Each app gives its states a Bootstrap
tone in its own ``ui.py``, in one place, and its template tags are made with
:func:`badge_tag`, which writes every badge the same way (:func:`badge_html`): a
template never compares status strings to choose a colour."""

from __future__ import annotations

import functools

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class Tones:
    """The tone of each state of one kind of record, listed by tone (Bootstrap's
    text-bg-* colours; "light" badges get a border to stand out on white). A state
    not listed takes ``default``. Every badge of a ``kind`` ("batch") is marked with
    the classes ``batch-status batch-status-<state>`` and the test id "batch-status",
    unless ``testid`` says otherwise."""

    def __init__(self, kind: str = "", *, default: str, testid: str | None = None, **by_tone):
        self.default = default
        self.css = f"{kind}-status" if kind else ""
        self.testid = self.css if testid is None else testid
        self.by_state = {str(state): tone for tone, states in by_tone.items() for state in states}

    def __getitem__(self, value) -> str:
        return self.by_state.get(str(value), self.default)

    def states(self) -> set[str]:
        return set(self.by_state)

    def badge(self, value, label, *, large: bool = False, attr: str = "status") -> dict:
        """A badge's parts (:func:`badge_html`): the state's value (``data-<attr>``, for
        tests and scripts), its label, its tone and the badge's size."""
        css = f"{self.css} {self.css}-{value}" if self.css else ""
        return {
            "value": value,
            "label": label,
            "tone": self[value],
            "testid": self.testid,
            "css": css,
            "attr": attr,
            "large": large,
        }


def badge_html(badge: dict) -> SafeString:
    """A badge (``Tones.badge``) as HTML: its tone, its size, its test id and its
    ``data-<attr>`` value, the label escaped. Written here rather than by a template
    included for each: a list of 50 rows writes 100 badges (issue 15)."""
    tone, css = badge["tone"], badge.get("css")
    classes = "badge" + (f" {css}" if css else "") + f" text-bg-{tone}"
    classes += (" border" if tone == "light" else "") + (
        " fs-6 fw-normal" if badge.get("large") else ""
    )
    html = format_html('<span class="{}"', classes)
    if badge.get("testid"):
        html += format_html(' data-testid="{}"', badge["testid"])
    if badge.get("attr"):
        html += format_html(' data-{}="{}"', badge["attr"], badge["value"])
    return mark_safe(html + format_html(">{}</span>", badge["label"]))


def badge_tag(register):
    """Register a function that returns a badge's parts as a template tag writing the
    badge: ``@badge_tag(register)`` over ``def batch_badge(batch, large=False)``."""

    def decorate(function):
        @functools.wraps(function)
        def tag(*args, **kwargs):
            return badge_html(function(*args, **kwargs))

        return register.simple_tag(tag)

    return decorate
