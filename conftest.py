"""The named cast every app's tests share (see ``sanbao/testkit/``).

Organisations: ``platform_org``, ``agent_a``, ``agent_b``, ``enterprise_c``,
``outlet_d``. Users, one per role: ``platform_staff``, ``platform_manager``,
``administrator``, ``commercial_commissioner``, ``cs_commissioner``,
``agent_a_clerk``, ``agent_b_clerk``, ``enterprise_clerk``, ``outlet_tech``.
A small catalog: categories ``power_banks``, ``adapters`` and ``cables``, models
``pb10k``, ``pb20k``, ``pb5k`` (power banks), ``ad65`` (adapter) and ``cb1m``
(data cable), and one unit sold through each return unit: ``unit_of_agent_a``,
``unit_of_agent_b``, ``unit_of_enterprise_c``. ``cast`` reaches any of them by
attribute.

Each member is declared once, in the tables below, and becomes a fixture of that
name which first asks for the members it needs (a user its organisation, a model
its category), so a test names only the members it uses and gets them created on
first use, in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from sanbao.testkit.cast import CAST_ORGS, CAST_USERS, Cast, make_cast_org, make_cast_user

# Property tests: no per-example deadline (no wall-clock assertions; PostgreSQL
# and a busy machine are slower) and no example database written into the checkout.
hypothesis_settings.register_profile("sanbao", deadline=None, database=None)
hypothesis_settings.load_profile("sanbao")


@pytest.fixture(autouse=True)
def _reset_language():
    """A request activates its language on the thread; do not let it leak into
    the next test."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The test SMS backend's outbox (``notifications.sms.outbox``) starts empty, as
    Django empties ``mail.outbox`` before each test."""
    from sanbao.notifications import sms

    sms.outbox.clear()


@pytest.fixture
def cast(request, db) -> Cast:
    return Cast(request)


# The catalog: fixture name -> its fields (a model also names its category's fixture).
CATEGORIES: dict[str, dict] = {
    "power_banks": {
        "code": "power-bank",
        "name_en": "Power banks",
        "name_zh": "移动电源",
        "required_accessories": ["data cable"],
    },
    "adapters": {
        "code": "adapter",
        "name_en": "Adapters",
        "name_zh": "充电器",
        "must_be_bundled": True,
    },
    # Data cables must be bundled with a tie (IV.P4).
    "cables": {
        "code": "cable",
        "name_en": "Data cables",
        "name_zh": "数据线",
        "must_be_bundled": True,
    },
}

MODELS: dict[str, tuple[str, dict]] = {
    "pb10k": (
        "power_banks",
        {
            "code": "PB10K",
            "name_en": "Power Bank 10000 mAh",
            "name_zh": "充电宝 10000毫安",
            "capacity_mah": 10000,
            "rated_output_w": Decimal("22.5"),
            "port_count": 2,
        },
    ),
    "pb20k": (
        "power_banks",
        {
            "code": "PB20K",
            "name_en": "Power Bank 20000 mAh",
            "name_zh": "充电宝 20000毫安",
            "capacity_mah": 20000,
            "rated_output_w": Decimal("22.5"),
            "port_count": 3,
        },
    ),
    "pb5k": (
        "power_banks",
        {
            "code": "PB5K",
            "name_en": "Power Bank 5000 mAh",
            "name_zh": "充电宝 5000毫安",
            "capacity_mah": 5000,
            "rated_output_w": Decimal("10.0"),
            "port_count": 1,
        },
    ),
    "ad65": (
        "adapters",
        {
            "code": "AD65",
            "name_en": "GaN Adapter 65 W",
            "name_zh": "氮化镓充电器 65W",
            "capacity_mah": None,
            "rated_output_w": Decimal("65.0"),
            "port_count": 3,
        },
    ),
    "cb1m": (
        "cables",
        {
            "code": "CB1M",
            "name_en": "USB-C cable 1 m",
            "name_zh": "USB-C 数据线 1米",
            "capacity_mah": None,
            "rated_output_w": None,
            "port_count": None,
        },
    ),
}

# fixture name -> (serial, model fixture, organisation fixture); sold 1 June 2025.
UNITS: dict[str, tuple[str, str, str]] = {
    "unit_of_agent_a": ("SBA000001", "pb10k", "agent_a"),
    "unit_of_agent_b": ("SBB000001", "pb10k", "agent_b"),
    "unit_of_enterprise_c": ("SBC000001", "pb20k", "enterprise_c"),
}


def _make_category(name: str):
    from sanbao.catalog.tests.factories import CategoryFactory

    return CategoryFactory(**CATEGORIES[name])


def _make_model(name: str, category):
    from sanbao.catalog.tests.factories import ProductModelFactory

    return ProductModelFactory(category=category, **MODELS[name][1])


def _make_unit(name: str, model, organisation):
    from sanbao.catalog.tests.factories import UnitFactory

    serial = UNITS[name][0]
    return UnitFactory(
        serial=serial,
        model=model,
        channel_org=organisation,
        sale_date=dt.date(2025, 6, 1),
        warranty_card_no=f"WC{serial}",
    )


def _member(name: str, make: Callable, needs: tuple[str, ...] = ()):
    """A fixture ``name`` that builds its member with ``make(name, *needs)``, each
    need being the value of the fixture of that name."""

    def fixture(request, db):
        return make(name, *(request.getfixturevalue(need) for need in needs))

    fixture.__name__ = fixture.__qualname__ = name
    fixture.__doc__ = f"The cast member ``{name}``."
    return pytest.fixture(fixture, name=name)


for _name in CAST_ORGS:
    globals()[_name] = _member(_name, make_cast_org)
for _name, _user in CAST_USERS.items():
    globals()[_name] = _member(_name, make_cast_user, (_user.org,))
for _name in CATEGORIES:
    globals()[_name] = _member(_name, _make_category)
for _name, (_category, _fields) in MODELS.items():
    globals()[_name] = _member(_name, _make_model, (_category,))
for _name, (_serial, _model, _org) in UNITS.items():
    globals()[_name] = _member(_name, _make_unit, (_model, _org))
