"""Reads for the consumer's side: the unit behind a signed card URL and what its
card page shows, and the units of a production lot whose cards are printed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.models import Unit
from sanbao.claims.warranty import unit_warranty_end
from sanbao.consumers.cards import masked_card_no, signature_valid
from sanbao.consumers.models import Registration


def unit_for_card(*, serial: str, signature: str) -> Unit | None:
    """The unit a card URL names, or None. The signature is checked first, in
    constant time and without the database, so that a forged URL learns nothing,
    not even whether the serial exists: a wrong, missing or truncated signature,
    another serial's, and an unknown serial all come to the same None."""
    if not serial or not signature_valid(serial, signature):
        return None
    return catalog_selectors.unit_find(serial=serial)


@dataclass(frozen=True)
class CardFacts:
    """Everything the public card page may show about a unit, and nothing more: no
    channel organisation, no claim, no person (the page has no login)."""

    serial: str
    model_code: str
    model_name: str  # in the page's language
    category_name: str
    sale_date: dt.date | None
    in_mainland: bool  # I.1
    region_label: str
    authorised_channel: bool  # III.1
    warranty_end: dt.date | None  # I.2, the days in repair included
    days_in_repair: int
    in_warranty: bool | None  # None: no start date known
    card_no_masked: str  # II.2, III.3


def card_facts(unit: Unit, *, today: dt.date | None = None) -> CardFacts:
    """The card page's facts of ``unit``: its model and category, the region and
    channel the registry records (III.3: never what someone types), and its
    warranty end with the days spent in warranty repair (``claims.warranty``),
    counted from the delivery the consumer registered with its proof when no
    claim recorded one (I.2: the warranty runs from the delivery, not the sale)."""
    registered = (
        Registration.objects.filter(unit=unit).values_list("delivered_on", flat=True).first()
    )
    end, days = unit_warranty_end(unit, delivered_on=registered)
    today = today or timezone.localdate()
    model = unit.model
    return CardFacts(
        serial=unit.serial,
        model_code=model.code,
        model_name=model.name,
        category_name=model.category.name,
        sale_date=unit.sale_date,
        in_mainland=unit.in_scope,
        region_label=str(unit.get_region_display()),
        authorised_channel=unit.authorised_channel,
        warranty_end=end,
        days_in_repair=days,
        in_warranty=None if end is None else today <= end,
        card_no_masked=masked_card_no(unit.warranty_card_no),
    )


@dataclass(frozen=True)
class Lot:
    """A production lot to print: its name, how many units it has, and its units
    (at most one more than a sheet may hold: the renderer refuses a larger lot)."""

    number: str
    count: int
    units: list[Unit] = field(default_factory=list)


def lot_get(*, actor, number: str) -> Lot:
    """The production lot ``number`` for printing its warranty cards
    (``units.print_cards``); a lot with no unit is a 404."""
    units = catalog_selectors.lot_units(actor=actor, lot=number)
    limit = settings.SANBAO_CARD_SHEET_MAX_UNITS
    first = list(units[: limit + 1])
    count = len(first) if len(first) <= limit else units.count()
    return Lot(number=number.strip(), count=count, units=first)
