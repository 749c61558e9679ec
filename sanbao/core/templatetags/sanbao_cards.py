"""A card of a page, titled: ``{% load sanbao_cards %}``.

``{% card "documents" _("Documents (II.2)") testid="claim-documents" class="h-100" %}``
…``{% endcard %}`` writes the card (a section named by its heading, for screen
readers), its body and its heading ``<h2 id="documents-title">``. Options:
``class`` (the card's classes after "card"), ``heading`` (the heading's size class,
"h6" unless given: "h5" for the card of the next step), ``testid`` and ``id`` (the
section's). Without a title the body writes its own heading, its id "<name>-title".
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_OPTIONS = {"class", "heading", "testid", "id"}


class CardNode(template.Node):
    def __init__(self, name, title, options, nodelist):
        self.name = name
        self.title = title
        self.options = options
        self.nodelist = nodelist

    def render(self, context):
        name = self.name.resolve(context)
        opt = {key: value.resolve(context) for key, value in self.options.items()}
        heading = ""
        if self.title is not None:
            heading = format_html(
                '\n<h2 class="{} card-title" id="{}-title">{}</h2>',
                opt.get("heading") or "h6",
                name,
                self.title.resolve(context),
            )
        return format_html(
            '<section class="card{}" aria-labelledby="{}-title"{}{}>'
            '<div class="card-body">{}{}</div></section>',
            f" {opt['class']}" if opt.get("class") else "",
            name,
            format_html(' id="{}"', opt["id"]) if opt.get("id") else "",
            format_html(' data-testid="{}"', opt["testid"]) if opt.get("testid") else "",
            heading,
            mark_safe(self.nodelist.render(context)),
        )


@register.tag
def card(parser, token):
    bits = token.split_contents()
    tag = bits.pop(0)
    positional, options = [], {}
    for bit in bits:
        key, eq, value = bit.partition("=")
        if eq and key.isidentifier():
            if key not in _OPTIONS:
                raise template.TemplateSyntaxError(f"{tag}: unknown option {key!r}")
            options[key] = parser.compile_filter(value)
        else:
            positional.append(parser.compile_filter(bit))
    if not 1 <= len(positional) <= 2:
        raise template.TemplateSyntaxError(f"{tag} takes a name and, optionally, a title")
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    title = positional[1] if len(positional) == 2 else None
    return CardNode(positional[0], title, options, nodelist)
