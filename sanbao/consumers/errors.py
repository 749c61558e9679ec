"""Stable codes and messages of the consumers app's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "consumers.lot_too_large": _(
        "The lot %(lot)s has %(count)s units; a sheet of warranty cards holds at most "
        "%(limit)s. Ask an administrator to split the lot or to raise "
        "SANBAO_CARD_SHEET_MAX_UNITS."
    ),
}

ERRORS = ErrorCatalog("consumers", MESSAGES)
