"""Forms of the return-batch pages. They only parse: every rule (required facts,
the phone's shape, the packing rules, cash on delivery, the receipt's moves) is the
services' and comes back as a DomainError that the view maps onto these fields."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.forms import offer_replacement_decision, replacement_decision_field
from sanbao.core.forms import (
    BootstrapForm,
    FiltersMixin,
    cleaned_texts,
    code_choices,
    code_field,
    search_field,
    select_field,
    select_widget,
    text_field,
)
from sanbao.notifications.models import AttemptOutcome, Channel
from sanbao.returns import policy
from sanbao.returns.models import (
    BatchStatus,
    DelayReason,
    Disposition,
    Freight,
    ScanKind,
    ShipmentStatus,
    TestResult,
)
from sanbao.returns.selectors import BATCH_SORTS, SHIPMENT_SORTS
from sanbao.returns.services import MAX_LINES, LineIn

ANY = ("", _("Any"))
# Free-text lists ("data cable, manual" / "数据线、说明书") split on commas of both scripts.
LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


class ReturnsForm(BootstrapForm):
    """The base of the return pages' forms."""


def _number(label, *, css: str = "form-control", min_value: int = 0, **attrs):
    """A whole number; its range is the service's (the message names the limits)."""
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"class": css, "min": min_value, **attrs}),
    )


# --- The batch list ---------------------------------------------------------------------


