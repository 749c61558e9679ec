"""The unit a claim is taken in for, and what its past says about the claim, in
one statement (issue 14): the intake used to ask six questions one by one (the
unit with its model and category, the unit that replaced it, whether the brand
keeps it, its live claim, its repairs, the claim it was a replacement in), and
building each of them with the ORM cost more CPU than the database spent
answering all six.

What the intake does with the answers stays in ``services.claim_create`` and
``warranty``; this module only reads. It is not scoped to an actor: the caller
decides what the claimant may be shown (``services._check_claimable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connections

from sanbao.catalog.models import Category, ProductModel, RetainedPart, RetainedPartKind, Unit
from sanbao.claims.models import LIVE_STATUSES, Claim, Outcome
from sanbao.core import rows


@dataclass(frozen=True)
class UnitHistory:
    """What the registry, the ledger and the claims say of a registered unit."""

    successor_serial: str | None  # the newest unit registered as its replacement
    kept: bool  # the retained-parts ledger holds a unit of its serial (II.4)
    live_claim: str | None  # the number of its oldest claim still being dealt with
    repaired: bool  # a claim of it ended in a repair (repair days, same-fault repairs)
    replaced_in_claim: bool  # it is the replacement unit of a claim resolved so (I.2)

    @property
    def extends_warranty(self) -> bool:
        """Whether ``warranty.days_in_repair_before`` can find anything: days in
        repair are counted from the unit's repaired claims and, for a replacement,
        from the unit it replaced. Without either there are none to count."""
        return self.repaired or self.replaced_in_claim


@cache
def _statement(using: str) -> tuple[str, tuple]:
    """The SQL (written once per process) and its fixed parameters."""
    quote = connections[using].ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def col(alias: str, model, name: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    live = ", ".join(["%s"] * len(LIVE_STATUSES))
    sql = (
        f"SELECT {rows.select_list(Unit, 'u', using)}, "
        f"{rows.select_list(ProductModel, 'm', using)}, "
        f"{rows.select_list(Category, 'c', using)}, "
        # Unit.replaces: the newest unit registered in its place.
        f"(SELECT {col('s', Unit, 'serial')} FROM {table(Unit)} s "
        f"WHERE {col('s', Unit, 'replaces')} = {col('u', Unit, 'id')} "
        f"ORDER BY {col('s', Unit, 'id')} DESC LIMIT 1), "
        # The ledger names a kept unit by its serial, whatever its case.
        f"EXISTS (SELECT 1 FROM {table(RetainedPart)} r "
        f"WHERE {col('r', RetainedPart, 'kind')} = %s "
        f"AND UPPER({col('r', RetainedPart, 'serial')}) = UPPER({col('u', Unit, 'serial')})), "
        f"(SELECT {col('l', Claim, 'number')} FROM {table(Claim)} l "
        f"WHERE {col('l', Claim, 'unit')} = {col('u', Unit, 'id')} "
        f"AND {col('l', Claim, 'status')} IN ({live}) "
        f"ORDER BY {col('l', Claim, 'id')} LIMIT 1), "
        f"EXISTS (SELECT 1 FROM {table(Claim)} p "
        f"WHERE {col('p', Claim, 'unit')} = {col('u', Unit, 'id')} "
        f"AND {col('p', Claim, 'outcome')} = %s), "
        f"EXISTS (SELECT 1 FROM {table(Claim)} q "
        f"WHERE {col('q', Claim, 'replacement_unit')} = {col('u', Unit, 'id')} "
        f"AND {col('q', Claim, 'outcome')} = %s) "
        f"FROM {table(Unit)} u "
        f"INNER JOIN {table(ProductModel)} m "
        f"ON {col('u', Unit, 'model')} = {col('m', ProductModel, 'id')} "
        f"INNER JOIN {table(Category)} c "
        f"ON {col('m', ProductModel, 'category')} = {col('c', Category, 'id')} "
        f"WHERE {col('u', Unit, 'serial')} = %s"
    )
    fixed = (
        str(RetainedPartKind.UNIT),
        *(str(s) for s in LIVE_STATUSES),
        str(Outcome.REPAIRED),
        str(Outcome.REPLACED),
    )
    return sql, fixed


def unit_with_history(serial: str) -> tuple[Unit | None, UnitHistory | None]:
    """The registered unit of exactly ``serial`` (with its model and category, as
    ``catalog.selectors.unit_find`` gives it) and its history; ``(None, None)``
    when no unit has that serial."""
    serial = (serial or "").strip()
    if not serial:
        return None, None
    using = Unit.objects.db
    sql, fixed = _statement(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*fixed, serial])
        row = cursor.fetchone()
    if row is None:
        return None, None
    a, b, c = rows.width(Unit), rows.width(ProductModel), rows.width(Category)
    unit = rows.instance(Unit, row[:a], using)
    model = rows.instance(ProductModel, row[a : a + b], using)
    model.category = rows.instance(Category, row[a + b : a + b + c], using)
    unit.model = model
    successor, kept, live, repaired, replaced_in = row[a + b + c :]
    return unit, UnitHistory(
        successor_serial=successor,
        kept=bool(kept),
        live_claim=live,
        repaired=bool(repaired),
        replaced_in_claim=bool(replaced_in),
    )
