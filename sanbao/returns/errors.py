"""Stable codes and messages of the returns app's refusals."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "returns.batch_invalid": _("The batch cannot be saved: check the fields marked."),
    "returns.value_required": _("This value is required."),
    "returns.value_too_long": _("At most %(limit)s characters."),
    "returns.number_out_of_range": _("Enter a whole number from %(low)s to %(high)s."),
    "returns.date_in_future": _("The date cannot be in the future."),
    "returns.date_invalid": _("Enter a valid date."),
    "returns.date_too_early": _("The date cannot be earlier than %(earliest)s."),
    "returns.received_before_sent": _(
        "The parcel cannot have arrived before the batch was sent on %(sent_on)s."
    ),
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
    "returns.contact_required": _(
        "Call or fax the return unit first and record the outcome: an e-mail alone "
        "does not count (IV.4)."
    ),
    # Testing and dispositions (IV.P2, II.3, II.4)
    "returns.unit_test_invalid": _("The test cannot be recorded: check the fields marked."),
    "returns.result_invalid": _("Choose the test result."),
    "returns.rule_invalid": _("Choose the rule of section III that excludes the unit."),
    "returns.evidence_required": _("Describe what the test found: it is the evidence."),
    "returns.photo_required": _("Attach a photo of what the unit shows (%(rule)s)."),
    "returns.photo_invalid": _("Upload a JPEG or PNG photo of at most %(limit_mb)s MB."),
    "returns.image_too_large": _("The image is too large: at most %(limit)s pixels are accepted."),
    "returns.model_required": _("Say which model this unit is."),
    "returns.unit_disposed_already": _("This unit has already been dealt with."),
    "returns.unit_not_tested": _("Test the unit before deciding what to do with it."),
    "returns.disposition_invalid": _("Choose what is done with the unit."),
    "returns.disposition_not_open": _(
        "After the test result “%(result)s”, a unit is dealt with only as: %(open)s (IV.P2)."
    ),
    "returns.replacement_lower": _(
        "%(candidate)s is lower than %(original)s in %(shortfalls)s: a replacement is the "
        "same model or one not lower (II.3)."
    ),
    "returns.replacement_other_category": _(
        "%(candidate)s is not of the same category as %(original)s (II.3)."
    ),
    "returns.replacement_unspecified": _(
        "%(original)s has no performance specifications recorded, so only the same model "
        "replaces it, unless an after-sales manager decides otherwise and says why (II.3)."
    ),
    "returns.location_required": _("Say where the replaced unit or parts are kept (II.4)."),
    "returns.charge_invalid": _(
        "Enter the charge in yuan with at most two decimals, more than 0 and at most %(limit)s."
    ),
    "returns.charge_reason_required": _(
        "Say why the unit is charged: the reason is printed on the delivery list (IV.P2)."
    ),
    # Delays (IV.6)
    "returns.delay_reason_invalid": _("Choose why the unit is delayed (IV.6)."),
    "returns.unit_shipped_already": _("Unit %(code)s has already been shipped."),
    # Shipments (IV.7)
    "returns.shipment_invalid": _("The shipment cannot be prepared: check the fields marked."),
    "returns.shipment_no_units": _("Choose at least one unit to send back."),
    "returns.unit_id_invalid": _("“%(value)s” is not the number of a returned unit."),
    "returns.unit_not_ready": _("Unit %(code)s has not been tested and dealt with yet."),
    "returns.batch_not_ready": _("Batch %(batch)s is not ready to go back (%(status)s)."),
    "returns.unit_of_other_return_unit": _(
        "Unit %(code)s belongs to another return unit: one shipment goes to one return unit."
    ),
    "returns.unit_in_other_shipment": _("Unit %(code)s is already in shipment %(shipment)s."),
    "returns.order_required": _(
        "Delayed units go back with the return unit's order: enter its order number (IV.6)."
    ),
    "returns.waybill_required": _("Enter the waybill number."),
    "returns.shipment_move_not_allowed": _("A shipment that is %(status)s cannot be %(action)s."),
    "returns.shipment_changed_meanwhile": _(
        "Someone changed this shipment meanwhile; reload it and try again."
    ),
    # Importing a packing list's lines from XLSX (per row and column)
    "returns.import_unreadable": _("The file could not be read as an XLSX workbook."),
    "returns.import_unpacks_too_large": _(
        "The file unpacks to more than %(limit_mb)s MB or holds more than %(members)s parts: "
        "it is refused before it is opened."
    ),
    "returns.import_no_header": _(
        "No header row was found: the first sheet needs the columns %(columns)s."
    ),
    "returns.import_column_missing": _("The column “%(column)s” is missing."),
    "returns.import_column_repeated": _("The column “%(column)s” appears twice."),
    "returns.import_empty": _("The sheet has no lines under its header."),
    "returns.import_too_many_rows": _("A batch has at most %(limit)s lines; this file has more."),
    "returns.import_bundled_invalid": _(
        "“%(value)s” is not a yes or no (yes, no, 是, 否) for bundled."
    ),
    "returns.import_too_many_accessories": _("At most %(limit)s accessories a line."),
    "returns.import_no_file": _("Choose an XLSX file to import."),
    "returns.lines_import_rejected": _("The file cannot be imported; nothing was imported."),
    # Documents
    "returns.label_layout_invalid": _("Choose a label layout: %(layouts)s."),
    "returns.no_anomaly": _("Batch %(number)s has no receipt anomaly: there is nothing to notify."),
    # Not found (404): missing, or not the actor's
    "returns.batch_not_found": _("No such return batch."),
    "returns.anomaly_not_found": _("No such receipt anomaly."),
    "returns.contact_task_not_found": _("No such contact task."),
    "returns.photo_not_found": _("No such photo."),
    "returns.shipment_not_found": _("No such shipment."),
    "returns.unit_not_found": _("No such returned unit."),
}

ERRORS = ErrorCatalog("returns", MESSAGES)

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
    "start_testing": pgettext_lazy("batch action", "put to testing"),
    "test": pgettext_lazy("batch action", "tested"),
    "dispose": pgettext_lazy("batch action", "dealt with"),
    "delay": pgettext_lazy("batch action", "delayed"),
    "ship": pgettext_lazy("batch action", "shipped"),
    "close": pgettext_lazy("batch action", "closed"),
}

SHIPMENT_ACTION_LABELS = {
    "dispatch": pgettext_lazy("shipment action", "shipped"),
    "cancel": pgettext_lazy("shipment action", "cancelled"),
}


message = ERRORS.message
