"""Mapping a domain error onto a Django form, so the page shows it by the field."""

from sanbao.core.errors import DomainError


def apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, messages in exc.field_messages().items():
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)
