"""The words of a quality flag, shared by the dashboard and the managers' message."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanbao.insights import policy

REASONS = {
    policy.HISTORY: gettext_lazy("well above its own history"),
    policy.CATEGORY: gettext_lazy("well above its category"),
}


def reason_labels(flag: policy.Flag) -> str:
    return ", ".join(str(REASONS[r]) for r in flag.reasons)


def percent(value) -> str:
    return "—" if value is None else f"{value}%"


def serial_range(first: str, last: str) -> str:
    if not first:
        return "—"
    return first if first == last else f"{first} – {last}"


def flag_lines(flag: policy.Flag) -> list[str]:
    """The figures of a flag, one a line, in the active language."""
    c = flag.counts
    return [
        _("Sale month: %(month)s") % {"month": f"{c.month:%Y-%m}"},
        _("Units sold: %(sold)s, faulty: %(faulty)s, fault rate %(rate)s")
        % {"sold": c.sold, "faulty": c.faulty, "rate": percent(c.rate)},
        _("Its rate in the months before: %(rate)s") % {"rate": percent(flag.history_rate)},
        _("The rest of its category that month: %(rate)s") % {"rate": percent(flag.category_rate)},
        _("Faulty serials: %(range)s") % {"range": serial_range(c.first_faulty, c.last_faulty)},
        _("Serials sold that month: %(range)s")
        % {"range": serial_range(c.first_serial, c.last_serial)},
    ]
