"""How a page shows the state of a record. Each app gives its states a Bootstrap
tone in its own ``ui.py``, in one place, and its template tags hand a badge to the
one include, ``templates/_badge.html``: a template never compares status strings to
choose a colour."""

from __future__ import annotations


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
        """The context of ``_badge.html``: the state's value (``data-<attr>``, for
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
