"""Mapping a domain error onto a Django form, so the page shows it by the field."""

from sanbao.core.errors import DomainError


def apply_domain_error(form, exc: DomainError) -> None:
    """Each field message by its field; a message about a field the form does not
    have (``findings``, ``lines.3``, …) above the form; an error about no field at
    all, its own message above the form."""
    fields = exc.field_messages()
    if not fields:
        form.add_error(None, exc.message)
        return
    for field, messages in fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
