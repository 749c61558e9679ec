"""Factories for organisations and users. Users go through ``user_create``, so a
factory user has a role its organisation's kind allows, as every real user has."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from sanbao.accounts.models import Organisation, User
from sanbao.accounts.roles import OrgKind, Role

DEFAULT_ROLE_BY_KIND = {
    OrgKind.PLATFORM: Role.AFTERSALES_STAFF,
    OrgKind.AGENT: Role.AGENT_CLERK,
    OrgKind.ENTERPRISE: Role.ENTERPRISE_CLERK,
    OrgKind.SERVICE_OUTLET: Role.OUTLET_TECHNICIAN,
}

PASSWORD = "factory-password-2026"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG-{n:04d}")
    kind = OrgKind.AGENT
    name_en = factory.LazyAttribute(lambda o: f"Organisation {o.code}")
    name_zh = factory.LazyAttribute(lambda o: f"机构 {o.code}")
    phone = "+86 755 8600 0000"
    contact_person = "Li Lei 李雷"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    organisation = factory.SubFactory(OrganisationFactory)
    username = factory.Sequence(lambda n: f"user{n:04d}")
    password = PASSWORD
    role = factory.LazyAttribute(lambda o: DEFAULT_ROLE_BY_KIND[o.organisation.kind])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sanbao.accounts.services import user_create

        return user_create(actor=None, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password")
        user = model_class(*args, **kwargs)
        user.set_password(password)
        return user
