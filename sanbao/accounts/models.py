"""Organisations (tenants), their users, and API tokens."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import PLATFORM_ROLES, OrgKind, Role
from sanbao.core.modelfields import choice_constraint, reference
from sanbao.core.tenancy import TenantQuerySet


class OrgScopedQuerySet(TenantQuerySet):
    """Records of organisations: nobody signed out sees any, platform users see
    every one, anyone else those whose ``scope_field(role)`` names their own
    organisation (none where it is None)."""

    def visible_to(self, actor):
        if not getattr(actor, "is_authenticated", False):
            return self.none()
        if actor.role in PLATFORM_ROLES:
            return self.all()
        field = self.scope_field(actor.role)
        return self.filter(**{field: actor.organisation_id}) if field else self.none()

    def scope_field(self, role: str) -> str | None:  # pragma: no cover - each defines it
        raise NotImplementedError


class OrganisationQuerySet(OrgScopedQuerySet):
    def scope_field(self, role):
        return "pk"


class Organisation(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short unique code used in imports and documents, e.g. AG-SZ01."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    # Issue 16 item 3: the hours an authorised outlet takes units in, as consumers
    # read them when they choose where to bring a unit (free text, in each language).
    opening_hours_en = models.CharField(
        _("opening hours (English)"),
        max_length=200,
        blank=True,
        help_text=_("When consumers may bring a unit in, e.g. Mon–Sat 09:00–18:00."),
    )
    opening_hours_zh = models.CharField(_("opening hours (Chinese)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        constraints = [choice_constraint("kind", OrgKind, "organisation_kind_valid")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        lang = (get_language() or "en").lower()
        return self.name_zh if lang.startswith("zh") and self.name_zh else self.name_en

    @property
    def opening_hours(self) -> str:
        """The opening hours in the reader's language (the other one when only it is given)."""
        lang = (get_language() or "en").lower()
        if lang.startswith("zh"):
            return self.opening_hours_zh or self.opening_hours_en
        return self.opening_hours_en or self.opening_hours_zh


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


# Names the system's database may list that are no place: the server's own
# setting, and the zone for unknown places.
NOT_ZONES = {"localtime", "Factory", "posixrules", "posix", "right"}


def _known_zones() -> set[str]:
    return zoneinfo.available_timezones() - NOT_ZONES


def time_zones() -> list[str]:
    """Every IANA time zone name the server knows (``zoneinfo``), sorted."""
    return sorted(_known_zones())


def validate_time_zone(value: str) -> None:
    """A user's time zone is blank (the platform's) or an IANA name such as
    ``Europe/Berlin``. Checked against ``zoneinfo`` rather than stored as model
    choices, so a new release of the time zone database needs no migration."""
    if value and value not in _known_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="invalid", params={"value": value}
        )


class User(AbstractUser):
    """A person who logs in. Belongs to exactly one organisation with one role."""

    # Optional only for createsuperuser; every real user has one.
    organisation = reference(Organisation, _("organisation"), optional=True, related_name="users")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="zh-hans",
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Times are shown and read in this zone, e.g. Europe/Berlin; blank: the "
            "platform's time zone."
        ),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [choice_constraint("role", Role, "user_role_valid", blank=True)]

    @property
    def is_platform(self) -> bool:
        return self.role in PLATFORM_ROLES

    def get_full_name(self) -> str:
        """The person's name as every page, notice and paper shows it: a Chinese
        name family name first and without a space (张伟), any other name given
        name first (Wei Zhang)."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if _has_cjk(first) or _has_cjk(last):
            return f"{last}{first}"
        return f"{first} {last}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The zone the user reads and types times in: their own, or the
        platform's (``TIME_ZONE``) when they have none or it is no longer known."""
        if self.time_zone:
            try:
                return zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        return timezone.get_default_timezone()


class ApiTokenQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        if not getattr(actor, "is_authenticated", False):
            return self.none()
        return self.filter(user=actor)

    def active(self):
        """Not revoked (an expired token still holds its name until revoked)."""
        return self.filter(revoked_at__isnull=True)

    def usable(self, now):
        """Not revoked and not expired at ``now``."""
        return self.active().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A bearer token a user creates for integrations. Only its SHA-256 is kept;
    the plain token is shown once, when it is created. It works until revoked, or
    until ``expires_at`` when its owner gave it an expiry date."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_active_name_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
