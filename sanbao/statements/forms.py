"""The filter forms of the statement and the look-up pages. They only parse: the
period's rules (the retention window, IV.8) are the builder's and come back as a
DomainError mapped onto these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.core.forms import BootstrapForm, FiltersMixin, code_choices, date_filter, search_field


class StatementForm(FiltersMixin, BootstrapForm):
    organisation = forms.ChoiceField(label=_("Return unit"), required=False)
    start = date_filter(pgettext_lazy("period", "From"))
    end = date_filter(pgettext_lazy("period", "To"))

    def __init__(self, *args, return_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if return_units is None:  # a return unit reads its own statement only
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = code_choices(
                return_units, ("", _("Choose…")), label="display_name"
            )


class RecordsForm(StatementForm):
    batch = search_field(20, _("Batch number starts with"), css="mono", spellcheck="false")
    serial = search_field(40, _("Serial number"), css="mono", spellcheck="false")
