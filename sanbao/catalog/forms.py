"""Forms of the catalog pages. They only parse; rules live in selectors and services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.catalog.models import Region
from sanbao.catalog.replacements import MAX_DECISION_REASON
from sanbao.catalog.selectors import MODEL_SORTS, UNIT_SORTS
from sanbao.catalog.services import ImportMode
from sanbao.core.forms import FiltersMixin, code_choices, date_filter, search_field

ANY = ("", _("Any"))


class ModelFilterForm(FiltersMixin, forms.Form):
    sorting = MODEL_SORTS
    category = forms.ChoiceField(label=_("Category"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name")}),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = code_choices(categories, ANY)


class ReplacementCheckForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Replacement model"))

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = code_choices(models, ("", _("Choose a model…")))


class UnitLookupForm(forms.Form):
    lookup = forms.CharField(
        label=_("Serial number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": _("Exact serial number"), "autocomplete": "off"}
        ),
    )


class UnitFilterForm(FiltersMixin, forms.Form):
    sorting = UNIT_SORTS
    serial = search_field(40, _("Serial starts with"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    model = forms.ChoiceField(label=_("Model"), required=False)
    region = forms.ChoiceField(
        label=_("Region of sale"), required=False, choices=[ANY, *Region.choices]
    )
    channel_org = search_field(32, _("Sold through (code)"))
    authorised = forms.TypedChoiceField(
        label=_("Authorised channel"),
        required=False,
        choices=[ANY, ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    sold_from = date_filter(_("Sold from"))
    sold_to = date_filter(_("Sold until"))

    def __init__(self, *args, categories=(), models=(), channel_filter=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = code_choices(categories, ANY)
        self.fields["model"].choices = code_choices(models, ANY)
        if not channel_filter:  # an agent or enterprise only sees its own units
            del self.fields["channel_org"]


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("UTF-8 or GB18030 CSV, or an Excel workbook (first sheet)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=_("If some rows are not valid"),
        choices=[
            (ImportMode.ALL_OR_NOTHING, _("All or nothing: import nothing, show the errors")),
            (ImportMode.VALID_ONLY, _("Import only the valid rows, report the others")),
        ],
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    # The "import only the valid rows" button under a rejected report sends this.
    retry_valid_only = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("retry_valid_only"):
            data["mode"] = ImportMode.VALID_ONLY
        return data


# II.3 (issue 10 item 6): the claims and returns forms that choose a replacement model.
def replacement_decision_field() -> forms.CharField:
    """II.3: a manager's reason for accepting a different model when the original
    has no performance specifications recorded (audited). Only users holding
    ``replacements.decide`` are offered it (see ``offer_replacement_decision``)."""
    return forms.CharField(
        label=_("Manager's decision: why this model may replace it"),
        required=False,
        max_length=MAX_DECISION_REASON,
        help_text=_(
            "Only when the original model has no performance specifications recorded: "
            "a different model is then accepted on your decision, recorded in the audit "
            "trail (II.3)."
        ),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


def offer_replacement_decision(form, may_decide: bool) -> None:
    """Drop the decision field from the form of a user who may not decide (II.3)."""
    if not may_decide:
        form.fields.pop("replacement_decision", None)