class BatchFilterForm(FiltersMixin, ReturnsForm):
    sorting = BATCH_SORTS
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *BatchStatus.choices]
    )
    return_org = forms.ChoiceField(label=_("Return unit"), required=False)
    number = search_field(20, _("Batch number starts with"), css="mono", spellcheck="false")
    # What the home pages count (selectors.ATTENTION); calls to make are the platform's.
    attention = forms.ChoiceField(
        label=_("Needs attention"),
        required=False,
        choices=[
            ANY,
            ("overdue", _("Overdue")),
            ("due_today", _("Due back today")),
            ("to_contact", _("Calls and faxes to make")),
            ("late", _("Sent back late or overdue")),
        ],
    )

    def __init__(self, *args, return_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if return_orgs is None:  # an agent or enterprise sees its own batches only
            del self.fields["return_org"]
            self.fields["attention"].choices = [
                c for c in self.fields["attention"].choices if c[0] != "to_contact"
            ]
        else:
            self.fields["return_org"].choices = code_choices(return_orgs, ANY, label="display_name")


# --- The packing list ---------------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class BatchHeaderForm(ReturnsForm):
    """The packing list's header (IV.2) and the shipping terms (IV.P5, IV.P6)."""

    return_org_code = code_field(32, _("Return unit"))
    declared_units = _number(_("Faulty units (total)"), min_value=1)
    declared_boxes = _number(_("Boxes (packages)"), min_value=1)
    packed_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    contact_person = text_field(100, _("Contact person"))
    contact_phone = text_field(
        30, _("Contact telephone"), css="form-control num", inputmode="tel", autocomplete="tel"
    )
    carrier = text_field(60, _("Carrier"), help_text=_("The courier or logistics company."))
    waybill_no = text_field(60, _("Waybill number"), css="form-control mono")
    home_delivery = forms.TypedChoiceField(
        label=_("Home delivery"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="yes",
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The carrier brings the parcel to the after-sales centre's door. Otherwise the "
            "extra cost is charged to the shipper (IV.P6)."
        ),
    )
    freight = forms.ChoiceField(
        label=_("Freight"),
        choices=Freight.choices,
        initial=Freight.PREPAID,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The sender pays: cash-on-delivery parcels are refused (IV.P5)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, return_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if return_orgs is None:  # an agent or enterprise returns its own units
            del self.fields["return_org_code"]
        else:
            self.fields["return_org_code"].widget = select_widget(
                code_choices(
                    return_orgs, ("", _("Choose an agent or enterprise…")), label="display_name"
                )
            )

    @property
    def chooses_return_org(self) -> bool:
        return "return_org_code" in self.fields

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            name: data.get(name) for name in ("declared_units", "declared_boxes", "packed_on")
        }
        kwargs.update(
            cleaned_texts(self, "contact_person", "contact_phone", "carrier", "waybill_no", "note")
        )
        home = data.get("home_delivery")
        kwargs["home_delivery"] = True if home in ("", None) else bool(home)
        kwargs["freight"] = data.get("freight") or Freight.PREPAID
        if self.chooses_return_org:
            kwargs["return_org_code"] = (data.get("return_org_code") or "").strip()
        return kwargs


class LineForm(ReturnsForm):
    """One line of the packing list. Every field is optional here: a row left as
    it was offered is no line at all, and the service says what a line lacks."""

    model_code = code_field(40, _("Model"))
    serial = text_field(40, _("Serial number"), css="form-control form-control-sm mono")
    quantity = forms.IntegerField(
        label=_("Quantity"),
        required=False,
        initial=1,
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm num", "min": 1, "max": 999}
        ),
    )
    fault = text_field(
        120,
        _("Fault (as on the label)"),
        css="form-control form-control-sm",
        placeholder=_("Fault (as on the label)"),
    )
    accessories = forms.MultipleChoiceField(
        label=_("Accessories included"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accessories_other = text_field(
        200,
        _("Other accessories"),
        css="form-control form-control-sm",
        placeholder=_("Other accessories"),
    )
    bundled = forms.BooleanField(label=_("Bundled with a tie"), required=False)
    box_no = forms.IntegerField(
        label=_("Box"),
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm num", "min": 1}),
    )

    def __init__(self, *args, models=(), required_accessories=None, **kwargs):
        super().__init__(*args, **kwargs)
        # model code -> the accessories its category requires (IV.P1)
        self.required_accessories = required_accessories or {}
        known = sorted({a for items in self.required_accessories.values() for a in items})
        self.fields["accessories"].choices = [(a, a) for a in known]
        self.fields["model_code"].widget = select_widget(
            code_choices(models, ("", _("Choose a model…"))),
            css="form-select form-select-sm",
        )

    @property
    def chosen_model(self) -> str:
        return (self["model_code"].value() or "").strip()

    def accessory_options(self) -> list[dict]:
        """The checkboxes of the row: what the chosen model's category requires (all
        known ones before a model is chosen), and any other one already ticked."""
        ticked = set(self["accessories"].value() or [])
        if self.chosen_model.upper() in self.required_accessories:
            wanted = set(self.required_accessories[self.chosen_model.upper()])
        else:
            wanted = {value for value, _label in self.fields["accessories"].choices}
        return [
            {"value": value, "checked": value in ticked, "required": value in wanted}
            for value, _label in self.fields["accessories"].choices
            if value in wanted or value in ticked
        ]

    def line_in(self) -> LineIn:
        data = self.cleaned_data
        accessories = list(data.get("accessories") or [])
        for extra in split_list(data.get("accessories_other") or ""):
            if extra.lower() not in {a.lower() for a in accessories}:
                accessories.append(extra)
        return LineIn(
            model_code=data.get("model_code") or "",
            quantity=data.get("quantity"),
            fault=data.get("fault") or "",
            box_no=data.get("box_no"),
            serial=data.get("serial") or "",
            accessories=accessories,
            bundled=bool(data.get("bundled")),
        )

    @staticmethod
    def initial_of(line) -> dict:
        """A saved line as the row's initial values."""
        known = set()
        required = list(line.model.category.required_accessories or [])
        known.update(required)
        ticked = [a for a in line.accessories if a in known]
        other = [a for a in line.accessories if a not in known]
        return {
            "model_code": line.model.code,
            "serial": line.serial,
            "quantity": line.quantity,
            "fault": line.fault,
            "accessories": ticked,
            "accessories_other": ", ".join(other),
            "bundled": line.bundled,
            "box_no": line.box_no,
        }


LineFormSet = forms.formset_factory(
    LineForm,
    extra=0,
    can_delete=True,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES + 20,
)


class LinesImportForm(ReturnsForm):
    file = forms.FileField(
        label=_("Lines from a spreadsheet (XLSX)"),
        required=False,
        help_text=_("The imported lines replace the lines below; nothing is saved until you save."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )


# --- Actions on a batch ---------------------------------------------------------------------


class RefuseForm(ReturnsForm):
    reason = text_field(
        300,
        _("Reason for refusal"),
        placeholder=_("e.g. the carrier asked for cash on delivery"),
    )


class ReceiptOpenForm(ReturnsForm):
    """IV.5: the day the parcel arrived (today unless the clerk says otherwise)."""

    received_on = forms.DateField(
        label=_("Date of receipt"),
        required=False,
        help_text=_("The day the parcel arrived: the turnaround counts from it (IV.5)."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class CloseReceiptForm(ReturnsForm):
    received_boxes = _number(_("Boxes received"), css="form-control num")


class ScanForm(ReturnsForm):
    code = code_field(60, _("Label code"))
    box_no = forms.IntegerField(label=_("Current box"), required=False, min_value=1)


class RecordUnitForm(ReturnsForm):
    kind = forms.ChoiceField(
        label=_("What arrived"),
        choices=[
            (ScanKind.UNLABELLED, ScanKind.UNLABELLED.label),
            (ScanKind.UNLISTED, ScanKind.UNLISTED.label),
        ],
        required=False,
    )
    box_no = forms.IntegerField(label=_("Box"), required=False, min_value=1)
    line_no = forms.IntegerField(label=_("Line of the list"), required=False, min_value=1)
    model_code = code_field(40, _("Model"))
    note = text_field(200, _("Note"), css="form-control form-control-sm")


class SetCountForm(ReturnsForm):
    line_no = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    counted = forms.IntegerField(
        label=_("Counted by hand"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm num", "min": 0}),
    )
    accessories_missing = forms.CharField(
        label=_("Accessories missing"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def missing(self) -> list[str]:
        checked = self.data.getlist("missing") if hasattr(self.data, "getlist") else []
        out = [c.strip() for c in checked if c.strip()]
        for extra in split_list(self.cleaned_data.get("accessories_missing") or ""):
            if extra not in out:
                out.append(extra)
        return out


class ResolveAnomalyForm(ReturnsForm):
    note = forms.CharField(
        label=pgettext_lazy("anomaly resolution", "What was agreed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )


class ContactAttemptForm(ReturnsForm):
    channel = select_field(
        _("Channel"),
        [(Channel.TELEPHONE, Channel.TELEPHONE.label), (Channel.FAX, Channel.FAX.label)],
        css="form-select form-select-sm",
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("", _("Choose…")),
            *(
                (o, o.label)
                for o in (
                    AttemptOutcome.REACHED,
                    AttemptOutcome.NO_ANSWER,
                    AttemptOutcome.WRONG_NUMBER,
                    AttemptOutcome.FAX_SENT,
                    AttemptOutcome.FAX_FAILED,
                )
            ),
        ],
        required=False,
        widget=select_widget(css="form-select form-select-sm"),
    )
    contact_person = text_field(100, _("Person contacted"), css="form-control form-control-sm")
    number_or_address = text_field(
        254, _("Number called or faxed"), css="form-control form-control-sm num"
    )
    note = text_field(500, _("Note"), css="form-control form-control-sm")


# --- Testing, dispositions and delays (IV.5, IV.6, IV.P2) ---------------------------------


def _textarea(label, *, rows: int = 2, max_length: int = 2000, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": rows}),
    )


class UnitTestForm(ReturnsForm):
    """The test of one returned unit: the result, the rule of section III for an
    exclusion with its evidence and photo, the serial read off the unit and, for a
    unit not on the packing list, its model."""

    result = forms.ChoiceField(
        label=_("Test result"),
        required=False,
        choices=TestResult.choices,
        widget=forms.RadioSelect,
    )
    excluded_rule = forms.ChoiceField(
        label=_("Rule of section III"),
        required=False,
        widget=select_widget(),
        help_text=_("Only for a unit excluded from the three guarantees."),
    )
    evidence = _textarea(
        _("Test notes and evidence"),
        rows=3,
        help_text=_("Required when no fault is found or the unit is excluded."),
    )
    serial_in = text_field(40, _("Serial number read off the unit"), css="form-control mono")
    model_code = code_field(40, _("Model"))
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("What the unit shows: required for III.4–III.8 and III.10. JPEG or PNG."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_rule"].choices = [
            ("", _("Choose a rule…")),
            *((rule, f"{rule} · {RULE_TITLES[rule]}") for rule in policy.EXCLUSION_RULES),
        ]
        self.fields["model_code"].widget = select_widget(
            code_choices(models, ("", _("Choose a model…")))
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **cleaned_texts(self, "result", "excluded_rule", "evidence", "serial_in"),
            "model_code": (data.get("model_code") or "").strip(),
            "photo": data.get("photo") or None,
        }


class UnitDisposeForm(ReturnsForm):
    """What is done with a tested unit: only the dispositions open after its test
    (II.3, IV.P2) are offered."""

    disposition = forms.ChoiceField(
        label=_("Disposition"), required=False, choices=(), widget=forms.RadioSelect
    )
    parts_used = _textarea(
        _("Parts used"), rows=2, max_length=2000, help_text=_("One part on each line.")
    )
    replacement_model_code = code_field(
        40,
        _("Replacement model"),
        help_text=_("The same model, or one whose specifications are not lower (II.3)."),
    )
    replacement_serial = text_field(
        40, _("Serial number of the replacement"), css="form-control mono"
    )
    charge_amount = forms.CharField(
        label=_("Charge (yuan)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"class": "form-control num", "inputmode": "decimal", "autocomplete": "off"}
        ),
    )
    charge_reason = text_field(
        300,
        _("Reason for the charge"),
        help_text=_("Printed on the delivery list (IV.P2)."),
    )
    retained_location = text_field(
        100,
        _("Where the replaced unit or parts are kept"),
        help_text=_("For a replacement or parts used (II.4)."),
        placeholder=_("e.g. shelf B-3"),
    )
    note = text_field(300, _("Note"))
    replacement_decision = replacement_decision_field()

    def __init__(self, *args, open_dispositions=(), models=(), may_decide=False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_replacement_decision(self, may_decide)
        self.fields["disposition"].choices = [(d, Disposition(d).label) for d in open_dispositions]
        self.fields["replacement_model_code"].widget = select_widget(
            code_choices(models, ("", _("The same model")))
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "disposition": data.get("disposition") or "",
            "parts_used": split_lines(data.get("parts_used") or ""),
            "replacement_model_code": (data.get("replacement_model_code") or "").strip(),
            "replacement_serial": (data.get("replacement_serial") or "").strip(),
            "charge_amount": (data.get("charge_amount") or "").strip() or None,
            **cleaned_texts(self, "charge_reason", "retained_location", "note"),
            **cleaned_texts(self, "replacement_decision"),
        }


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DelayForm(ReturnsForm):
    """IV.6: a unit (or a whole batch) held back for shortage or force majeure."""

    reason = forms.ChoiceField(
        label=_("Reason for the delay"),
        required=False,
        choices=[("", _("Choose…")), *DelayReason.choices],
        widget=select_widget(),
    )
    note = text_field(
        300,
        _("Note"),
        help_text=_("Marked on the printed packing list (IV.6)."),
        placeholder=_("e.g. battery cells on order"),
    )


# --- Shipments (IV.7) -----------------------------------------------------------------


class ShipmentFilterForm(FiltersMixin, ReturnsForm):
    sorting = SHIPMENT_SORTS
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *ShipmentStatus.choices]
    )
    return_org = forms.ChoiceField(label=_("Return unit"), required=False)

    def __init__(self, *args, return_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if return_orgs is None:
            del self.fields["return_org"]
        else:
            self.fields["return_org"].choices = code_choices(return_orgs, ANY, label="display_name")


class ShipmentForm(ReturnsForm):
    """A shipment being prepared: the units chosen (``unit_ids``, checkboxes of the
    page), the carrier and waybill if known, the return unit's order for delayed
    units (IV.6) and a note."""

    return_org_code = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    # The checkboxes of the page; which units may go is the service's to say.
    unit_ids = forms.Field(label=_("Units"), required=False, widget=forms.MultipleHiddenInput)
    carrier = text_field(60, _("Carrier"))
    waybill_no = text_field(
        60,
        _("Waybill number"),
        css="form-control mono",
        help_text=_("May be entered when the shipment leaves."),
    )
    order_no = text_field(
        60,
        _("Order number of the return unit"),
        css="form-control mono",
        help_text=_("Required when delayed units go: they travel with this order (IV.6)."),
    )
    note = text_field(500, _("Note"))

    def _raw_ids(self) -> list[str]:
        return self.data.getlist("unit_ids") if hasattr(self.data, "getlist") else []

    def chosen(self) -> set[int]:
        """The boxes to show ticked again: the ids that read as numbers."""
        if self.is_bound:
            raw = (str(v) for v in self._raw_ids())
            return {int(v) for v in raw if v.isascii() and v.isdecimal() and len(v) <= 19}
        return set(self.initial.get("unit_ids") or [])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "return_org_code": (data.get("return_org_code") or "").strip(),
            # As sent: the service says which of them is not a unit's number.
            "unit_ids": self._raw_ids(),
            **cleaned_texts(self, "carrier", "waybill_no", "order_no", "note"),
        }


class DispatchForm(ReturnsForm):
    waybill_no = text_field(60, _("Waybill number"), css="form-control mono")
    carrier = text_field(60, _("Carrier"))
