"""Proving that a refused action wrote nothing: a snapshot of what it could have
written, taken before and compared after (see :func:`refused_writing_nothing`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def stored_fields(model, pk, *, leaving_out=("updated_at",)) -> dict:
    """Every stored field of the row ``pk`` of ``model``, as the database holds it
    now (read again), but those ``leaving_out``."""
    row = model.objects.get(pk=pk)
    return {
        f.attname: getattr(row, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in leaving_out
    }


@contextmanager
def refused_writing_nothing(
    error: type[Exception], code: str, snapshot: Callable[[], Any], *, status: int | None = None
) -> Iterator[pytest.ExceptionInfo]:
    """The block raises ``error`` with ``code`` (and ``status``, if given), and
    ``snapshot()`` is the same after it as before. Yields pytest's ``ExceptionInfo``
    for further checks after the block."""
    before = snapshot()
    with pytest.raises(error) as caught:
        yield caught
    assert caught.value.code == code, f"expected {code}, got {caught.value.code}"
    if status is not None:
        assert caught.value.status == status
    assert snapshot() == before
