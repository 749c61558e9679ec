"""Stable codes and messages of the returns app's refusals."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MESSAGES = {
    "returns.batch_invalid": _("The batch cannot be saved: check the fields marked."),
    "returns.value_required": _("This value is required."),
    "returns.value_too_long": _("At most %(limit)s characters."),
    "returns.number_out_of_range": _("Enter a whole number from %(low)s to %(high)s."),
    "returns.date_in_future": _("The date cannot be in the future."),
    "returns.phone_invalid": _("Enter a telephone number of 7 to 20 digits."),
    "returns.return_org_invalid": _("Choose the agent or enterprise returning the units."),
    "returns.freight_invalid": _("Choose how the freight is paid."),
    "returns.model_unknown": _("No product model has the code “%(value)s”."),
    "returns.serial_means_one_unit": _("A line with a serial number is one unit."),
    "returns.serial_repeated": _(
        "Serial number %(serial)s of this model is already on another line."
    ),
    "returns.no_lines": _("The packing list has no lines (IV.1)."),
    "returns.too_many_lines": _("A batch has at most %(limit)s lines."),
    "returns.declared_total_mismatch": _(
        "The packing list declares %(declared)s units but its lines add up to %(lines)s (IV.2)."
    ),
    "returns.declared_boxes_too_few": _(
        "The lines use box %(box)s but only %(declared)s boxes are declared (IV.2)."
    ),
    "returns.packing_refused": _("The batch breaks the packing rules: see each line."),
    "returns.accessories_missing": _(
        "A power bank goes back with its data cable and accessories: %(missing)s missing (IV.P1)."
    ),
    "returns.not_bundled": _("Adapters and data cables must be bundled with a tie (IV.P4)."),
    "returns.box_mixes_categories": _(
        "Box %(box)s mixes categories (%(categories)s): pack each category separately (IV.P3)."
    ),
    "returns.cash_on_delivery_refused": _(
        "Cash on delivery is refused: the sender pays the freight (IV.P5). "
        "Choose freight prepaid to submit the batch."
    ),
    "returns.extra_cost_to_shipper": _(
        "Not home delivery: the extra delivery cost will be charged to the shipper (IV.P6)."
    ),
    "returns.label_unknown": _("“%(code)s” is not a fault label of this batch."),
    "returns.label_of_other_batch": _("Label “%(code)s” belongs to batch %(batch)s, not this one."),
    "returns.box_out_of_range": _("Box %(box)s is not between 1 and %(boxes)s."),
    "returns.line_unknown": _("The batch has no line %(line)s."),
    "returns.move_not_allowed": _("A batch that is %(status)s cannot be %(action)s."),
    "returns.changed_meanwhile": _(
        "Someone changed this batch meanwhile; reload it and try again."
    ),
    "returns.anomaly_resolved_already": _("This anomaly is already resolved."),
    "returns.note_required": _("Write what was agreed with the return unit."),
}

# Completing "A batch that is <status> cannot be <action>.": a context of their own,
# since "submitted" and "received" are also names of fields.
ACTION_LABELS = {
    "edit": pgettext_lazy("batch action", "edited"),
    "submit": pgettext_lazy("batch action", "submitted"),
    "refuse": pgettext_lazy("batch action", "refused"),
    "open_receipt": pgettext_lazy("batch action", "received"),
    "scan": pgettext_lazy("batch action", "counted"),
    "close_receipt": pgettext_lazy("batch action", "closed for receipt"),
    "resolve_anomaly": pgettext_lazy("batch action", "cleared of anomalies"),
    "contact": pgettext_lazy("batch action", "contacted"),
}


def message(message_code: str, /, **params) -> str:
    """The message of ``message_code`` in the active language, filled in. (The code
    is positional-only: several messages have a ``code`` placeholder.)"""
    text = str(MESSAGES[message_code])
    return text % params if params else text
