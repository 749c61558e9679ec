from __future__ import annotations

from ninja import Field, Schema

from sanbao.accounts.roles import PERMISSIONS, OrgKind, can


class OrganisationOut(Schema):
    code: str
    kind: str
    name_en: str
    name_zh: str
    phone: str
    fax: str
    email: str
    address: str
    contact_person: str
    is_active: bool


class OrganisationIn(Schema):
    code: str = Field(..., min_length=2, max_length=32, pattern=r"^[-a-zA-Z0-9_]+$")
    kind: OrgKind
    name_en: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field(..., min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    fax: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    contact_person: str = Field("", max_length=100)


# The caller, a user, as the API shows them to themselves.
class MeOut(Schema):
    username: str
    name: str
    role: str
    language: str
    time_zone: str = Field(
        ..., description="The zone times are shown and read in (the platform's when unset)"
    )
    organisation: OrganisationOut | None
    permissions: list[str]

    @staticmethod
    def resolve_name(user) -> str:
        return user.display_name

    @staticmethod
    def resolve_time_zone(user) -> str:
        return user.zone.key

    @staticmethod
    def resolve_permissions(user) -> list[str]:
        return sorted(p for p in PERMISSIONS if can(user, p))
