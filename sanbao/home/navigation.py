"""The navigation, by permission: one list so every page shows the same menu.

An entry is (url name, label, permission or None for every logged-in user); a
group is (label, [entries]) and shows as a dropdown of the entries the user may use.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAVIGATION = [
    ("home", _("Home"), None),
    ("claims:claim_list", _("Warranty claims"), "claims.view"),
    (
        pgettext_lazy("menu", "Returns"),
        [
            ("returns:batch_list", _("Return batches"), "returns.view"),
            ("returns:queue", _("Turnaround queue"), "returns.receive"),
            ("returns:shipment_list", _("Shipments"), "returns.view"),
        ],
    ),
    ("deliveries:delivery_list", _("Deliveries"), "deliveries.view"),
    (
        _("Reconciliation"),
        [
            ("statements:statement", _("Reconciliation statement"), "statements.view"),
            ("statements:records", _("Repair and delivery data"), "statements.view"),
        ],
    ),
    ("claims:retained_part_list", _("Retained parts"), "retained_parts.view"),
    (
        _("Catalog"),
        [
            ("catalog:category_list", _("Categories"), "catalog.view"),
            ("catalog:model_list", _("Product models"), "catalog.view"),
            ("catalog:unit_list", _("Units"), "units.view"),
            ("catalog:unit_import", _("Import units"), "units.import"),
            ("workdays:calendar", _("Working-day calendar"), "calendar.view"),
        ],
    ),
    ("accounts:organisation_list", _("Organisations"), "organisations.view"),
    ("audit_trail:event_list", _("Audit trail"), "audit.view"),
    ("accounts:legal_hold_list", _("Legal holds"), "holds.manage"),
    ("insights:dashboard", _("Dashboard"), "dashboard.view"),
]
