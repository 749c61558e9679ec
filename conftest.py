"""The named cast every app's tests share (see ``sanbao/testkit/``).

Organisations: ``platform_org``, ``agent_a``, ``agent_b``, ``enterprise_c``,
``outlet_d``. Users, one per role: ``platform_staff``, ``platform_manager``,
``administrator``, ``commercial_commissioner``, ``cs_commissioner``,
``agent_a_clerk``, ``agent_b_clerk``, ``enterprise_clerk``, ``outlet_tech``.
A small catalog: categories ``power_banks`` and ``adapters``, models ``pb10k``,
``pb20k``, ``pb5k`` (power banks) and ``ad65`` (adapter), and one unit sold through
each return unit: ``unit_of_agent_a``, ``unit_of_agent_b``,
``unit_of_enterprise_c``. ``cast`` reaches any of them by attribute.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from sanbao.testkit.cast import Cast, make_cast_org, make_cast_user

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


@pytest.fixture
def cast(request, db) -> Cast:
    return Cast(request)


# Organisations -------------------------------------------------------------


@pytest.fixture
def platform_org(db):
    return make_cast_org("platform_org")


@pytest.fixture
def agent_a(db):
    return make_cast_org("agent_a")


@pytest.fixture
def agent_b(db):
    return make_cast_org("agent_b")


@pytest.fixture
def enterprise_c(db):
    return make_cast_org("enterprise_c")


@pytest.fixture
def outlet_d(db):
    return make_cast_org("outlet_d")


# Users -----------------------------------------------------------------------


@pytest.fixture
def platform_staff(platform_org):
    return make_cast_user("platform_staff", platform_org)


@pytest.fixture
def platform_manager(platform_org):
    return make_cast_user("platform_manager", platform_org)


@pytest.fixture
def administrator(platform_org):
    return make_cast_user("administrator", platform_org)


@pytest.fixture
def commercial_commissioner(platform_org):
    return make_cast_user("commercial_commissioner", platform_org)


@pytest.fixture
def cs_commissioner(platform_org):
    return make_cast_user("cs_commissioner", platform_org)


@pytest.fixture
def agent_a_clerk(agent_a):
    return make_cast_user("agent_a_clerk", agent_a)


@pytest.fixture
def agent_b_clerk(agent_b):
    return make_cast_user("agent_b_clerk", agent_b)


@pytest.fixture
def enterprise_clerk(enterprise_c):
    return make_cast_user("enterprise_clerk", enterprise_c)


@pytest.fixture
def outlet_tech(outlet_d):
    return make_cast_user("outlet_tech", outlet_d)


# Catalog ---------------------------------------------------------------------


@pytest.fixture
def power_banks(db):
    from sanbao.catalog.tests.factories import CategoryFactory

    return CategoryFactory(
        code="power-bank",
        name_en="Power banks",
        name_zh="移动电源",
        required_accessories=["data cable"],
    )


@pytest.fixture
def adapters(db):
    from sanbao.catalog.tests.factories import CategoryFactory

    return CategoryFactory(
        code="adapter", name_en="Adapters", name_zh="充电器", must_be_bundled=True
    )


@pytest.fixture
def pb10k(power_banks):
    from sanbao.catalog.tests.factories import ProductModelFactory

    return ProductModelFactory(
        code="PB10K",
        name_en="Power Bank 10000 mAh",
        name_zh="充电宝 10000毫安",
        category=power_banks,
        capacity_mah=10000,
        rated_output_w=Decimal("22.5"),
        port_count=2,
    )


@pytest.fixture
def pb20k(power_banks):
    from sanbao.catalog.tests.factories import ProductModelFactory

    return ProductModelFactory(
        code="PB20K",
        name_en="Power Bank 20000 mAh",
        name_zh="充电宝 20000毫安",
        category=power_banks,
        capacity_mah=20000,
        rated_output_w=Decimal("22.5"),
        port_count=3,
    )


@pytest.fixture
def pb5k(power_banks):
    from sanbao.catalog.tests.factories import ProductModelFactory

    return ProductModelFactory(
        code="PB5K",
        name_en="Power Bank 5000 mAh",
        name_zh="充电宝 5000毫安",
        category=power_banks,
        capacity_mah=5000,
        rated_output_w=Decimal("10.0"),
        port_count=1,
    )


@pytest.fixture
def ad65(adapters):
    from sanbao.catalog.tests.factories import ProductModelFactory

    return ProductModelFactory(
        code="AD65",
        name_en="GaN Adapter 65 W",
        name_zh="氮化镓充电器 65W",
        category=adapters,
        capacity_mah=None,
        rated_output_w=Decimal("65.0"),
        port_count=3,
    )


def _unit(serial, model, org):
    from sanbao.catalog.tests.factories import UnitFactory

    return UnitFactory(
        serial=serial,
        model=model,
        channel_org=org,
        sale_date=dt.date(2025, 6, 1),
        warranty_card_no=f"WC{serial}",
    )


@pytest.fixture
def unit_of_agent_a(pb10k, agent_a):
    return _unit("SBA000001", pb10k, agent_a)


@pytest.fixture
def unit_of_agent_b(pb10k, agent_b):
    return _unit("SBB000001", pb10k, agent_b)


@pytest.fixture
def unit_of_enterprise_c(pb20k, enterprise_c):
    return _unit("SBC000001", pb20k, enterprise_c)
