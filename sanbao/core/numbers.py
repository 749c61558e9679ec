"""Record numbers people read aloud and type: ``C2612-7KQ4MZ``.

A prefix letter per kind of record, the year and month, and six characters from
an alphabet without 0/O and 1/I (read over the phone). 32⁶ numbers a month are
drawn at random, so numbers do not reveal volumes; a collision draws again.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DRAWS = 5


def new_number(prefix: str, *, length: int = 6) -> str:
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(length))
    # The platform's month, whichever time zone the user drawing it reads times in.
    month = timezone.localdate(timezone=timezone.get_default_timezone())
    return f"{prefix}{month:%y%m}-{tail}"


def save_numbered(record, prefix: str, *, field: str = "number", save=None) -> None:
    """Insert ``record`` under a fresh unique number in ``field``.

    ``save`` (default ``record.save``) runs inside an atomic block for each draw
    (a savepoint within the caller's transaction, else a transaction of its own); a
    unique-number collision rolls it back and draws again. Any other integrity
    error is the caller's and propagates. Five collisions in a row (not expected
    before the heat death of the month) raise ``IntegrityError`` rather than carry
    on with an unsaved record.

    A ``save`` that writes the record first and then everything that goes with it
    (claim intake: the checklist, the audit event) makes the draw's block the whole
    write: called outside any transaction, that is one transaction and no savepoint.
    """
    manager = type(record)._default_manager
    save = save or record.save
    for _draw in range(DRAWS):
        setattr(record, field, new_number(prefix))
        try:
            with transaction.atomic():
                save()
            return
        except IntegrityError:
            if not manager.filter(**{field: getattr(record, field)}).exists():
                raise
    raise IntegrityError(f"no free {type(record).__name__} number after {DRAWS} draws")
