"""Hot reads compiled once per process (issue 14).

Building and compiling a Django query costs more CPU than PostgreSQL spends running
it: a ``select_related`` read of a token with its user and organisation spends most
of its time quoting some sixty column names. A :class:`Prepared` query is built once
from a queryset with stand-in values, compiled once per database connection kind,
and afterwards run with the real values put in the stand-ins' places. The rows come
back through Django's own iterable (converters, ``select_related`` objects,
``values()`` dicts), exactly as from the queryset.

Only the values of named parameters change between runs; the shape of the query does
not. Each parameter is declared with its kind, which says how a value is adapted for
the database (the same adaptation the field would apply)::

    TOKEN = Prepared(
        lambda p: ApiToken.objects.filter(key_hash=p.key_hash, expires_at__gt=p.now)[:1],
        key_hash=str,
        now=dt.datetime,
    )
    token = next(iter(TOKEN(key_hash=..., now=timezone.now())), None)

A stand-in that does not come out as a parameter of the compiled SQL (a lookup that
inlines its value, or a value used twice in different forms) is refused when the
query is first prepared, so a wrong use fails in the first test that runs it.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_SEQUENCE = itertools.count(1)


def _stand_in(kind: type) -> Any:
    n = next(_SEQUENCE)
    if kind is str:
        return f"\x1fsanbao-prepared-{n}\x1f"
    if kind is int:
        return -7_300_000_000_000 - n
    if kind is dt.datetime:
        return dt.datetime(1901, 2, 3, 4, 5, 6, n % 1_000_000, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1901, 1, 1) + dt.timedelta(days=n)
    raise TypeError(f"Prepared: no stand-in for {kind!r}")


def _adapter(kind: type, connection) -> Callable[[Any], Any]:
    ops = connection.ops
    if kind is dt.datetime:
        return ops.adapt_datetimefield_value
    if kind is dt.date:
        return ops.adapt_datefield_value
    return lambda value: value


class Prepared:
    """A queryset shape compiled once; ``prepared(**values)`` runs it (a list)."""

    def __init__(self, build: Callable[[SimpleNamespace], QuerySet], **kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple[str, str], tuple] = {}
        self._lock = threading.Lock()

    def _prepare(self, alias: str, connection) -> tuple:
        stand_ins = {name: _stand_in(kind) for name, kind in self._kinds.items()}
        queryset = self._build(SimpleNamespace(**stand_ins))
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = []
        for name, kind in self._kinds.items():
            adapt = _adapter(kind, connection)
            wanted = adapt(stand_ins[name])
            places = [i for i, param in enumerate(params) if param == wanted]
            if not places:
                raise ValueError(f"Prepared: parameter {name!r} is not a parameter of {sql}")
            slots.extend((i, name, adapt) for i in places)
        # Every other parameter is a constant of the shape (a status, a flag).
        # The converters of the selected columns (dates on SQLite, JSON) are fixed too.
        fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        return queryset, compiler, sql, list(params), slots, converters

    def compiled(self, alias: str = "default") -> tuple:
        connection = connections[alias]
        key = (alias, connection.vendor)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key)
                if found is None:
                    found = self._compiled[key] = self._prepare(alias, connection)
        return found

    def _sql(self, alias: str, values: dict[str, Any]) -> tuple:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"Prepared: expected {sorted(self._kinds)}, got {sorted(values)}")
        template, compiler, sql, params, slots, converters = self.compiled(alias)
        params = list(params)
        for index, name, adapt in slots:
            params[index] = adapt(values[name])
        return template, compiler, sql, tuple(params), converters

    def queryset(
        self, alias: str = "default", *, limits: tuple[int, int] | None = None, **values: Any
    ) -> QuerySet:
        """A queryset that runs the compiled SQL with ``values``; it must be evaluated
        as it is (iterated, listed): chaining it would build a different query.
        ``limits``: (low, high), the rows ``[low:high]`` of it, as slicing the
        queryset would give (its LIMIT and OFFSET put after the compiled SQL, where
        Django puts them)."""
        template, compiler, sql, params, converters = self._sql(alias, values)
        if limits is not None:
            query = template.query
            if query.is_sliced or query.select_for_update or query.combinator:
                raise ValueError("Prepared: limits on a query sliced, locking or combined")
            low, high = limits
            sql = f"{sql} {connections[alias].ops.limit_offset_sql(low, high)}"
        run = copy.copy(compiler)
        run.connection = connections[alias]
        frozen = (sql, params)
        run.as_sql = lambda *args, **kwargs: frozen
        run.get_converters = lambda expressions: converters
        query = copy.copy(template.query)
        query.get_compiler = lambda *args, **kwargs: run
        queryset = QuerySet(model=template.model, query=query, using=alias, hints=template._hints)
        queryset._iterable_class = template._iterable_class
        queryset._fields = template._fields
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        queryset._known_related_objects = template._known_related_objects
        return queryset

    def __call__(self, **values: Any) -> list:
        return list(self.queryset(**values))

    def count(self, alias: str = "default", **values: Any) -> int:
        """How many rows the compiled SQL gives with ``values``."""
        _template, _compiler, sql, params, _converters = self._sql(alias, values)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) sanbao_counted", params)
            return cursor.fetchone()[0]


class PreparedList:
    """A list read by two prepared queries, as ``core.api.paginate`` reads a
    queryset: ``count()`` by ``counted`` (the same rows, without what only the page
    shows) and a slice by ``rows``, both with ``values``."""

    def __init__(self, rows: Prepared, counted: Prepared, **values: Any):
        self._rows = rows
        self._counted = counted
        self._values = values

    def count(self) -> int:
        return self._counted.count(**self._values)

    def __getitem__(self, part: slice) -> QuerySet:
        if not isinstance(part, slice) or part.step is not None or part.start is None:
            raise TypeError("PreparedList: only [low:high] slices")
        return self._rows.queryset(limits=(part.start, part.stop), **self._values)
