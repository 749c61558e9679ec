"""Search from anywhere (issue 15): what the box in the top bar finds.

One typed or scanned text is looked up among the records the user may see: a
return batch by its number (the barcode on the packing list and on the labels'
sheet is the number) or by its waybill, a fault label (IV.3: batch number, line
and unit) leading to the unit received with it or to its batch's line, a
warranty claim, an unpacking-damage declaration, a delivery and a returns
shipment (delivery list, IV.7) by number, the last two by waybill too, and a
registered unit by its serial.

Each kind is read through its own app's selectors (``batch_list``, ``claim_list``,
``unit_get``…), so their scoping is the search's: a record of another organisation
is never found, and nothing on the page says that it exists. A kind the user may
not read at all (an outlet and return batches) is not searched.

Every look-up is index-backed and returns at most ``HITS_PER_KIND`` (+1) rows: a
number exactly or by its beginning once ``PREFIX_MIN`` characters are typed (the
unique ``number`` columns; on PostgreSQL their ``_like`` index serves ``LIKE
'R2612-7%'``), a waybill exactly (in any of three spellings, on the
``waybill_no`` indexes of returns and deliveries), a serial exactly
(``Unit.serial`` is unique), a label by its batch's number and the received
unit's ``(batch, code)``. No leading-wildcard match: so the number of queries is
fixed, and none reads a whole table.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import PLATFORM_ROLES, can
from sanbao.catalog import selectors as catalog_selectors
from sanbao.claims import selectors as claims_selectors
from sanbao.core.errors import NotFound
from sanbao.core.tenancy import typed_number
from sanbao.deliveries import selectors as deliveries_selectors
from sanbao.returns import policy as returns_policy
from sanbao.returns import selectors as returns_selectors

# The longest thing searched for is a waybill (``waybill_no``: 60 characters);
# anything longer is not one of them (a scanner that read two codes at once).
TEXT_MAX = 60
# Numbers match by their beginning from this many characters (``R2612-7``: a
# thirty-second of a month's batches); shorter, only exactly.
PREFIX_MIN = 7
# Hits shown per kind; one more is read to tell that there are more.
HITS_PER_KIND = 10

# Why a text was not searched (the page says it in the user's language).
EMPTY, TOO_LONG, UNREADABLE = "empty", "too_long", "unreadable"
PROBLEMS = {
    EMPTY: _("Type or scan a number, a serial number or a waybill number to search for."),
    TOO_LONG: _(
        "That is too long to be a number, a serial or a waybill (at most %(max)s characters)."
    ),
    UNREADABLE: _("That contains characters no number, serial or waybill has (control codes)."),
}

# The kinds of record, in the order the results page shows them, with their titles.
BATCH, LABEL, CLAIM, DECLARATION, DELIVERY, SHIPMENT, UNIT = (
    "batch",
    "label",
    "claim",
    "declaration",
    "delivery",
    "shipment",
    "unit",
)
KINDS = {
    BATCH: _("Return batches"),
    LABEL: _("Fault labels"),
    CLAIM: _("Warranty claims"),
    DECLARATION: _("Unpacking-damage declarations"),
    DELIVERY: _("Deliveries"),
    SHIPMENT: _("Shipments (delivery lists)"),
    UNIT: _("Units"),
}


@dataclass(frozen=True)
class Hit:
    """One record found: what it is called, a line about it, and its page."""

    kind: str
    name: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: str
    hits: list[Hit]
    more: bool  # more than HITS_PER_KIND matched: the list is cut

    @property
    def title(self):
        return KINDS[self.kind]


@dataclass(frozen=True)
class SearchResult:
    text: str  # as typed, spaces around taken off
    problem: str = ""  # EMPTY, TOO_LONG, UNREADABLE, or "" when searched
    groups: list[Group] = field(default_factory=list)

    @property
    def problem_message(self) -> str:
        return str(PROBLEMS[self.problem]) % {"max": TEXT_MAX} if self.problem else ""

    @property
    def hits(self) -> list[Hit]:
        return [hit for group in self.groups for hit in group.hits]

    @property
    def only(self) -> Hit | None:
        """The one record found, when exactly one was: the page to go straight to."""
        hits = self.hits
        return hits[0] if len(hits) == 1 and not any(g.more for g in self.groups) else None


def problem_of(text: str) -> str:
    """Why ``text`` (spaces around taken off) cannot be searched for, or ""."""
    if not text:
        return EMPTY
    if len(text) > TEXT_MAX:
        return TOO_LONG
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        return UNREADABLE
    return ""


def record_search(*, actor, text: str | None) -> SearchResult:
    """What ``text`` (typed or scanned) finds among the records ``actor`` may see,
    grouped by kind; a text that cannot be a number, serial or waybill is not
    searched (``problem``)."""
    text = (text or "").strip()
    problem = problem_of(text)
    if problem:
        return SearchResult(text=text, problem=problem)
    number = typed_number(text)
    # A waybill exactly as typed, or with its letters all capitals or all small
    # (as one clerk typed it and another's scanner reads it): each an indexed match.
    waybills = sorted({text, number, text.lower()})
    found = {
        BATCH: _batches(actor, number, waybills),
        LABEL: _label(actor, number),
        CLAIM: _claims(actor, number),
        DECLARATION: _declarations(actor, number),
        DELIVERY: _deliveries(actor, number, waybills),
        SHIPMENT: _shipments(actor, number, waybills),
        UNIT: _units(actor, text),
    }
    groups = [
        Group(kind, hits[:HITS_PER_KIND], more=len(hits) > HITS_PER_KIND)
        for kind, hits in found.items()
        if hits
    ]
    return SearchResult(text=text, groups=groups)


def _number_match(number: str) -> Q:
    """The records whose number is ``number`` or, once it is ``PREFIX_MIN``
    characters long, begins with it (a shorter beginning, ``R2612-``, would match
    a whole month's records)."""
    if len(number) >= PREFIX_MIN:
        return Q(number__startswith=number)
    return Q(number=number)


def _first(queryset) -> list:
    """The first ``HITS_PER_KIND`` + 1 rows, by number (one query)."""
    return list(queryset.order_by("number")[: HITS_PER_KIND + 1])


def _org(actor, organisation) -> str:
    """The organisation a record belongs to, named for the platform only (a
    return unit or outlet sees its own records)."""
    return organisation.code if actor.role in PLATFORM_ROLES and organisation else ""


def _detail(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _batches(actor, number: str, waybills: list[str]) -> list[Hit]:
    if not can(actor, "returns.view"):
        return []
    batches = returns_selectors.batch_list(actor=actor).filter(
        _number_match(number) | Q(waybill_no__in=waybills)
    )
    return [
        Hit(
            BATCH,
            b.number,
            _detail(b.get_status_display(), _org(actor, b.return_org), b.waybill_no),
            reverse("returns:batch_detail", args=[b.number]),
        )
        for b in _first(batches)
    ]


def _label(actor, code: str) -> list[Hit]:
    """IV.3: a fault label scanned: the unit received with it once its batch is
    under test, else its batch at its line."""
    label = returns_policy.parse_label_code(code)
    if label is None or not can(actor, "returns.view"):
        return []
    batch_number, line_no, _seq = label
    try:
        batch = returns_selectors.batch_get(actor=actor, number=batch_number)
    except NotFound:
        return []
    unit = returns_selectors.returned_unit_list(actor=actor, batch=batch).filter(code=code).first()
    if unit is not None:
        url = reverse("returns:unit_detail", args=[batch.number, unit.seq])
        detail = _detail(
            batch.number,
            _("line %(line)s") % {"line": line_no},
            unit.model.code if unit.model_id else "",
        )
    else:
        url = reverse("returns:batch_detail", args=[batch.number]) + f"#line-{line_no}"
        detail = _detail(batch.number, _("line %(line)s") % {"line": line_no})
    return [Hit(LABEL, code, detail, url)]


def _claims(actor, number: str) -> list[Hit]:
    if not can(actor, "claims.view"):
        return []
    claims = claims_selectors.claim_list(actor=actor).filter(_number_match(number))
    return [
        Hit(
            CLAIM,
            c.number,
            _detail(c.get_status_display(), c.model.code, c.serial),
            reverse("claims:claim_detail", args=[c.number]),
        )
        for c in _first(claims)
    ]


def _declarations(actor, number: str) -> list[Hit]:
    if not can(actor, "deliveries.view"):
        return []
    declarations = deliveries_selectors.declaration_list(actor=actor).filter(_number_match(number))
    return [
        Hit(
            DECLARATION,
            d.number,
            _detail(d.get_status_display(), d.delivery.number, _org(actor, d.delivery.agent)),
            reverse("deliveries:declaration_detail", args=[d.number]),
        )
        for d in _first(declarations)
    ]


def _deliveries(actor, number: str, waybills: list[str]) -> list[Hit]:
    if not can(actor, "deliveries.view"):
        return []
    deliveries = deliveries_selectors.delivery_list(actor=actor).filter(
        _number_match(number) | Q(waybill_no__in=waybills)
    )
    return [
        Hit(
            DELIVERY,
            d.number,
            _detail(d.get_status_display(), _org(actor, d.agent), d.carrier, d.waybill_no),
            reverse("deliveries:delivery_detail", args=[d.number]),
        )
        for d in _first(deliveries)
    ]


def _shipments(actor, number: str, waybills: list[str]) -> list[Hit]:
    if not can(actor, "returns.view"):
        return []
    shipments = returns_selectors.shipment_list(actor=actor).filter(
        _number_match(number) | Q(waybill_no__in=waybills)
    )
    return [
        Hit(
            SHIPMENT,
            s.number,
            _detail(s.get_status_display(), _org(actor, s.return_org), s.carrier, s.waybill_no),
            reverse("returns:shipment_detail", args=[s.number]),
        )
        for s in _first(shipments)
    ]


def _units(actor, text: str) -> list[Hit]:
    """A registered unit by its exact serial, as typed or in capitals: through
    ``unit_get``, which lets an outlet look up any unit a consumer brings in."""
    if not can(actor, "units.view"):
        return []
    for serial in dict.fromkeys([text, text.upper()]):
        try:
            unit = catalog_selectors.unit_get(actor=actor, serial=serial)
        except NotFound:
            continue
        return [
            Hit(
                UNIT,
                unit.serial,
                _detail(unit.model.code, unit.model.name),
                reverse("catalog:unit_detail", args=[unit.serial]),
            )
        ]
    return []
