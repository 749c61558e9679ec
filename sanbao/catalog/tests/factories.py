"""Factories for categories, product models and units. The catalog has no
create service yet, so these write rows directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from sanbao.catalog.models import Category, ProductModel, Region, Unit


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Category {o.code}")
    name_zh = factory.LazyAttribute(lambda o: f"品类 {o.code}")


class ProductModelFactory(DjangoModelFactory):
    class Meta:
        model = ProductModel

    code = factory.Sequence(lambda n: f"MODEL{n:04d}")
    name_en = factory.LazyAttribute(lambda o: f"Model {o.code}")
    name_zh = factory.LazyAttribute(lambda o: f"型号 {o.code}")
    category = factory.SubFactory(CategoryFactory)
    capacity_mah = 10000
    rated_output_w = Decimal("22.5")
    port_count = 2
    battery_life_h = None


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    serial = factory.Sequence(lambda n: f"SBU{n:08d}")
    model = factory.SubFactory(ProductModelFactory)
    authorised_channel = True
    channel_org = None
    sale_date = dt.date(2025, 3, 1)
    region = Region.MAINLAND
    warranty_card_no = factory.LazyAttribute(lambda o: f"WC-{o.serial}")


def model_without_specs(category, code: str = "PB-BARE"):
    """A model entered without any performance specification (II.3)."""
    return ProductModelFactory(
        category=category,
        code=code,
        name_en="Power bank (no specs)",
        name_zh="充电宝（无指标）",
        capacity_mah=None,
        rated_output_w=None,
        port_count=None,
        battery_life_h=None,
    )
