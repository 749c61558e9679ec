"""``{% load catalog_labels %}{{ line.accessories|accessories }}``: accessory names in
the reader's language (IV.P1), joined the way the page lists them."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

from sanbao.catalog import accessories as vocabulary

register = template.Library()


@register.filter
def accessory(name: str) -> str:
    return vocabulary.label(name)


@register.filter
def accessories(names) -> str:
    # Chinese lists take the enumeration comma; English a comma and a space.
    return pgettext("list separator", ", ").join(vocabulary.labels(names or []))
