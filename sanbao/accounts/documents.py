"""The accounts' list pages as workbooks (their "Export as XLSX" links): the
organisations and the legal holds (IV.8). Each column is the page table's, under
the same label, in its order (``sanbao.core.lists``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanbao.core.lists import Column, list_export

ORGANISATIONS = list_export(
    "accounts.organisations_xlsx",
    title=_("Organisations"),
    stem="organisations",
    columns=[
        Column(_("Code"), lambda o: o.code),
        Column(_("Kind"), lambda o: o.get_kind_display()),
        Column(_("Name"), lambda o: o.display_name),
        Column(_("Contact person"), lambda o: o.contact_person),
        Column(_("Telephone"), lambda o: o.phone),
        Column(_("Fax"), lambda o: o.fax),
    ],
)


def _when_who(at, user) -> str:
    """A moment and who acted then, as the page writes it (local time)."""
    if at is None:
        return ""
    name = user.display_name if user is not None else ""
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M} {name}".strip()


def _status(hold) -> str:
    return gettext("On hold") if hold.is_active else gettext("Released")


# A row of the legal holds' page is (hold, the kind of record it holds, named).
LEGAL_HOLDS = list_export(
    "accounts.legal_holds_xlsx",
    title=_("Legal holds"),
    stem="legal-holds",
    columns=[
        Column(_("Record type"), lambda row: capfirst(str(row[1]))),
        Column(_("Record"), lambda row: row[0].target_repr),
        Column(_("Status"), lambda row: _status(row[0])),
        Column(_("Reason"), lambda row: row[0].reason),
        Column(_("Set by"), lambda row: _when_who(row[0].set_at, row[0].set_by)),
        Column(_("Released by"), lambda row: _when_who(row[0].released_at, row[0].released_by)),
    ],
)
