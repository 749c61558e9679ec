from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import time_zones
from sanbao.accounts.roles import OrgKind
from sanbao.accounts.selectors import ORGANISATION_SORTS
from sanbao.core.forms import BootstrapForm, FiltersMixin, select_field, select_widget


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “ERP integration”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the token stops working at the end of this day."),
    )


def time_zone_choices() -> list:
    """The blank choice (the platform's zone, named), then every zone the server
    knows grouped by its region (``Europe``, ``America``, …)."""
    groups: dict[str, list] = {}
    for name in time_zones():
        region = name.split("/", 1)[0] if "/" in name else _("Other")
        groups.setdefault(str(region), []).append((name, name.replace("_", " ")))
    blank = _("The platform's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", blank), *groups.items()]


class PreferencesForm(BootstrapForm):
    """The user's own language and time zone, kept on their account."""

    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=select_widget()
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_(
            "Every time on the pages, in messages and in the API's messages is shown in "
            "this zone, and the times you type are read in it."
        ),
        widget=select_widget(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


class LegalHoldForm(forms.Form):
    """IV.8: put a record or a whole return unit on hold (the kinds are set by the view)."""

    kind = forms.ChoiceField(label=_("What to hold"), choices=())
    reference = forms.CharField(
        label=_("Number or code"),
        max_length=40,
        help_text=_("The record's number (e.g. R2612-0001), or the return unit's code."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it must be kept: the dispute, the request, the case number."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class OrganisationFilterForm(FiltersMixin, BootstrapForm):
    """The organisations' list: one kind (``?kind=``), in the order chosen."""

    sorting = ORGANISATION_SORTS
    kind = select_field(_("Kind"), [("", _("Any")), *OrgKind.choices])
