"""What the last action did: ``{% load sanbao_outcome %}``.

``{% outcome "claim" %}…more about a refusal…{% endoutcome %}`` shows the messages
(on an htmx answer), ``done`` (what succeeded) and ``error`` (a refused action: its
message, then the block's content), as ``includes/outcome.html`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.safestring import mark_safe

register = template.Library()


@dataclass(eq=False)
class OutcomeNode(template.Node):
    name: FilterExpression
    nodelist: NodeList

    def render(self, context):
        shown = context.template.engine.get_template("includes/outcome.html")
        details = mark_safe(self.nodelist.render(context).strip())
        with context.push(name=self.name.resolve(context), details=details):
            return shown.render(context)


@register.tag
def outcome(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the name of the page's test ids")
    nodelist = parser.parse(("endoutcome",))
    parser.delete_first_token()
    return OutcomeNode(parser.compile_filter(bits[1]), nodelist)
