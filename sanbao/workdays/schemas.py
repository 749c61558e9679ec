"""The calendar API's shapes (SPEC IV.5).

The schemas refuse only what is not the right shape (422). Values the services
judge (a kind that is neither, a name too long, a year out of range) are answered
400 by the services with the field named, in the request's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from sanbao.core.api import Day
from sanbao.workdays.services import MAX_WORKING_DAYS

Kind = Literal["holiday", "workday"]


class CalendarDayIn(Schema):
    kind: str = Field(
        ...,
        max_length=40,
        description="`holiday` (a day off) or `workday` (a make-up working day, 调休)",
    )
    name: str = Field("", max_length=200, description="e.g. 国庆节 / National Day; at most 60")


class CalendarYearEnteredIn(Schema):
    note: str = Field(
        "", max_length=2000, description="e.g. the State Council notice; at most 500 characters"
    )


class WorkingDaysFilters(Schema):
    start: Day = Field(..., description="The day the count starts from; it never counts")
    n: int = Field(
        settings.SANBAO_TURNAROUND_WORKING_DAYS,
        ge=1,
        le=MAX_WORKING_DAYS,
        description="How many working days (IV.5: the turnaround is 3)",
    )


class CalendarDayOut(Schema):
    day: dt.date
    kind: Kind
    name: str
    source: Literal["library", "override"] = Field(
        ..., description="`override`: the administrator's, which wins over the library"
    )
    library_kind: Kind | None = Field(
        None, description="What the library says of an overridden day (null: an ordinary day)"
    )
    library_name: str = ""


class CalendarEntryOut(Schema):
    entered_by: str = Field(..., alias="entered_by.username")
    entered_at: dt.datetime
    note: str


class CalendarYearOut(Schema):
    year: int
    status: Literal["library", "entered", "unknown"] = Field(
        ...,
        description="`library`: the holidays library knows the official schedule; "
        "`entered`: the administrator marked it as entered; `unknown`: due dates in "
        "the year are provisional",
    )
    library_knows: bool
    entered: CalendarEntryOut | None = Field(None, alias="entry")
    working_days: int = Field(..., description="Working days in the year")
    days: list[CalendarDayOut] = Field(..., description="Holidays and make-up working days")


class WorkingDaysOut(Schema):
    start: dt.date
    n: int
    due: dt.date = Field(..., description="The n-th working day after start")
    provisional: bool = Field(
        ..., description="A year from start to due has no known official schedule"
    )
