"""Forms of the deliveries pages that the platform uses: entering a delivery (its
note, its boxes and the products in them) and importing deliveries from a file.

They only parse: every field is optional text and nothing is refused here. What
a delivery needs, ``services.deliveries.delivery_create`` says, by the field
(``note_no``, ``boxes.0.expected_weight_g``, ``items.1.quantity``), and the page
puts each message beside its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.core.forms import BootstrapForm, FiltersMixin, code_choices, select_widget
from sanbao.deliveries.errors import MESSAGES
from sanbao.deliveries.models import DeclarationStatus
from sanbao.deliveries.selectors import DECLARATION_SORTS

NONE_CHOSEN = ("", "—")
ANY = ("", _("Any"))
# Blank rows a new delivery offers; "add a row" adds one more.
BOX_ROWS = 3
ITEM_ROWS = 4
BOXES_PREFIX = "boxes"
ITEMS_PREFIX = "items"


def _text(label, *, maxlength: int, css: str = "form-control", **attrs) -> forms.CharField:
    """Optional text; ``maxlength`` only helps the browser (the service checks)."""
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={"class": css, "autocomplete": "off", "maxlength": maxlength, **attrs}
        ),
    )


def _whole(label, *, css: str = "form-control num", **attrs) -> forms.CharField:
    """A whole number as typed: the service reads it and names the range."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"class": css, "inputmode": "numeric", "min": 0, **attrs}),
    )


class DeliveryForm(BootstrapForm):
    """The delivery note: who it goes to, its number, the carrier and when it left."""

    agent_code = forms.CharField(label=_("Agent"), required=False)
    note_no = _text(_("Delivery note number"), maxlength=60, css="form-control mono")
    carrier = _text(_("Carrier"), maxlength=60)
    waybill_no = _text(_("Waybill number"), maxlength=60, css="form-control mono")
    shipped_at = forms.CharField(
        label=_("Time shipped"),
        required=False,
        help_text=_("In the platform's time zone."),
        widget=forms.DateTimeInput(attrs={"class": "form-control", "type": "datetime-local"}),
    )

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent_code"].widget = select_widget(
            code_choices(agents, NONE_CHOSEN, label="display_name")
        )

    def texts(self) -> dict[str, str]:
        """The header as typed (the form is always valid: it refuses nothing)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class BoxForm(BootstrapForm):
    """One box: its number on the delivery note and its expected weight."""

    box_no = _whole(_("Box"), min=1, max=999)
    expected_weight_g = _whole(_("Expected weight (g)"))

    def values(self) -> dict[str, str]:
        return {
            "box_no": (self.cleaned_data.get("box_no") or "").strip(),
            "expected_weight_g": (self.cleaned_data.get("expected_weight_g") or "").strip(),
        }


class ItemForm(BootstrapForm):
    """One product line: the model, how many, and the box they are in."""

    model_code = forms.CharField(label=_("Product model"), required=False)
    quantity = _whole(_("Quantity"), min=1)
    box_no = _whole(_("Box"), min=1, max=999)

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_code"].widget = select_widget(code_choices(models, NONE_CHOSEN))

    def values(self) -> dict[str, str]:
        return {name: (self.cleaned_data.get(name) or "").strip() for name in self.fields}


BoxFormSet = forms.formset_factory(BoxForm, extra=0, max_num=999, absolute_max=999)
ItemFormSet = forms.formset_factory(ItemForm, extra=0, max_num=2000, absolute_max=2000)


class DeliveryImportForm(BootstrapForm):
    """A file from the brand's shipping system."""

    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("UTF-8 or GB18030 CSV, or an Excel workbook (first sheet)."),
        error_messages={"required": MESSAGES["deliveries.import_no_file"]},
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.xlsx,text/csv"}
        ),
    )


class DeclarationFilterForm(FiltersMixin, BootstrapForm):
    """The declaration list's filter: by status (the home pages link to the
    declarations being prepared and to those waiting for a decision)."""

    sorting = DECLARATION_SORTS

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *DeclarationStatus.choices]
    )
