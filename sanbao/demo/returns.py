"""The demo's return batches, one in each state from draft to shipped, through
the returns services; each is marked by its note so that loading the demo again
creates none twice."""

from __future__ import annotations

import datetime as dt
import zlib

from sanbao.accounts.models import User
from sanbao.demo.result import DemoResult
from sanbao.returns import policy as returns_policy
from sanbao.returns import selectors as returns_selectors
from sanbao.returns import services as returns
from sanbao.returns.models import ReturnBatch

# (marker, return unit's clerk, [(model, quantity, fault, box, accessories, bundled)],
#  freight, home delivery, how far it goes: draft / submitted / on_hold / received /
#  testing / ready / delayed / shipped)
DEMO_BATCHES = [
    (
        "demo-draft",
        "agent_sz",
        [
            ("PB10K", 4, "Does not charge", 1, ["data cable"], False),
            ("AD20C", 3, "No output", 2, [], True),
        ],
        "prepaid",
        True,
        "draft",
    ),
    (
        "demo-in-transit",
        "agent_cd",
        [
            ("PB20K", 5, "Battery swollen", 1, ["data cable"], False),
            ("CBCC60", 4, "Connector loose", 2, [], True),
        ],
        "prepaid",
        False,
        "submitted",
    ),
    (
        "demo-on-hold",
        "agent_sz",
        [("PB10K", 6, "No output on USB-C", 1, ["data cable"], False)],
        "prepaid",
        True,
        "on_hold",
    ),
    (
        "demo-received",
        "enterprise",
        [("HPT1", 3, "Left earbud silent", 1, [], False)],
        "prepaid",
        True,
        "received",
    ),
    (
        "demo-cash-on-delivery",
        "agent_cd",
        [("AD65G", 2, "Overheats", 1, [], True)],
        "cod",
        True,
        "draft",
    ),
    (
        "demo-testing",
        "agent_cd",
        [("PB20K", 3, "Stops charging after a minute", 1, ["data cable"], False)],
        "prepaid",
        True,
        "testing",
    ),
    (
        "demo-ready",
        "agent_sz",
        [("AD20C", 2, "No output", 1, [], True)],
        "prepaid",
        True,
        "ready",
    ),
    (
        "demo-delayed",
        "agent_sz",
        [("PB10K", 3, "Does not hold charge", 1, ["data cable"], False)],
        "prepaid",
        True,
        "delayed",
    ),
    (
        "demo-shipped",
        "enterprise",
        [("HPT1", 2, "Crackling sound", 1, [], False)],
        "prepaid",
        True,
        "shipped",
    ),
]

WORKSHOP_STAGES = ("testing", "ready", "delayed", "shipped")


def ensure_batches(result: DemoResult, today: dt.date) -> None:
    """Return batches in each state, through the returns services, each marked by its
    note so that loading the demo again creates none twice."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["staff", "agent_sz", "agent_cd", "enterprise"])
    }
    staff = users["staff"]
    for marker, clerk, lines, freight, home, goes_to in DEMO_BATCHES:
        if ReturnBatch.objects.filter(note=marker).exists():
            continue
        line_ins = [
            returns.LineIn(
                model_code=m, quantity=q, fault=f, box_no=b, accessories=acc, bundled=bundled
            )
            for m, q, f, b, acc, bundled in lines
        ]
        batch = returns.batch_create(
            actor=users[clerk],
            lines=line_ins,
            packed_on=today - dt.timedelta(days=2),
            contact_person="Demo contact",
            contact_phone="075588881234",
            declared_units=sum(q for _m, q, *_rest in lines),
            declared_boxes=max(b for _m, _q, _f, b, *_rest in lines),
            carrier="SF Express",
            waybill_no=f"SF{zlib.crc32(marker.encode()):010d}",
            home_delivery=home,
            freight=freight,
            note=marker,
        )
        if goes_to != "draft":
            returns.batch_submit(batch=batch, actor=users[clerk])
        if goes_to in ("on_hold", "received", *WORKSHOP_STAGES):
            returns.receipt_open(batch=batch, actor=staff)
            for line in batch.lines.order_by("line_no"):
                # On hold: the last unit of the list never arrived.
                count = line.quantity - 1 if goes_to == "on_hold" else line.quantity
                for seq in range(1, count + 1):
                    returns.receipt_scan(
                        batch=batch,
                        actor=staff,
                        code=returns_policy.label_code(batch.number, line.line_no, seq),
                    )
            returns.receipt_close(batch=batch, actor=staff, received_boxes=batch.declared_boxes)
        if goes_to in WORKSHOP_STAGES:
            _workshop(batch, staff, goes_to)
        result.batches_created.append(batch.number)


def _workshop(batch, staff, goes_to: str) -> None:
    """Take a received demo batch through testing (IV.P2), delays (IV.6) and
    shipment (IV.7), through the services."""
    returns.testing_start(batch=batch, actor=staff)
    units = list(batch.units.order_by("seq"))
    if goes_to == "testing":
        returns.unit_test(unit=units[0], actor=staff, result="fault_confirmed")
        returns.unit_dispose(
            unit=units[0],
            actor=staff,
            disposition="repaired",
            parts_used=["Charge controller"],
            retained_location="Shelf B-3",
        )
        return
    if goes_to == "delayed":
        returns.unit_delay(
            unit=units[-1], actor=staff, reason="parts_shortage", note="Battery cells on order"
        )
        units = units[:-1]
    for unit in units:
        if goes_to == "shipped" and unit.seq == 1:
            returns.unit_test(
                unit=unit,
                actor=staff,
                result="no_fault_found",
                evidence="Plays normally on both channels after a full charge",
            )
            returns.unit_dispose(
                unit=unit,
                actor=staff,
                disposition="charged",
                charge_amount="15",
                charge_reason="Test fee: no fault found",
            )
        else:
            returns.unit_test(unit=unit, actor=staff, result="fault_confirmed")
            returns.unit_dispose(unit=unit, actor=staff, disposition="repaired")
    if goes_to in ("delayed", "shipped"):
        ready = returns_selectors.units_to_ship(actor=staff, return_org=batch.return_org.code)
        shipment = returns.shipment_create(
            actor=staff,
            return_org_code=batch.return_org.code,
            unit_ids=[u.pk for u in ready if u.batch_id == batch.pk],
            carrier="SF Express",
        )
        returns.shipment_dispatch(
            shipment=shipment,
            actor=staff,
            waybill_no=f"SF{zlib.crc32(shipment.number.encode()):010d}",
        )
