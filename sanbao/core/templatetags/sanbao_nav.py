"""The breadcrumb of a page: ``{% load sanbao_nav %}``.

``{% breadcrumb "claims:claim_list" _("Warranty claims") claim.number %}``: each
link is a pair, where it goes (a URL's name, or an address made with
``{% url … as … %}``) and its label; the last argument is the page itself.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


def _address(link: str) -> str:
    return link if link.startswith("/") else reverse(link)


@register.simple_tag
def breadcrumb(*items):
    if len(items) % 2 != 1:
        raise template.TemplateSyntaxError("breadcrumb takes (link, label) pairs, then the page")
    *links, here = items
    pairs = zip(links[::2], links[1::2], strict=True)
    trail = format_html_join(
        "\n",
        '  <li class="breadcrumb-item"><a href="{}">{}</a></li>',
        ((_address(link), label) for link, label in pairs),
    )
    return format_html(
        '<nav aria-label="{}"><ol class="breadcrumb small">\n{}\n'
        '  <li class="breadcrumb-item active" aria-current="page">{}</li>\n</ol></nav>',
        gettext("Breadcrumb"),
        trail,
        here,
    )
