"""Readable sentences for receipt anomalies, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from sanbao.returns.models import AnomalyKind

ANOMALY_SENTENCES = {
    AnomalyKind.MISSING_UNITS: _("Line %(line)s: %(expected)s listed, %(found)s received."),
    AnomalyKind.EXTRA_UNITS: _("Line %(line)s: %(expected)s listed, %(found)s received."),
    AnomalyKind.UNLISTED_UNITS: _("%(found)s unit(s) not on the packing list."),
    AnomalyKind.UNLABELLED_UNITS: _("%(found)s unit(s) without a fault label."),
    AnomalyKind.BOXES: _("%(expected)s boxes declared, %(found)s received."),
    AnomalyKind.ACCESSORIES: _("Line %(line)s: accessories missing: %(detail)s."),
}

# IV.4: the units an anomaly is about, named so the return unit can tell which they
# were: a unit not on the list or without a label by its model, line and box, and
# the note recorded at receipt.
UNITS_NAMED = _("The units: %(units)s.")
UNIT_WITH_NOTE = _("%(unit)s (“%(note)s”)")
UNIT_LINE = _("line %(line)s")
UNIT_BOX = _("box %(box)s")
UNIT_MODEL_NOT_KNOWN = _("model not known")
UNITS_MORE = _("and %(count)s more")
