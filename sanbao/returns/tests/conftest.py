"""Return-batch fixtures: ``draft(actor, lines=..., **header)`` writes a draft through
the service with a valid packing list; ``pb_lines(n, box)`` makes power-bank lines
that carry their data cable (IV.P1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.returns import services
from sanbao.returns.services import LineIn


def pb_lines(count: int, *, box: int = 1, model: str = "PB10K", fault: str = "No output"):
    return [
        LineIn(
            model_code=model,
            quantity=1,
            fault=fault,
            box_no=box,
            serial=f"SBX{box:02d}{i:04d}",
            accessories=["data cable"],
        )
        for i in range(1, count + 1)
    ]


def draft(actor, lines, **header):
    data = {
        "packed_on": timezone.localdate() - dt.timedelta(days=1),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "declared_units": sum(line.quantity for line in lines),
        "declared_boxes": max(line.box_no for line in lines),
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "home_delivery": True,
        "freight": "prepaid",
    }
    data.update(header)
    return services.batch_create(actor=actor, lines=lines, **data)


@pytest.fixture
def batch_of_agent_a(agent_a_clerk, pb10k, ad65):
    return draft(agent_a_clerk, pb_lines(3))
