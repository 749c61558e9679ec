from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import ApiToken, Organisation
from sanbao.accounts.roles import require
from sanbao.core.filters import filter_given
from sanbao.core.sorting import Sorting, SortKey
from sanbao.core.tenancy import get_visible

# The organisations' list (a few hundred rows): by kind then code, or by code.
ORGANISATION_SORTS = Sorting(
    SortKey("kind", _("Kind"), "kind", "code"),
    SortKey("code", _("Code"), "code", unique=True),
    default="kind",
)


def organisation_list(*, actor, kind: str | None = None, sort: str | None = None):
    require(actor, "organisations.view")
    organisations = filter_given(Organisation.objects.visible_to(actor), kind=kind)
    return ORGANISATION_SORTS.apply(organisations, sort)


def organisation_get(*, actor, code: str) -> Organisation:
    require(actor, "organisations.view")
    return get_visible(
        Organisation.objects, actor, error_code="accounts.organisation_not_found", code=code
    )


def token_list(*, actor):
    require(actor, "tokens.manage")
    return ApiToken.objects.visible_to(actor)


def token_get(*, actor, pk: int) -> ApiToken:
    require(actor, "tokens.manage")
    return get_visible(ApiToken.objects, actor, error_code="accounts.token_not_found", pk=pk)
