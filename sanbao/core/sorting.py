"""The orders a list offers its reader (issue 15, item 2): ``?sort=key`` ascending,
``?sort=-key`` descending.

A list declares its orders once, beside its selector::

    CLAIM_SORTS = Sorting(
        SortKey("submitted", _("Submitted"), "created_at"),
        SortKey("number", _("Claim"), "number"),
        default="-submitted",
    )

Each key is a translatable label and the ORDER BY it means (model fields, in
order, ascending); the default is the list's order before anyone chose one. The
unique ``tiebreak`` (the primary key unless given) always comes last, in the
key's direction, so that rows equal on the key keep one order from page to page:
no row repeated on the next page or skipped. Descending reverses every field (the
tiebreak too), so one index on ``(field, id)`` serves both directions. NULLs come
last ascending and first descending, PostgreSQL's own order, which its indexes
serve; SQLite is told the same.

The selector takes ``sort=`` and orders with :meth:`Sorting.apply` (an unknown
value is a ``core.sort_unknown`` 400 about the field ``sort``); the list's filter
form offers :meth:`Sorting.field` (``core.forms.FiltersMixin``: an unknown value
is a field error and the page keeps its default order); the API's filters declare
``sort: SORTS.literal() | None`` (an enum in the OpenAPI document, 422 otherwise);
a page's ``{% columns %}`` makes a column's header a link with ``sort="key"``
(``core.templatetags.sanbao_tables``).

Only keys an index serves are offered on the big lists (claims, batches, units):
docs/benchmarks.md lists them with their indexes.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from django import forms
from django.db.models import F, OrderBy, QuerySet
from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ERRORS

SORT = "sort"  # the query parameter


@dataclasses.dataclass(frozen=True)
class SortKey:
    """One order of a list: its name in ``?sort=``, its label (a column's header,
    usually) and the model fields it orders by, ascending; ``unique`` when they
    are unique together (a number): then no tiebreak follows, and the field's own
    unique index serves the order."""

    name: str
    label: Any
    fields: tuple[str, ...]
    unique: bool

    def __init__(self, name: str, label: Any, *fields: str, unique: bool = False) -> None:
        if not fields:
            raise ValueError(f"The sort key {name!r} orders by no field.")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "unique", unique)


class Sorting:
    """The orders of one list; ``default``: its usual order (``"-submitted"``)."""

    def __init__(self, *keys: SortKey, default: str, tiebreak: str = "pk") -> None:
        self.keys = {key.name: key for key in keys}
        if len(self.keys) != len(keys):
            raise ValueError("Two sort keys have the same name.")
        self.tiebreak = tiebreak
        self.default = default
        if default not in self.values():
            raise ValueError(f"The default order {default!r} is not one of the keys.")

    def values(self) -> list[str]:
        """Every value ``?sort=`` takes: each key, ascending then descending."""
        return [value for name in self.keys for value in (name, f"-{name}")]

    def literal(self) -> Any:
        """The values as a type of the API's filters (an enum in the OpenAPI document)."""
        return Literal[tuple(self.values())]

    def split(self, sort: str | None) -> tuple[SortKey, bool]:
        """The key ``sort`` names and whether it is descending (the default for
        none); anything else is a 400 about the field ``sort``."""
        sort = sort or self.default
        if sort not in self.values():
            raise ERRORS.invalid(
                "core.sort_unknown", SORT, value=sort, choices=", ".join(self.values())
            )
        return self.keys[sort.lstrip("-")], sort.startswith("-")

    def order_by(self, sort: str | None) -> list[OrderBy]:
        """The ORDER BY of ``sort``: its key's fields then the tiebreak, all one way."""
        key, descending = self.split(sort)
        fields = [*key.fields] if key.unique else [*key.fields, self.tiebreak]
        if descending:
            return [F(f).desc(nulls_first=True) for f in fields]
        return [F(f).asc(nulls_last=True) for f in fields]

    def apply(self, queryset: QuerySet, sort: str | None) -> QuerySet:
        """``queryset`` in the order ``sort`` names (the list's default for none)."""
        return queryset.order_by(*self.order_by(sort))

    def choices(self) -> list[tuple[str, str]]:
        """The choices of the "Sort by" select: the default first, then each key
        both ways."""
        labels = {}
        for key in self.keys.values():
            labels[key.name] = _("%(key)s, ascending") % {"key": key.label}
            labels[f"-{key.name}"] = _("%(key)s, descending") % {"key": key.label}
        rest = [v for v in self.values() if v != self.default]
        return [(value, labels[value]) for value in (self.default, *rest)]

    def field(self) -> forms.ChoiceField:
        """The list filter form's "Sort by" select (optional: none is the default)."""
        return forms.ChoiceField(
            label=_("Sort by"),
            required=False,
            choices=self.choices,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
