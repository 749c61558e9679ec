"""How the calendar page shows what is known of a year's official schedule (see
``sanbao.core.ui``): known from the library or entered by hand is settled; unknown
makes every due date in the year provisional, a warning."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanbao.core.ui import Tones
from sanbao.workdays.selectors import YearStatus

YEAR = Tones(
    default="warning",
    testid="year-status",
    success=[YearStatus.LIBRARY],
    primary=[YearStatus.ENTERED],
)
YEAR_LABELS = {
    YearStatus.LIBRARY: _("Official schedule known from the library"),
    YearStatus.ENTERED: _("Official schedule entered by the administrator"),
    YearStatus.UNKNOWN: _("Official schedule unknown: due dates are provisional"),
}
