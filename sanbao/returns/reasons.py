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
