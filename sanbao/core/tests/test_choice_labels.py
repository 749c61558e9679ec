"""``get_<field>_display()`` from a table made once per field (core/choices.py,
issue 15): the same label as Django's own, in the language active when shown."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from sanbao.core.choices import choice_label
from sanbao.returns.models import BatchStatus, ReturnBatch


def every_choice_field():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and not callable(getattr(field, "_choices", None)):
                yield model, field


def test_every_models_choice_labels_are_djangos_in_both_languages():
    checked = 0
    for model, field in every_choice_field():
        for value, _label in field.flatchoices:
            instance = model()
            setattr(instance, field.attname, value)
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    shown = getattr(instance, f"get_{field.name}_display")()
                    assert shown == Model._get_FIELD_display(instance, field), (model, field)
            checked += 1
    assert checked > 100


def test_the_sanbao_models_read_labels_from_the_table():
    display = ReturnBatch.__dict__["get_status_display"]
    assert display.func is choice_label


def test_a_value_not_among_the_choices_is_shown_as_it_is():
    batch = ReturnBatch(status="no-such-state")
    assert batch.get_status_display() == "no-such-state"
    batch.status = BatchStatus.ON_HOLD
    with translation.override("zh-hans"):
        assert batch.get_status_display() == str(BatchStatus.ON_HOLD.label)
        assert batch.get_status_display() != "On hold (receipt anomaly)"
