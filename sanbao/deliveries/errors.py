"""Stable codes and messages of the deliveries app's refusals."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    # Deliveries
    "deliveries.delivery_invalid": _("The delivery cannot be saved: check the fields marked."),
    "deliveries.value_required": _("This value is required."),
    "deliveries.value_too_long": _("At most %(limit)s characters."),
    "deliveries.agent_invalid": _("Choose the agent or enterprise the delivery goes to."),
    "deliveries.model_unknown": _("No product model has the code “%(value)s”."),
    "deliveries.quantity_invalid": _("Enter a whole number from 1 to %(high)s."),
    "deliveries.weight_invalid": _("Enter a weight in grams from 0 to %(high)s."),
    "deliveries.no_boxes": _("A delivery has at least one box."),
    "deliveries.box_repeated": _("Box %(box)s is listed twice."),
    "deliveries.box_unknown": _("The delivery has no box %(box)s."),
    "deliveries.no_items": _("A delivery carries at least one product."),
    "deliveries.shipped_in_future": _("The time shipped cannot be in the future."),
    # Arrival (VI)
    "deliveries.arrival_invalid": _("The arrival cannot be recorded: check the fields marked."),
    "deliveries.received_in_future": _("The time received cannot be in the future."),
    "deliveries.received_before_shipped": _(
        "The time received cannot be before the delivery was shipped (%(shipped)s)."
    ),
    "deliveries.box_missing": _("Record what was found on box %(box)s."),
    "deliveries.answer_required": _("Answer yes or no."),
    "deliveries.damaged_box_not_opened": _(
        "The outside of box %(box)s is damaged: open it and record what was found inside "
        "before the arrival is complete (VI.2)."
    ),
    "deliveries.courier_required": _(
        "Copy the courier's name, work number and telephone from the delivery note (VI.3)."
    ),
    "deliveries.phone_invalid": _("Enter a telephone number of 7 to 20 digits."),
    "deliveries.move_not_allowed": _("A delivery that is %(status)s cannot be %(action)s."),
    "deliveries.changed_meanwhile": _(
        "Someone changed this delivery meanwhile; reload it and try again."
    ),
    # Declarations (V.1, V.2)
    "deliveries.declaration_invalid": _(
        "The declaration cannot be saved: check the fields marked."
    ),
    "deliveries.not_received": _(
        "Record the arrival of the delivery first: the declaration window runs from it (V.1)."
    ),
    "deliveries.window_closed": _(
        "Unpacking damage is declared within %(hours)s hours of receipt: the window for this "
        "delivery closed on %(closed)s (V.1)."
    ),
    "deliveries.description_required": _("Describe what was found on unpacking (V.1)."),
    "deliveries.no_damaged_lines": _("Name at least one damaged product and how many (V.1)."),
    "deliveries.model_not_delivered": _("%(model)s is not in this delivery."),
    "deliveries.more_than_delivered": _(
        "%(model)s: %(quantity)s declared but %(delivered)s delivered."
    ),
    "deliveries.model_repeated": _("%(model)s is listed twice."),
    "deliveries.evidence_kind_invalid": _(
        "Choose what the file is: a photo, the stamped form or the signed delivery note."
    ),
    "deliveries.file_required": _("Choose a file to upload."),
    "deliveries.file_not_accepted": _(
        "The file is not accepted: a photo is a JPEG or PNG image, a scan a PDF, JPEG or PNG, "
        "of at most %(mb)s MB, that can be opened."
    ),
    "deliveries.image_too_large": _(
        "The image is too large: at most %(limit)s pixels are accepted."
    ),
    "deliveries.evidence_missing": _(
        "The application is incomplete: %(missing)s still to upload (V.2)."
    ),
    "deliveries.department_required": _(
        "Choose who reviews it: the commercial commissioner (marketing) or the "
        "customer-service commissioner (after-sales)."
    ),
    "deliveries.outcome_invalid": _("Choose replacement or credit."),
    "deliveries.settled_invalid": _(
        "For each damaged product, enter how many are replaced or credited, from 0 to the "
        "number declared, and at least one in all."
    ),
    "deliveries.reason_required": _("Say why the declaration is rejected."),
    "deliveries.declaration_move_not_allowed": _(
        "A declaration that is %(status)s cannot be %(action)s."
    ),
    "deliveries.declaration_changed_meanwhile": _(
        "Someone changed this declaration meanwhile; reload it and try again."
    ),
    # Importing deliveries from the shipping system (CSV or XLSX)
    "deliveries.import_columns_missing": _("The file lacks the columns %(columns)s."),
    "deliveries.import_too_many_rows": _("A file has at most %(limit)s rows."),
    "deliveries.import_empty": _("The file has no rows under its header."),
    "deliveries.import_value_required": _("A delivery note number of at most 60 characters."),
    "deliveries.import_note_exists": _(
        "Delivery note %(note)s of this agent has been imported already."
    ),
    "deliveries.import_time_invalid": _(
        "Enter the time shipped as YYYY-MM-DD HH:MM (the platform's time zone)."
    ),
    "deliveries.import_rows_disagree": _(
        "The rows of delivery note %(note)s differ in this column: one delivery has one "
        "agent, carrier, waybill and time shipped."
    ),
    "deliveries.import_box_weight_differs": _(
        "Box %(box)s is given two different expected weights."
    ),
    "deliveries.import_rejected": _(
        "The file cannot be imported: %(bad_rows)s rows have errors; nothing was imported."
    ),
    "deliveries.import_no_file": _("Choose a CSV or XLSX file to import."),
    # Not found (404): missing, or not the actor's
    "deliveries.delivery_not_found": _("No such delivery."),
    "deliveries.declaration_not_found": _("No such declaration."),
    "deliveries.evidence_not_found": _("No such file."),
    "deliveries.credit_note_not_found": _("No such credit note."),
}

ERRORS = ErrorCatalog("deliveries", MESSAGES)

DELIVERY_ACTION_LABELS = {
    "arrive": pgettext_lazy("delivery action", "received"),
    "declare": pgettext_lazy("delivery action", "declared damaged"),
}

DECLARATION_ACTION_LABELS = {
    "upload": pgettext_lazy("declaration action", "given more files"),
    "submit": pgettext_lazy("declaration action", "submitted"),
    "decide": pgettext_lazy("declaration action", "decided"),
}
