"""V.2: the application form for unpacking damage, pre-filled from the declaration
and the arrival, to print, stamp with the unit's official seal, sign and scan; and
the credit note of a declaration settled by a credit.

Printed in Chinese and English whatever the reader's language, in the embedded
font (``sanbao.documents.pdf``); registered as ``declaration_application_pdf`` and
``credit_note_pdf``. The record passed in is already visible to the reader."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reportlab.platypus import Spacer

from sanbao.core.lists import Column, list_export, platform_only
from sanbao.core.web import PDF
from sanbao.deliveries import policy
from sanbao.documents.pdf import (
    bi_para,
    bilingual,
    block,
    build_pdf,
    data_table,
    esc,
    field_table,
    fmt_date,
    fmt_datetime,
    number_block,
    org_name,
    para,
    signature_lines,
)
from sanbao.documents.registry import numbered, register

TITLE = _("Application for unpacking damage")
CREDIT_TITLE = _("Credit note")
TOTAL = _("Total")
QUANTITIES_ONLY = _(
    "Quantities only: the catalogue keeps no unit prices, so the amount is settled "
    "between the brand and the agent on their price terms."
)
YES = _("yes")
NO = _("no")


def _yes_no(value) -> str:
    if value is None:
        return "—"
    return str(YES if value else NO)


def _grams(value) -> str:
    return "—" if value is None else f"{value} g"


def declaration_application_pdf(declaration) -> bytes:
    delivery = declaration.delivery
    facts = field_table(
        [
            (_("Declaration"), declaration.number),
            (_("Agent"), org_name(delivery.agent)),
            (_("Delivery note number"), delivery.note_no),
            (_("Carrier and waybill"), f"{delivery.carrier} {delivery.waybill_no}".strip()),
            (_("Time shipped"), fmt_datetime(delivery.shipped_at)),
            (_("Time received"), fmt_datetime(delivery.received_at)),
            (_("Declared"), fmt_datetime(declaration.opened_at)),
            (
                _("Window closes (V.1)"),
                fmt_datetime(policy.window_closes(delivery.received_at))
                if delivery.received_at
                else "—",
            ),
        ]
    )
    products = data_table(
        [_("Model"), _("Name"), _("Damaged")],
        [
            [line.model.code, f"{line.model.name_zh} {line.model.name_en}", str(line.quantity)]
            for line in declaration.lines.select_related("model")
        ],
        [0.25, 0.6, 0.15],
    )
    boxes = list(delivery.boxes.all())
    inspection = data_table(
        [
            _("Box"),
            _("Labels intact (VI.1)"),
            _("Outside undamaged (VI.2)"),
            _("Found inside"),
            _("Courier: labels intact"),
            _("Courier: box undamaged"),
            _("Expected weight"),
            _("Actual weight"),
        ],
        [
            [
                str(box.box_no),
                _yes_no(box.labels_intact),
                _yes_no(box.outside_undamaged),
                box.inside_note or "—",
                _yes_no(box.courier_labels_intact),
                _yes_no(box.courier_box_undamaged),
                _grams(box.expected_weight_g),
                _grams(box.actual_weight_g) + (" (!)" if box.weight_gap else ""),
            ]
            for box in boxes
        ],
        [0.07, 0.12, 0.13, 0.2, 0.12, 0.12, 0.12, 0.12],
        highlight_rows=[i for i, box in enumerate(boxes) if box.weight_gap],
    )
    courier = field_table(
        [
            (_("Courier name"), delivery.courier_name),
            (_("Courier work number"), delivery.courier_work_no),
            (_("Courier telephone"), delivery.courier_phone),
            (_("Weight differs from expected (VI.3)"), _yes_no(delivery.weight_gap)),
        ]
    )
    story = [
        *block(_("Delivery"), facts),
        *block(_("Damaged products"), products),
        *block(_("What was found on unpacking"), para(esc(declaration.description))),
        *block(_("Inspection on arrival"), inspection),
        *block(_("Courier's annotation on the delivery note (VI.3)"), courier),
        Spacer(1, 6),
        signature_lines([_("Official seal of the unit"), _("Signature of the person in charge")]),
    ]
    return build_pdf(story, title=TITLE, reference=declaration.number)


register(
    "declaration_application_pdf",
    render=declaration_application_pdf,
    filename=numbered("unpacking-damage-application.pdf"),
    media_type=PDF,
)


def credit_note_pdf(note) -> bytes:
    """The credit note: its number (with a barcode), the agent, the declaration and
    the delivery it is about, the date and the products credited, in quantities."""
    declaration = note.declaration
    delivery = declaration.delivery
    lines = list(note.lines.select_related("model"))
    facts = field_table(
        [
            (_("Agent"), org_name(note.agent)),
            (_("Declaration"), declaration.number),
            (_("Delivery"), delivery.number),
            (_("Delivery note number"), delivery.note_no),
            (_("Issued by"), note.issued_by.display_name),
        ]
    )
    products = data_table(
        [_("Model"), _("Name"), _("Quantity credited")],
        [
            *(
                [line.model.code, f"{line.model.name_zh} {line.model.name_en}", str(line.quantity)]
                for line in lines
            ),
            ["", bilingual(TOTAL), str(sum(line.quantity for line in lines))],
        ],
        [0.2, 0.58, 0.22],
    )
    story = [
        number_block(
            _("Credit note number"),
            note.number,
            _("Date"),
            fmt_date(timezone.localdate(note.issued_at)),
            gap=3,
        ),
        Spacer(1, 6),
        *block(_("Credited to"), facts),
        *block(_("Products credited (V.2)"), products),
        Spacer(1, 4),
        bi_para(QUANTITIES_ONLY, "body"),
        Spacer(1, 10),
        signature_lines([_("Issued by"), _("Received by the agent")]),
    ]
    return build_pdf(story, title=CREDIT_TITLE, reference=note.number)


register(
    "credit_note_pdf",
    render=credit_note_pdf,
    filename=numbered("credit-note.pdf"),
    media_type=PDF,
)


# --- The list pages as workbooks (their "Export as XLSX" links) ---------------------------


def _carrier(delivery) -> str:
    return " ".join(part for part in (delivery.carrier, delivery.waybill_no) if part)


DELIVERIES = list_export(
    "deliveries.deliveries_xlsx",
    title=_("Deliveries"),
    stem="deliveries",
    columns=[
        Column(_("Delivery"), lambda d: d.number),
        Column(_("Status"), lambda d: d.get_status_display()),
        Column(_("Delivery note"), lambda d: d.note_no),
        Column(_("Carrier and waybill"), _carrier),
        Column(_("Agent"), lambda d: d.agent.code, shown=platform_only),
        Column(_("Source"), lambda d: d.get_source_display()),
        Column(_("Weight differs"), lambda d: d.weight_gap),
    ],
)

DECLARATIONS = list_export(
    "deliveries.declarations_xlsx",
    title=_("Unpacking-damage declarations"),
    stem="declarations",
    columns=[
        Column(_("Declaration"), lambda d: d.number),
        Column(_("Status"), lambda d: d.get_status_display()),
        Column(_("Delivery"), lambda d: d.delivery.number),
        Column(_("Agent"), lambda d: d.delivery.agent.code),
        Column(_("Opened"), lambda d: d.opened_at),
    ],
)
