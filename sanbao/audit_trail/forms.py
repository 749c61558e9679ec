"""The audit trail's filter form."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.audit_trail.selectors import EVENT_SORTS
from sanbao.core import audit
from sanbao.core.forms import (
    BootstrapForm,
    FiltersMixin,
    code_choices,
    date_filter,
    search_field,
    select_field,
)

ANY = ("", _("Any"))


class AuditFilterForm(FiltersMixin, BootstrapForm):
    sorting = EVENT_SORTS
    record_type = select_field(_("Record type"), [])
    record = search_field(200, _("Record (number or id)"))
    user = search_field(150, _("User"))
    organisation = select_field(_("Organisation"), [])
    action = select_field(_("Action"), [])
    date_from = date_filter(pgettext_lazy("period", "From"))
    date_to = date_filter(pgettext_lazy("period", "Until"))

    def __init__(self, *args, organisations=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        kinds = sorted(audit.kinds().values(), key=lambda k: str(k.name))
        self.fields["record_type"].choices = [ANY, *((k.target_type, k.name) for k in kinds)]
        self.fields["organisation"].choices = code_choices(organisations, ANY, label="display_name")
        self.fields["action"].choices = [ANY, *((a, audit.event_label(a)) for a in actions)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data
