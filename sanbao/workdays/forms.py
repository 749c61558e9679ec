"""Forms of the calendar page. They only parse: the rules (the years covered, a
name's length, a year the library knows) are the services', and come back as a
DomainError that the view maps onto these fields."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanbao.core.forms import BootstrapForm, text_field
from sanbao.workdays.models import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, DayKind
from sanbao.workdays.services import MAX_WORKING_DAYS


class CalendarForm(BootstrapForm):
    """The base of the calendar page's forms."""


def _date(label, **attrs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control", **attrs}, format="%Y-%m-%d"
        ),
    )


def _text(label, max_length: int, help_text) -> forms.CharField:
    return text_field(max_length, label, help_text=help_text)


class DayForm(CalendarForm):
    """An override: a date made a holiday or a make-up working day."""

    day = _date(_("Date"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=DayKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    name = _text(_("Name"), NAME_MAX_LENGTH, _("For example 国庆节 / National Day."))


class YearEnteredForm(CalendarForm):
    note = _text(
        _("Note"),
        NOTE_MAX_LENGTH,
        _("For example the State Council notice the schedule comes from."),
    )


class DueForm(CalendarForm):
    """IV.5: the n-th working day after a date."""

    start = _date(_("Counted from"))
    n = forms.IntegerField(
        label=_("Working days"),
        required=False,
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=settings.SANBAO_TURNAROUND_WORKING_DAYS,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": 1, "max": MAX_WORKING_DAYS}
        ),
    )
