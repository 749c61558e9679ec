"""Organisation kinds, roles and what each role may do (SPEC section 1).

This is the one table of permissions. Services ask ``require(actor, perm)``;
templates and the navigation ask ``can(actor, perm)`` so that only usable
buttons are shown.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import NotAuthenticated, PermissionDenied


class OrgKind(models.TextChoices):
    PLATFORM = "platform", _("Platform (the brand)")
    AGENT = "agent", _("Agent (dealer)")
    ENTERPRISE = "enterprise", _("Enterprise customer")
    SERVICE_OUTLET = "service_outlet", _("Authorised service outlet")


class Role(models.TextChoices):
    AFTERSALES_STAFF = "aftersales_staff", _("After-sales staff")
    AFTERSALES_MANAGER = "aftersales_manager", _("After-sales manager")
    COMMERCIAL_COMMISSIONER = "commercial_commissioner", _("Commercial commissioner (marketing)")
    CS_COMMISSIONER = "cs_commissioner", _("Customer-service commissioner (after-sales)")
    ADMINISTRATOR = "administrator", _("Administrator")
    AGENT_CLERK = "agent_clerk", _("Agent clerk")
    ENTERPRISE_CLERK = "enterprise_clerk", _("Enterprise clerk")
    OUTLET_TECHNICIAN = "outlet_technician", _("Service outlet technician")


ROLES_BY_KIND: dict[str, set[str]] = {
    OrgKind.PLATFORM: {
        Role.AFTERSALES_STAFF,
        Role.AFTERSALES_MANAGER,
        Role.COMMERCIAL_COMMISSIONER,
        Role.CS_COMMISSIONER,
        Role.ADMINISTRATOR,
    },
    OrgKind.AGENT: {Role.AGENT_CLERK},
    OrgKind.ENTERPRISE: {Role.ENTERPRISE_CLERK},
    OrgKind.SERVICE_OUTLET: {Role.OUTLET_TECHNICIAN},
}

PLATFORM_ROLES = frozenset(ROLES_BY_KIND[OrgKind.PLATFORM])
ALL_ROLES = frozenset(Role.values)
RETURN_UNIT_ROLES = frozenset({Role.AGENT_CLERK, Role.ENTERPRISE_CLERK})

# permission -> roles holding it
PERMISSIONS: dict[str, frozenset[str]] = {
    "catalog.view": ALL_ROLES,
    "catalog.manage": frozenset({Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}),
    "units.view": frozenset(PLATFORM_ROLES | RETURN_UNIT_ROLES | {Role.OUTLET_TECHNICIAN}),
    "units.import": frozenset({Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}),
    # Issue 16: printing a production lot's warranty cards (their signed QR codes).
    "units.print_cards": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}
    ),
    "organisations.view": PLATFORM_ROLES,
    "organisations.manage": frozenset({Role.ADMINISTRATOR}),
    "tokens.manage": ALL_ROLES,
    "claims.view": frozenset(PLATFORM_ROLES | RETURN_UNIT_ROLES | {Role.OUTLET_TECHNICIAN}),
    "claims.create": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.OUTLET_TECHNICIAN} | RETURN_UNIT_ROLES
    ),
    "claims.judge": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.OUTLET_TECHNICIAN}
    ),
    "claims.assign": frozenset({Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER}),
    # II.3: a different model for an original with no specifications recorded.
    "replacements.decide": frozenset({Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}),
    "returns.view": frozenset(PLATFORM_ROLES | RETURN_UNIT_ROLES),
    "returns.create": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER} | RETURN_UNIT_ROLES
    ),
    "returns.receive": frozenset({Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER}),
    "contacts.manage": frozenset({Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER}),
    "retained_parts.view": frozenset(PLATFORM_ROLES | {Role.OUTLET_TECHNICIAN}),
    "retained_parts.manage": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.OUTLET_TECHNICIAN}
    ),
    # V, VI: deliveries to agents and unpacking-damage declarations.
    "deliveries.view": frozenset(PLATFORM_ROLES | RETURN_UNIT_ROLES),
    "deliveries.manage": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}
    ),
    "deliveries.receive": RETURN_UNIT_ROLES,
    "declarations.decide": frozenset({Role.COMMERCIAL_COMMISSIONER, Role.CS_COMMISSIONER}),
    # IV.8: the reconciliation statement and a return unit's own data, "so that both
    # parties can check": the return unit its own; the platform staff who see every
    # declaration (a commissioner sees only those of one department).
    "statements.view": frozenset(
        {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR} | RETURN_UNIT_ROLES
    ),
    "calendar.view": PLATFORM_ROLES,
    "calendar.manage": frozenset({Role.ADMINISTRATOR}),
    # Issue 12: searching the audit trail (who did what to which record).
    "audit.view": frozenset({Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}),
    # IV.8: legal holds that keep records from the purge of personal data.
    "holds.manage": frozenset({Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}),
    # Issue 15: the platform's dashboard (its figures and charts) and quality signals.
    "dashboard.view": PLATFORM_ROLES,
}


def can(actor, perm: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    return actor.role in PERMISSIONS[perm]


def require(actor, perm: str) -> None:
    """Raise NotAuthenticated or PermissionDenied unless ``actor`` holds ``perm``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can(actor, perm):
        raise PermissionDenied(params={"permission": perm})
