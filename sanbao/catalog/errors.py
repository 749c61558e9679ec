"""Stable codes and messages of the catalogue's refusals, and of the
retained-parts ledger's (which keep the ``claims.*`` codes they had when the
ledger was part of claims: API clients know them; claims' catalogue takes them
from here)."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog, NotFound

# Reading and checking an import file (sanbao/catalog/importing.py).
IMPORT_MESSAGES = {
    "catalog.file_unreadable": _("The file could not be read as CSV or XLSX."),
    "catalog.file_empty": _("The file has no rows."),
    "catalog.file_unpacks_too_large": _(
        "The file unpacks to more than %(limit_mb)s MB or holds more than %(members)s parts: "
        "it is refused before it is opened."
    ),
    "catalog.file_too_large": _("The file has more than %(limit)s rows; split it."),
    "catalog.columns_missing": _("Required columns are missing: %(columns)s."),
    "catalog.value_required": _("This value is required."),
    "catalog.serial_invalid": _(
        "“%(value)s” is not a valid serial number (3–40 letters, digits, - _ / .)."
    ),
    "catalog.serial_repeated": _("Serial “%(value)s” is also on row %(other_row)s of this file."),
    "catalog.serial_registered_differently": _(
        "Serial “%(value)s” is already registered with different data (%(columns)s)."
    ),
    "catalog.model_unknown": _("No product model has the code “%(value)s”."),
    "catalog.date_invalid": _("“%(value)s” is not a date (use YYYY-MM-DD)."),
    "catalog.date_in_future": _("The sale date %(value)s is in the future."),
    "catalog.region_unknown": _(
        "“%(value)s” is not a region (mainland, hong_kong, macau, taiwan, overseas)."
    ),
    "catalog.boolean_invalid": _("“%(value)s” is not yes or no."),
    "catalog.organisation_unknown": _("No agent or enterprise has the code “%(value)s”."),
    "catalog.value_too_long": _("The value is longer than %(limit)s characters."),
    "catalog.lot_invalid": _(
        "“%(value)s” is not a production lot: use up to 40 letters, digits, - _ and . "
        "(no spaces or slashes)."
    ),
}

MESSAGES = IMPORT_MESSAGES | {
    # Writing units (sanbao/catalog/services.py).
    "catalog.import_conflict": _(
        "Another import registered some of these serial numbers at the same time; "
        "nothing was written. Import the file again."
    ),
    "catalog.import_rejected": _("%(bad)s of %(total)s rows are not valid; nothing was imported."),
    "catalog.serial_taken": _("The serial number “%(serial)s” is already registered."),
    "catalog.category_not_found": NotFound.default_message,
    "catalog.model_not_found": NotFound.default_message,
    "catalog.unit_not_found": NotFound.default_message,
    "catalog.lot_not_found": NotFound.default_message,
}

ERRORS = ErrorCatalog("catalog", MESSAGES)

# The retained-parts ledger's refusals (II.4), raised here and answered by claims'
# pages and API: sanbao/claims/errors.py adds them to its catalogue.
LEDGER_MESSAGES = {
    "claims.location_required": _("Say where the retained unit or parts are kept (II.4)."),
    "claims.retained_part_not_found": _("No such retained part."),
    "claims.retained_kind_invalid": _("A retained item is a whole unit or a part."),
    "claims.already_disposed": _("This part has already been disposed of."),
    "claims.disposal_invalid": _(
        "Choose how the part is disposed of; it is never returned to the user (II.4)."
    ),
}
