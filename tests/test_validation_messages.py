"""Issue 10, item 18: Django's stock form messages read naturally in Chinese."""

import datetime as dt
import gettext
from pathlib import Path

import django
import pytest
from django import forms
from django.utils import translation

from config.validation_messages import STOCK_MESSAGES


class _Form(forms.Form):
    day = forms.DateField()
    count = forms.IntegerField(max_value=999)
    kind = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField()


def _errors(data: dict) -> dict[str, list[str]]:
    with translation.override("zh-hans"):
        form = _Form(data)
        form.is_valid()
        return {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}


def test_stock_messages_use_the_project_wording_in_chinese():
    errors = _errors({"day": "31/02/2026", "count": "1000", "kind": "z", "note": "a\x00b"})
    assert errors["day"] == ["请输入有效的日期。"]
    assert errors["count"] == ["此值不能大于 999。"]
    assert errors["kind"] == ["请从列表中选择：z 不是可选的选项。"]
    assert errors["note"] == ["不允许包含空字符（NUL）。"]
    assert _errors({})["note"] == ["此项为必填项。"]


def _djangos_own_catalog() -> gettext.GNUTranslations:
    mo = Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"
    with mo.open("rb") as fh:
        return gettext.GNUTranslations(fh)


@pytest.mark.parametrize("message", STOCK_MESSAGES)
def test_each_listed_message_is_djangos_and_is_translated(message):
    djangos = _djangos_own_catalog()
    assert message in djangos._catalog, "no longer one of Django's own messages"
    with translation.override("zh-hans"):
        ours = translation.gettext(message)
    assert ours != message
    assert ours != djangos.gettext(message), "Django's wording is still in use"


def test_dates_are_not_rejected_when_valid():
    assert "day" not in _errors({"day": dt.date(2026, 2, 28).isoformat()})
