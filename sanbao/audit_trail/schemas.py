from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from sanbao.audit_trail.selectors import EVENT_SORTS
from sanbao.core.api import SORT_HELP, Day, PageNumber, PageSize

EventSort = EVENT_SORTS.literal()


class AuditFilters(Schema):
    record_type: str | None = Field(None, max_length=80, description="e.g. returns.shipment")
    record: str | None = Field(None, max_length=200, description="The record's id, or its number")
    user: str | None = Field(None, max_length=150, description="Part of the user name")
    organisation: str | None = Field(None, max_length=32, description="Organisation code")
    action: str | None = Field(None, max_length=80, description="e.g. shipment.shipped")
    date_from: Day | None = None
    date_to: Day | None = None
    sort: EventSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor: str = Field(description='The user name then; "system" for a job')
    organisation: str | None = Field(None, description="Code of the actor's organisation then")
    action: str
    label: str
    record_type: str
    record_id: str
    record: str
    url: str | None = Field(None, description="The record's page, where it has one")
    data: dict[str, Any]
