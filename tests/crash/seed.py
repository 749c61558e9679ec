"""Seed the crash test's database (run as a script, under ``config.settings``).

Writes, through the application's own services and the test cast: platform
staff and agent A's clerk with one API token per client, a return batch of agent A
opened for receipt (so it takes scans), and agent A's units for claim intake.
Prints one JSON line: the batch number, the label codes, the serials, the tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import django


def main(clients: int, labels: int, serials: int) -> dict:
    django.setup()
    from django.utils import timezone

    from sanbao.accounts.services import token_create
    from sanbao.catalog.tests.factories import CategoryFactory, ProductModelFactory, UnitFactory
    from sanbao.returns import policy, services
    from sanbao.returns.services import LineIn
    from sanbao.testkit.cast import make_cast_org, make_cast_user

    platform_org = make_cast_org("platform_org")
    agent_a = make_cast_org("agent_a")
    staff = make_cast_user("platform_staff", platform_org)
    clerk = make_cast_user("agent_a_clerk", agent_a)
    category = CategoryFactory(
        code="power-bank",
        name_en="Power banks",
        name_zh="移动电源",
        required_accessories=["data cable"],
    )
    model = ProductModelFactory(category=category, code="PB10K")
    today = timezone.localdate()
    units = [
        UnitFactory(
            serial=f"SBCRASH{n:05d}",
            model=model,
            channel_org=agent_a,
            sale_date=today - dt.timedelta(days=30),
        ).serial
        for n in range(serials)
    ]
    batch = services.batch_create(
        actor=clerk,
        lines=[
            LineIn(
                model_code="PB10K",
                quantity=labels,
                fault="No output",
                box_no=1,
                accessories=["data cable"],
            )
        ],
        packed_on=today - dt.timedelta(days=1),
        contact_person="Wang Fang",
        contact_phone="0755-8888 1234",
        declared_units=labels,
        declared_boxes=1,
        carrier="SF Express",
        waybill_no="SF1234567890",
        home_delivery=True,
        freight="prepaid",
    )
    services.batch_submit(batch=batch, actor=clerk)
    services.receipt_open(batch=batch, actor=staff)
    return {
        "batch": batch.number,
        "labels": [policy.label_code(batch.number, 1, seq) for seq in range(1, labels + 1)],
        "serials": units,
        "staff_tokens": [token_create(actor=staff, name=f"crash-{i}")[1] for i in range(clients)],
        "clerk_tokens": [token_create(actor=clerk, name=f"crash-{i}")[1] for i in range(clients)],
    }


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:4]))))
