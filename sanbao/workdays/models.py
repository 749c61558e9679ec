"""The administrator's overrides of the working-day calendar (SPEC IV.5).

The ``holidays`` package gives mainland China's public holidays and, for the years
whose official schedule it knows, the make-up working days (调休). Each year the
State Council publishes the next year's schedule; until the package knows it, the
administrator enters it here: a ``CalendarDay`` per date that differs from the
package, and a ``CalendarYear`` saying the year's schedule is complete.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import can
from sanbao.core.modelfields import choice_constraint, user_reference

# The calendar covers these years; a date or year outside is refused.
MIN_YEAR = 2000
MAX_YEAR = 2100
NAME_MAX_LENGTH = 60
NOTE_MAX_LENGTH = 500


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarQuerySet(models.QuerySet):
    """The calendar is one for everybody: whoever may view it sees all of it."""

    def visible_to(self, actor):
        return self.all() if can(actor, "calendar.view") else self.none()


class CalendarDay(models.Model):
    """One date whose kind the administrator set: it wins over the package for
    that date (a holiday the package lacks, or a make-up working day)."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(
        _("name"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("For example 国庆节 / National Day."),
    )
    created_by = user_reference(_("set by"))
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            choice_constraint("kind", DayKind, "calendar_day_kind_valid"),
            models.CheckConstraint(
                condition=Q(day__gte=dt.date(MIN_YEAR, 1, 1), day__lte=dt.date(MAX_YEAR, 12, 31)),
                name="calendar_day_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """The administrator's statement that the official schedule of ``year`` has
    been entered: a year the package does not know is then known, and due dates
    in it are no longer provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    entered_by = user_reference(_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    note = models.CharField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("For example the State Council notice the schedule comes from."),
    )

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("entered year")
        verbose_name_plural = _("entered years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="calendar_year_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)
