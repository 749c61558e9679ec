from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from sanbao.catalog.models import Region
from sanbao.catalog.selectors import MODEL_SORTS, UNIT_SORTS
from sanbao.core.api import SORT_HELP, Day, PageNumber, PageSize


class CategoryOut(Schema):
    code: str
    name_en: str
    name_zh: str
    warranty_months: int
    return_window_days: int
    exchange_window_days: int
    repair_attempts_limit: int
    repair_days_limit: int
    new_warranty_on_replacement: bool
    required_accessories: list[str]
    must_be_bundled: bool


class ProductModelOut(Schema):
    code: str
    name_en: str
    name_zh: str
    category: str = Field(..., alias="category.code")
    capacity_mah: int | None
    rated_output_w: Decimal | None
    port_count: int | None
    battery_life_h: Decimal | None
    is_active: bool


ModelSort = MODEL_SORTS.literal()


class ModelFilters(Schema):
    category: str | None = Field(None, max_length=32)
    q: str | None = Field(None, max_length=100, description="Part of the code or a name")
    sort: ModelSort | None = Field(None, description=SORT_HELP)


class NotLowerOut(Schema):
    original: str
    candidate: str
    ok: bool
    reason: str
    shortfalls: list[str]


class UnitOut(Schema):
    serial: str
    model: str = Field(..., alias="model.code")
    category: str = Field(..., alias="model.category.code")
    authorised_channel: bool
    channel_org: str | None = Field(None, alias="channel_org.code")
    sale_date: dt.date | None
    region: Region
    in_scope: bool
    warranty_card_no: str
    production_lot: str


UnitSort = UNIT_SORTS.literal()


class UnitFilters(Schema):
    serial: str | None = Field(None, max_length=40, description="Serial prefix")
    model: str | None = Field(None, max_length=40)
    category: str | None = Field(None, max_length=32)
    region: Region | None = None
    channel_org: str | None = Field(None, max_length=32)
    authorised: bool | None = None
    sold_from: Day | None = None
    sold_to: Day | None = None
    sort: UnitSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


class RowErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportReportOut(Schema):
    filename: str
    mode: str
    total_rows: int
    valid_rows: int
    bad_rows: int
    created: int
    unchanged: int
    written: bool
    errors: list[RowErrorOut]


class ImportRejectedOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}
    params: dict[str, str] = {}
    report: ImportReportOut | None = None
