"""The frame of a page: ``{% load sanbao_layout %}``.

``{% page_header _("Return batches") %}…buttons…{% end_page_header %}``: the heading
of a list page, its buttons on the right (``margin``: the space under it, "mb-3"
unless given).

A card, titled:

``{% card "documents" _("Documents (II.2)") testid="claim-documents" class="h-100" %}``
…``{% endcard %}`` writes the card (a section named by its heading, for screen
readers), its body and its heading ``<h2 id="documents-title">``. Options:
``class`` (the card's classes after "card"), ``heading`` (the heading's size class,
"h6" unless given: "h5" for the card of the next step), ``testid`` and ``id`` (the
section's). Without a title the body writes its own heading, its id "<name>-title".
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ._arguments import resolve_options, tag_arguments

register = template.Library()

_OPTIONS = {"class", "heading", "testid", "id"}
_PAGE_HEADER = (
    '<div class="d-flex flex-wrap align-items-center gap-2 {}">\n'
    '  <h1 class="h3 mb-0 me-auto">{}</h1>{}</div>'
)


@dataclass(eq=False)
class CardNode(template.Node):
    name: FilterExpression
    title: FilterExpression | None
    options: dict
    nodelist: NodeList

    def render(self, context):
        name = self.name.resolve(context)
        opt = resolve_options(self.options, context)
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
    tag, positional, options = tag_arguments(parser, token, _OPTIONS)
    if not 1 <= len(positional) <= 2:
        raise template.TemplateSyntaxError(f"{tag} takes a name and, optionally, a title")
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    name, *title = (parser.compile_filter(bit) for bit in positional)
    return CardNode(name, title[0] if title else None, options, nodelist)


@dataclass(eq=False)
class PageHeaderNode(template.Node):
    title: FilterExpression
    options: dict
    nodelist: NodeList

    def render(self, context):
        opt = resolve_options(self.options, context)
        body = mark_safe(self.nodelist.render(context))
        return format_html(
            _PAGE_HEADER, opt.get("margin") or "mb-3", self.title.resolve(context), body
        )


@register.tag
def page_header(parser, token):
    tag, positional, options = tag_arguments(parser, token, {"margin"})
    if len(positional) != 1:
        raise template.TemplateSyntaxError(f"{tag} takes the page's title")
    nodelist = parser.parse(("end_page_header",))
    parser.delete_first_token()
    return PageHeaderNode(parser.compile_filter(positional[0]), options, nodelist)
