"""One mechanism for every record that moves through states.

An app declares, in its ``states.py``, a table of moves for each kind of record
(claim, batch, shipment ...): which states an action starts from, the state it
leads to (``target``; ``None`` when the service decides, or the state does not
change) and the permission it needs. A :class:`Machine` reads that table:

* :meth:`Machine.check` — the actor's role (403), the record is visible to the
  actor (404, never 403: existence does not leak), and the action is allowed from
  the record's state (409);
* :meth:`Machine.move` — a conditional update from the state the caller checked
  to the move's target: zero rows means someone else moved the record first (409);
* :meth:`Machine.hold` — inside a transaction, lock the record's row while it is
  still, as stored, in one of the action's source states, so that writes on one
  record queue behind each other.

Both writes are one idiom, a conditional ``UPDATE``: on PostgreSQL it takes the
row lock and re-checks the condition on the row it waited for; on SQLite every
write takes the database's write lock. Unlike ``select_for_update`` it guards on
SQLite too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model
from django.utils import timezone

from sanbao.core import audit, tenancy
from sanbao.core.errors import ErrorCatalog


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: the service decides, or the state does not change
    permission: str


@dataclass(frozen=True)
class Codes:
    """The error codes a machine answers with (each in the app's catalogue)."""

    not_found: str  # 404: not visible to the actor
    not_allowed: str  # 409: the action does not start from this state (status, action)
    changed: str  # 409: moved by someone else meanwhile


class Machine:
    """The moves of one kind of record (``model``), read by services and pages.

    ``can(actor, permission) -> bool`` and ``require(actor, permission)`` come
    from the permission table (accounts), which this lower layer does not import.
    ``stamp`` names a field set to now on every move (``updated_at``), if any.
    """

    def __init__(
        self,
        model: type[Model],
        moves: Mapping[str, Move],
        *,
        labels: Mapping[str, Any],
        errors: ErrorCatalog,
        codes: Codes,
        can: Callable[[Any, str], bool],
        require: Callable[[Any, str], None],
        field: str = "status",
        stamp: str | None = "updated_at",
    ) -> None:
        missing = set(moves) - set(labels)
        if missing:
            raise ValueError(f"actions without a label: {sorted(missing)}")
        self.model = model
        self.moves = moves
        self.labels = labels
        self.errors = errors
        self.codes = codes
        self._can = can
        self._require = require
        self.field = field
        self.stamp = stamp

    def __getitem__(self, action: str) -> Move:
        return self.moves[action]

    def state_of(self, record) -> str:
        return getattr(record, self.field)

    def allowed_actions(self, record, actor) -> list[str]:
        """The actions ``actor`` can take on ``record`` now (it is visible to them):
        the UI shows only these buttons."""
        state = self.state_of(record)
        return [
            name
            for name, move in self.moves.items()
            if state in move.sources and self._can(actor, move.permission)
        ]

    def authorise(self, actor, action: str) -> Move:
        """The actor's role allows ``action`` (403 otherwise), whatever the record."""
        move = self.moves[action]
        self._require(actor, move.permission)
        return move

    def refusal(self, record, action: str):
        """The 409 for ``action`` on ``record`` in its present state."""
        return self.errors.conflict(
            self.codes.not_allowed,
            status=getattr(record, f"get_{self.field}_display")(),
            action=self.labels[action],
        )

    def check(self, record, actor, action: str) -> Move:
        """Role (403), visibility (404) and state (409), in that order."""
        move = self.authorise(actor, action)
        # A record this actor's request read through ``get_visible`` is in scope;
        # any other (a service called with a record from anywhere) is checked here.
        if not tenancy.seen_by(record, actor):
            visible = self.model._default_manager.visible_to(actor).filter(pk=record.pk)
            if not visible.exists():
                raise self.errors.not_found(self.codes.not_found)
        if self.state_of(record) not in move.sources:
            raise self.refusal(record, action)
        return move

    def hold(self, record, action: str) -> None:
        """Inside a transaction: lock the row while it is still, as stored, in one
        of ``action``'s source states (whatever the caller's copy says). Zero rows
        means it moved meanwhile: 409."""
        sources = self.moves[action].sources
        rows = self.model._default_manager.filter(pk=record.pk, **{f"{self.field}__in": sources})
        if not rows.update(**{self.field: F(self.field)}):
            raise self.errors.conflict(self.codes.changed)

    def guard_sql(self, action: str, connection) -> tuple[str, list[str], str]:
        """For one statement that writes a row beside the record (a receipt scan beside
        its batch), selecting the record's row by its key, only while the record is,
        as stored, in one of ``action``'s source states: the condition on the record's
        table (named by its table name) with its parameters, and the locking clause to
        end the ``SELECT`` with. The lock is shared (``FOR SHARE`` on PostgreSQL): such
        writes do not queue behind each other, while ``hold`` and ``move`` (exclusive)
        wait for them and they for those; a statement that waited re-checks the
        condition on the row it waited for, so a record moved meanwhile gives no row.
        SQLite has no row locks: any write takes its one write lock, which does the same.
        Zero rows written means the record moved (or the row was there already: the
        caller tells which)."""
        sources = sorted(self.moves[action].sources)
        column = self.model._meta.get_field(self.field).column
        table = connection.ops.quote_name(self.model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(sources))
        condition = f"{table}.{connection.ops.quote_name(column)} IN ({placeholders})"
        lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
        return condition, sources, lock

    def move(self, record, action: str, *, where: Mapping[str, Any] | None = None, **values):
        """Move ``record`` from the state the caller checked: to the move's target
        (unless ``values`` sets the state itself, for moves whose target the service
        decides), writing ``values`` too. ``where`` adds conditions the caller
        decided on (a claim's verdict). Zero rows means someone else changed the
        record first: 409. The caller's copy is updated, and carries the move to
        the audit event the service records on it next (``audit.note_move``)."""
        move = self.moves[action]
        if move.target is not None and self.field not in values:
            values[self.field] = move.target
        if self.stamp:
            values.setdefault(self.stamp, timezone.now())
        before = self.state_of(record)
        rows = self.model._default_manager.filter(
            pk=record.pk, **{self.field: before}, **(where or {})
        )
        if not rows.update(**values):
            raise self.errors.conflict(self.codes.changed)
        for name, value in values.items():
            if not isinstance(value, F):
                setattr(record, name, value)
        audit.note_move(record, before, self.state_of(record))
