"""The words a return batch's papers print, in both languages (``bilingual``),
and the column sets of their tables. One place, so the same heading reads the
same on the packing list, the delivery list and their workbooks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PACKING_LIST_TITLE = _("Packing list")
REPAIR_LIST_TITLE = _("Repair list")
LABELS_TITLE = _("Fault labels")
NOTICE_TITLE = _("Receipt anomaly notice")

BATCH_NUMBER = _("Batch number")
DATE = _("Date")
STATUS = _("Status")
RETURN_UNIT = _("Return unit")
ADDRESS = _("Address")
TELEPHONE = _("Telephone")
FAX = _("Fax")
CONTACT_PERSON = _("Contact person")
CONTACT_PHONE = _("Contact telephone")
PACKING = _("Packing list (IV.2)")
DECLARED_UNITS = _("Total faulty units")
DECLARED_BOXES = _("Number of boxes")
REPAIR_LIST_PAGES = _("Pages of the repair list")
SUBMITTED_AT = _("Submitted at")
REFUSAL = _("Reason for refusal")
NOTE = _("Note")
SHIPPING = _("Shipping terms")
CARRIER = _("Carrier")
WAYBILL = _("Waybill number")
HOME_DELIVERY = _("Home delivery")
FREIGHT = _("Freight")
EXTRA_COST = _("Extra delivery cost charged to the shipper (IV.P6)")
PRODUCTS = _("Products by model")
CATEGORY = _("Category")
MODEL = _("Model")
LINES = _("Lines")
QUANTITY = _("Quantity")
BOXES = _("Boxes")
RECEIVED = _("Received")
DECLARED = _("Declared")
TOTAL = _("Total")
RECEIPT = _("Receipt: declared and received (IV.1)")
FIGURE = _("Figure")
FAULTY_UNITS = _("Faulty units")
UNLISTED_UNITS = _("Units not on the packing list")
UNLABELLED_UNITS = _("Units without a fault label")
RECEIVED_AT = _("Receipt closed at")
RECEIVED_BY = _("Received by")
PHYSICAL_COUNT_PREVAILS = _(
    "The quantity physically received prevails over the declared one (IV.1); the "
    "declared figures are kept for comparison."
)
SIGN_PACKER = _("Packed by (return unit)")
SIGN_RECEIVER = _("Received by (after-sales)")
YES, NO = _("Yes"), _("No")

LINE = _("Line")
SERIAL = _("Serial number")
FAULT = _("Fault (as on the label)")
ACCESSORIES = _("Accessories")
BUNDLED = _("Bundled")
BOX = _("Box")
REPAIR_PAGE_CAPTION = _("Lines %(first)s–%(last)s of %(count)s · %(units)s units")
NO_LINES = _("The packing list has no lines yet.")

NOTICE_TO = _("To")
NOTICE_FROM = _("From")
ATTENTION = _("Attention")
AFTER_SALES_DEPARTMENT = _("After-sales department")
PAGES = pgettext_lazy("number of pages", "Pages")
NOTICE_INTRO = _(
    "Return batch %(number)s was counted and checked on receipt and differs from its "
    "packing list. The quantity physically received prevails (IV.1)."
)
WHAT_DIFFERS = _("What differs")
WHAT_TO_DO = _("What to do")
NOTICE_REPLY = _(
    "Please reply by telephone (%(phone)s) or fax (%(fax)s), quoting batch %(number)s, "
    "to confirm these figures or explain the difference. The batch is on hold until then."
)
NOTICE_MORE = _("… and %(count)s more differences, listed on the batch in Sanbao.")
NOTICE_SIGNED = _("For the after-sales department")
NO_ANOMALY = _("Batch %(number)s has no receipt anomaly: there is nothing to notify.")

LAYOUT_INVALID = _("Choose a label layout: %(layouts)s.")

# Delays (IV.6), marked on the packing list and on the delivery list.
LABEL_CODE = _("Label code")
DELAYS = _("Delays (IV.6)")
DELAY_COLUMN = _("Delay (IV.6)")
DELAYED_UNLISTED = _("Delayed units not on the packing list")
DELAY_REASON = _("Reason and note")
DELAYED_ON = _("Marked delayed on")
WENT_BACK_WITH = _("Went back with")
STILL_WAITING = _("Not sent yet")
SHIPPED_ON = _("shipped %(date)s")
NOT_LEFT_YET = _("prepared, not shipped yet")
WITH_ORDER = _("order %(order)s")
WHOLE_BATCH_DELAYED = _("The whole batch is delayed (IV.6).")
WHOLE_BATCH_DELAYED_FOR = _("The whole batch is delayed (IV.6): %(reason)s.")
DELAY_WIDTHS = [0.19, 0.16, 0.14, 0.22, 0.1, 0.19]
DELAY_HEADERS = [LABEL_CODE, MODEL, SERIAL, DELAY_REASON, DELAYED_ON, WENT_BACK_WITH]

DELIVERY_LIST_TITLE = _("Delivery list")
DELIVERY_LIST_NUMBER = _("Delivery list number")
SHIPMENT = _("Shipment (IV.7)")
RETURN_UNIT_CODE = _("Return unit code")
ORDER_NO = _("Order number (IV.6)")
PREPARED_AT = _("Prepared")
SHIPPED_AT = _("Shipped")
UNITS_TOTAL = _("Units")
CHARGES_TOTAL = _("Charges (yuan)")
BATCHES_CARRIED = _("Batches in this shipment")
RECEIVED_ON = _("Received on")
DUE_ON = _("Due back by (IV.5)")
PROVISIONAL = _("provisional")
UNITS_HERE = _("Units here / in the batch")
TURNAROUND = _("Turnaround (IV.5)")
NOT_SHIPPED_YET = _("Not shipped back yet")
ON_TIME = _("On time")
DELAYED_MARK = _("Delayed (IV.6)")
DELAYED_UNITS = _("delayed units (IV.6): %(count)s")
BATCH_DUE = _("Batch %(number)s: due back by, turnaround")
BATCH_HEADERS = [BATCH_NUMBER, RECEIVED_ON, DUE_ON, UNITS_HERE, TURNAROUND]
UNITS = _("Units sent back (IV.7)")
NO_UNITS = _("This shipment has no units.")
SERIAL_IN = _("Serial in")
SERIAL_OUT = _("Serial out")
TEST_RESULT = _("Test result")
DISPOSITION = _("Disposition")
CHARGE = _("Charge (yuan) and reason (IV.P2)")
UNIT_COLUMNS = (  # (header, width in mm): 178 mm in all
    (pgettext_lazy("sequence number", "No."), 6),
    (LABEL_CODE, 31),
    (MODEL, 22),
    (SERIAL_IN, 19),
    (SERIAL_OUT, 19),
    (TEST_RESULT, 21),
    (DISPOSITION, 18),
    (CHARGE, 21),
    (DELAY_COLUMN, 21),
)
BACKORDER = _("Backorder: %(reason)s — released in this shipment")
BACKORDER_RELEASED = _("Backorder: %(reason)s — released with order %(order)s")
STILL_TO_FOLLOW = _("Still to follow (IV.6)")
TO_FOLLOW_INTRO = _(
    "Units of these batches held back for a shortage or force majeure and not in this "
    "shipment. They go back later, with an order of the return unit."
)
FOLLOW_HEADERS = [LABEL_CODE, MODEL, SERIAL, DELAY_REASON, DELAYED_ON, _("Sent back later in")]
SIGN_SENDER = _("Sent by (after-sales)")
SIGN_RETURN_UNIT = _("Received by (return unit)")
XLSX_UNIT_HEADERS = [
    BATCH_NUMBER,
    LABEL_CODE,
    MODEL,
    _("Model name"),
    SERIAL_IN,
    SERIAL_OUT,
    TEST_RESULT,
    _("Exclusion rule"),
    DISPOSITION,
    _("Replacement model"),
    _("Parts used"),
    _("Charge (yuan)"),
    _("Reason for the charge"),
    DELAY_COLUMN,
    _("Delay note"),
    ORDER_NO,
]
XLSX_FOLLOW_HEADERS = [
    BATCH_NUMBER,
    LABEL_CODE,
    MODEL,
    SERIAL,
    DELAY_COLUMN,
    _("Delay note"),
    DELAYED_ON,
    _("Sent back later in"),
    ORDER_NO,
]

# The packing list as a workbook: the paper's header block, then its lines.
XLSX_LINE_HEADERS = [
    LINE,
    MODEL,
    _("Model name"),
    CATEGORY,
    SERIAL,
    QUANTITY,
    FAULT,
    ACCESSORIES,
    BUNDLED,
    BOX,
    RECEIVED,
]
