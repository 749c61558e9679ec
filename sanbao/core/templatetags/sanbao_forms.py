"""The form every action of a record's page is: ``{% load sanbao_forms %}``.

``{% postform "claims:claim_judge" claim.number target="#claim-body" testid="action-judge" %}
…fields and buttons…{% endpostform %}`` writes a POST form to the named URL, with
its CSRF token, that works without JavaScript (an ordinary post) and, given a
``target``, with htmx (``hx-post`` to the same URL, swapping ``target``; while it
waits, its submit button is disabled). The positional arguments are those of
``{% url %}``; the options:

- ``testid`` (required): the form's test id;
- ``target``: what htmx replaces; without it the form is an ordinary one, no htmx;
- ``class``: the form's classes;
- ``swap``: how htmx swaps the answer, ``outerHTML`` unless given;
- ``confirm``: a question htmx asks before posting;
- ``novalidate``: leave the checking to the server;
- ``files``: the form uploads files (multipart, for the browser and for htmx).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, NodeList
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ._arguments import resolve_options, tag_arguments

register = template.Library()

_OPTIONS = {"target", "testid", "class", "swap", "confirm", "novalidate", "files"}


@dataclass(eq=False)
class PostFormNode(template.Node):
    view_name: FilterExpression
    args: list[FilterExpression]
    options: dict
    nodelist: NodeList

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        url = reverse(self.view_name.resolve(context), args=args)
        opt = resolve_options(self.options, context)
        files = bool(opt.get("files"))
        head = format_html(
            '<form method="post"{} action="{}"{}{}',
            mark_safe(' enctype="multipart/form-data"') if files else "",
            url,
            format_html(' class="{}"', opt["class"]) if opt.get("class") else "",
            mark_safe(" novalidate") if opt.get("novalidate") else "",
        )
        if opt.get("target"):
            head += format_html(
                '\n      hx-post="{}"{} hx-target="{}" hx-swap="{}"{}'
                ' hx-disabled-elt="find button[type=submit]"',
                url,
                mark_safe(' hx-encoding="multipart/form-data"') if files else "",
                opt["target"],
                opt.get("swap") or "outerHTML",
                format_html(' hx-confirm="{}"', opt["confirm"]) if opt.get("confirm") else "",
            )
        head += format_html(' data-testid="{}">', opt["testid"])
        csrf = CsrfTokenNode().render(context)
        return mark_safe(f"{head}\n  {csrf}{self.nodelist.render(context)}</form>")


@register.tag
def postform(parser, token):
    tag, positional, options = tag_arguments(parser, token, _OPTIONS)
    if not positional:
        raise template.TemplateSyntaxError(f"{tag} needs the name of a URL")
    if "testid" not in options:
        raise template.TemplateSyntaxError(f"{tag} needs a testid")
    nodelist = parser.parse(("endpostform",))
    parser.delete_first_token()
    view_name, *args = (parser.compile_filter(bit) for bit in positional)
    return PostFormNode(view_name, args, options, nodelist)


@register.simple_tag(takes_context=True)
def field_columns(context, *fields, col, wrapper=None):
    """Fields side by side, each in a grid column of the class ``col`` and written by
    ``_field.html`` (``wrapper`` as there): ``{% field_columns form.carrier
    form.waybill_no col="col-md-6" %}`` inside the page's ``<div class="row">``. A
    field the form does not have (offered to some users only) is left out."""
    field_html = context.template.engine.get_template("_field.html")
    given = {} if wrapper is None else {"wrapper": wrapper}
    cells = []
    for field in fields:
        if field in (None, ""):  # a field this form does not have (for this user)
            continue
        with context.push(field=field, **given):
            cells.append(format_html('<div class="{}">{}</div>', col, field_html.render(context)))
    return mark_safe("\n".join(cells))
