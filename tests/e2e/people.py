"""What every journey does with its people: one password, logging in and out, and the
platform, agent and power banks most journeys start from."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

PASSWORD = "journey-password-1"


def log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def log_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def person(organisation, username: str, role: str, **fields):
    """A user of ``organisation`` who logs in with the journeys' password."""
    from sanbao.accounts.services import user_create

    return user_create(
        actor=None,
        organisation=organisation,
        username=username,
        password=PASSWORD,
        role=role,
        **fields,
    )


def platform():
    """The after-sales centre."""
    from sanbao.accounts.models import Organisation
    from sanbao.accounts.roles import OrgKind

    return Organisation.objects.create(
        code="SANBAO", kind=OrgKind.PLATFORM, name_en="Sanbao", name_zh="三包"
    )


def shenzhen_agent(**fields):
    """The agent whose clerk sends return batches."""
    from sanbao.accounts.models import Organisation
    from sanbao.accounts.roles import OrgKind

    return Organisation.objects.create(
        code="AG-SZ01",
        kind=OrgKind.AGENT,
        name_en="Shenzhen Digital Trading",
        name_zh="深圳数码贸易",
        **fields,
    )


def power_banks(**fields):
    """The power bank category."""
    from sanbao.catalog.models import Category

    return Category.objects.create(
        code="power-bank", name_en="Power banks", name_zh="移动电源", **fields
    )


def power_bank(category, capacity: int = 10_000, ports: int = 2):
    """A power bank model ``PB-10K`` (or ``PB-20K`` for 20,000 mAh) of ``category``."""
    from sanbao.catalog.models import ProductModel

    thousands = capacity // 1000
    return ProductModel.objects.create(
        code=f"PB-{thousands}K",
        name_en=f"Power bank {thousands} 000 mAh",
        name_zh=f"移动电源 {capacity}毫安",
        category=category,
        capacity_mah=capacity,
        rated_output_w=Decimal("22.5"),
        port_count=ports,
    )


def agent_with_power_banks(**fields):
    """The Shenzhen agent, and a PB-10K whose category requires its data cable."""
    power_bank(power_banks(required_accessories=["data cable"]))
    return shenzhen_agent(**fields)


FAULTS = ("USB-C port loose", "Does not charge", "Battery swollen")


def power_banks_in_receipt(clerk, staff, faults=FAULTS):
    """One PB-10K a fault, with its cable, in one box: listed and submitted by
    ``clerk``, opened for receipt by ``staff``."""
    from django.utils import timezone

    from sanbao.returns import services
    from sanbao.returns.services import LineIn

    lines = [
        LineIn(
            model_code="PB-10K",
            quantity=1,
            fault=fault,
            box_no=1,
            serial=f"PB10K-{n:05d}",
            accessories=["data cable"],
        )
        for n, fault in enumerate(faults, 1)
    ]
    batch = services.batch_create(
        actor=clerk,
        lines=lines,
        declared_units=len(lines),
        declared_boxes=1,
        packed_on=timezone.localdate(),
        contact_person="Wang Fang",
        contact_phone="0755 8321 5566",
        carrier="SF Express",
        waybill_no="SF1234567890",
    )
    services.batch_submit(batch=batch, actor=clerk)
    return services.receipt_open(batch=batch, actor=staff)
