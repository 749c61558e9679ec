"""A choice's label as ``get_<field>_display()`` gives it, read from a table made
once per field.

Django's ``Model._get_FIELD_display`` rebuilds ``dict(make_hashable(field.flatchoices))``
on every call: hashing each label, a lazy translation, translates it, so one
status badge of a batch (eleven states) ran eleven look-ups in the catalogue.
A list of 100 batches spent 22 ms of its 45 ms CPU there (issue 15).
:func:`speed_up_choice_labels` (``CoreConfig.ready``) gives every model field
with fixed choices a ``get_<field>_display`` that reads its label from a table of
value -> lazy label built the first time: the same label, translated once, in
the language active when it is shown. A model that defines its own
``get_<field>_display``, and a field whose choices are a callable, keep Django's.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.encoding import force_str

_DJANGOS = Model._get_FIELD_display


def _labels(field) -> dict:
    labels = field.__dict__.get("_sanbao_choice_labels")
    if labels is None:
        labels = {}
        for value, label in field.flatchoices:
            labels.setdefault(value, label)
        field.__dict__["_sanbao_choice_labels"] = labels
    return labels


def choice_label(self, field) -> str:
    """``get_<field>_display()``: the label of the instance's value, or the value."""
    value = getattr(self, field.attname)
    try:
        label = _labels(field).get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field): Django's way
        return _DJANGOS(self, field=field)
    return force_str(label, strings_only=True)


def _djangos(attribute) -> bool:
    return isinstance(attribute, partialmethod) and attribute.func is _DJANGOS


def speed_up_choice_labels() -> int:
    """Every installed model's ``get_<field>_display`` of fixed choices made a
    table look-up; the number of fields changed."""
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not field.choices or callable(getattr(field, "_choices", None)):
                continue
            name = f"get_{field.name}_display"
            if _djangos(model.__dict__.get(name)):
                setattr(model, name, partialmethod(choice_label, field=field))
                changed += 1
    return changed
