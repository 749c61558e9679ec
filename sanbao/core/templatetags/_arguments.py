"""How the block tags of ``sanbao.core`` read their arguments: the positional ones
first, then the options, ``key=value``. Not a tag library (it has no ``register``)."""

from __future__ import annotations

from django import template


def tag_arguments(parser, token, options: set[str]) -> tuple[str, list[str], dict]:
    """The tag's name, its positional arguments as written and its options compiled
    (each one of ``options``)."""
    bits = token.split_contents()
    tag = bits.pop(0)
    positional, named = [], {}
    for bit in bits:
        key, eq, value = bit.partition("=")
        if eq and key.isidentifier():
            if key not in options:
                raise template.TemplateSyntaxError(f"{tag}: unknown option {key!r}")
            named[key] = parser.compile_filter(value)
        elif named:
            raise template.TemplateSyntaxError(f"{tag}: the options come after the arguments")
        else:
            positional.append(bit)
    return tag, positional, named


def resolve_options(options: dict, context) -> dict:
    """The options' values in ``context``."""
    return {key: value.resolve(context) for key, value in options.items()}
