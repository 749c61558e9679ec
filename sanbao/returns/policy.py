"""Packing rules and receipt arithmetic for returns to the factory (SPEC IV). Pure.

``packing_problems`` checks a batch before it may be submitted: each problem names
the clause, the line (or the batch) and a code. ``receipt_differences`` compares
what was declared with what was counted; the physical count prevails (IV.1).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sanbao.catalog import accessories
from sanbao.catalog.exclusions import shown_by_the_unit

COD, PREPAID = "cod", "prepaid"

# The repair list prints a fixed number of lines a page, so the packing list can
# state its page count (IV.2) before it is printed, and the two always agree.
REPAIR_LIST_LINES_PER_PAGE = 20


def repair_list_pages(line_count: int) -> int:
    """IV.2: pages of the repair list for ``line_count`` lines (at least one page)."""
    return max(1, -(-line_count // REPAIR_LIST_LINES_PER_PAGE))


@dataclass(frozen=True)
class LineFacts:
    line_no: int
    category: str
    quantity: int
    box_no: int
    accessories: frozenset[str] = frozenset()
    required_accessories: frozenset[str] = frozenset()
    must_be_bundled: bool = False
    bundled: bool = False


@dataclass(frozen=True)
class Problem:
    clause: str
    code: str
    line_no: int | None = None  # None: the batch as a whole
    params: dict = field(default_factory=dict)
    blocking: bool = True  # False: allowed, but recorded (IV.P6)


def _norm(items: Iterable[str]) -> frozenset[str]:
    """Accessory names compared without regard to case or spacing, a known one in
    English or Chinese alike ("数据线" is the data cable, IV.P1)."""
    return frozenset(accessories.canonical(i).casefold() for i in items if i and i.strip())


def packing_problems(
    lines: Sequence[LineFacts], *, freight: str, home_delivery: bool
) -> list[Problem]:
    """IV.P1, IV.P3, IV.P4, IV.P5, IV.P6 for a batch about to be submitted.

    - IV.P1: a line of a category with required accessories (a power bank's data
      cable) must list them all;
    - IV.P3: one box holds one category only;
    - IV.P4: lines of a category that must be bundled (adapters, cables) are bundled;
    - IV.P5: cash on delivery is refused (the sender pays);
    - IV.P6: no home delivery is allowed, but the extra cost is the shipper's.
    """
    problems: list[Problem] = []
    if not lines:
        problems.append(Problem("IV.1", "returns.no_lines"))
    for line in lines:
        missing = _norm(line.required_accessories) - _norm(line.accessories)
        if missing:
            problems.append(
                Problem(
                    "IV.P1",
                    "returns.accessories_missing",
                    line.line_no,
                    {"missing": ", ".join(sorted(missing))},
                )
            )
        if line.must_be_bundled and not line.bundled:
            problems.append(Problem("IV.P4", "returns.not_bundled", line.line_no))
    by_box: dict[int, set[str]] = defaultdict(set)
    for line in lines:
        by_box[line.box_no].add(line.category)
    for box, categories in sorted(by_box.items()):
        if len(categories) > 1:
            problems.append(
                Problem(
                    "IV.P3",
                    "returns.box_mixes_categories",
                    None,
                    {"box": box, "categories": ", ".join(sorted(categories))},
                )
            )
    if freight == COD:
        problems.append(Problem("IV.P5", "returns.cash_on_delivery_refused"))
    if not home_delivery:
        problems.append(Problem("IV.P6", "returns.extra_cost_to_shipper", blocking=False))
    return problems


@dataclass(frozen=True)
class LineCount:
    line_no: int
    declared: int
    counted: int
    accessories_missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Difference:
    kind: str  # missing_units, extra_units, unlisted_units, unlabelled_units, boxes, accessories
    line_no: int | None
    expected: int
    found: int
    detail: str = ""


def receipt_differences(
    counts: Sequence[LineCount],
    *,
    declared_boxes: int,
    received_boxes: int,
    unlisted: int = 0,
    unlabelled: int = 0,
) -> list[Difference]:
    """IV.1, IV.4: what differs between the packing list and what arrived."""
    diffs: list[Difference] = []
    for c in counts:
        if c.counted < c.declared:
            diffs.append(Difference("missing_units", c.line_no, c.declared, c.counted))
        elif c.counted > c.declared:
            diffs.append(Difference("extra_units", c.line_no, c.declared, c.counted))
        if c.accessories_missing:
            diffs.append(
                Difference("accessories", c.line_no, 0, 0, ", ".join(sorted(c.accessories_missing)))
            )
    if unlisted:
        diffs.append(Difference("unlisted_units", None, 0, unlisted))
    if unlabelled:
        diffs.append(Difference("unlabelled_units", None, 0, unlabelled))
    if received_boxes != declared_boxes:
        diffs.append(Difference("boxes", None, declared_boxes, received_boxes))
    return diffs


def received_total(counts: Sequence[LineCount], *, unlisted: int = 0, unplaced: int = 0) -> int:
    """IV.1: the physical quantity received: every unit counted, listed or not.

    ``unplaced`` are units that arrived without a label and could not be put on a
    line of the list: they are not on any line's count, but they did arrive."""
    return sum(c.counted for c in counts) + unlisted + unplaced


# A line of the packing list holds at most this many units: a label numbers each
# unit of its line with three digits (IV.3).
LINE_QUANTITY_MAX = 999

# A label's code: the batch number, the line and the unit's sequence on the line,
# three ASCII digits each (a batch has at most 500 lines of at most 999 units).
LABEL_CODE_RE = re.compile(r"([A-Z0-9]+(?:-[A-Z0-9]+)*)-([0-9]{3})-([0-9]{3})", re.ASCII)


def label_code(batch_number: str, line_no: int, seq: int) -> str:
    """IV.3: the code printed on the fault label of one unit (Code 128 / QR)."""
    top = LINE_QUANTITY_MAX
    if not (1 <= line_no <= top and 1 <= seq <= top):
        raise ValueError(f"line {line_no} / unit {seq} out of the label's range 1-{top}")
    return f"{batch_number}-{line_no:03d}-{seq:03d}"


def parse_label_code(code: str) -> tuple[str, int, int] | None:
    """(batch number, line, sequence) of a scanned label, or None if it is not one.

    What a keyboard-wedge scanner types is trimmed and upper-cased (Caps Lock);
    anything else (non-ASCII digits, an empty batch part, a line or unit 000) is
    not a label."""
    code = (code or "").strip()
    if not code.isascii():
        return None
    match = LABEL_CODE_RE.fullmatch(code.upper())
    if match is None:
        return None
    number, line_no, seq = match[1], int(match[2]), int(match[3])
    if line_no == 0 or seq == 0:
        return None
    return number, line_no, seq


# --- Testing, dispositions and the turnaround (IV.5, IV.6, IV.P2) ----------------------

FAULT_CONFIRMED, NO_FAULT_FOUND, EXCLUDED = "fault_confirmed", "no_fault_found", "excluded"
REPAIRED, REPLACED, RETURNED_AS_IS, CHARGED = "repaired", "replaced", "returned_as_is", "charged"

# The exclusions of section III a tested unit may fall under.
EXCLUSION_RULES = (
    "III.1", "III.2", "III.3", "III.4", "III.5",
    "III.6", "III.7", "III.8", "III.9", "III.10",
)  # fmt: skip
# Exclusions shown by the unit itself (``catalog.exclusions.PHOTO_RULES``, which a
# claim's inspection asks the same of): the test records a photo of what was seen.

# What may be done with a unit after its test. A confirmed fault is repaired or the
# unit replaced (II.3); a unit that does not meet the requirements (no fault found,
# or excluded) is sent back as it is or charged, as the platform's test found (IV.P2).
DISPOSITIONS_OPEN = {
    FAULT_CONFIRMED: (REPAIRED, REPLACED),
    NO_FAULT_FOUND: (RETURNED_AS_IS, CHARGED),
    EXCLUDED: (RETURNED_AS_IS, CHARGED),
}


def dispositions_open(result: str) -> tuple[str, ...]:
    """IV.P2, II.3: the dispositions open after a test ``result`` (none before one)."""
    return DISPOSITIONS_OPEN.get(result, ())


def photo_required(result: str, rule: str) -> bool:
    """An exclusion the unit shows (III.4–III.8, III.10) is proved by a photo."""
    return result == EXCLUDED and shown_by_the_unit(rule)


@dataclass(frozen=True)
class UnitState:
    settled: bool  # tested and dealt with
    delayed: bool  # IV.6
    shipped: bool  # in a shipment that left
    late_delay: bool = False  # delayed, but declared after the due date: no excuse


def delay_excused(delayed_on, due_on) -> bool:
    """IV.5, IV.6: a delay declared by the end of the due day excuses the unit (it
    follows later without making the batch late); one declared after the due day
    does not make a late batch punctual. Without a due date nothing is late."""
    return due_on is None or delayed_on is None or delayed_on <= due_on


def batch_after_testing(units: Sequence[UnitState]) -> str | None:
    """IV.5, IV.6: a batch under test is ``ready`` to go back once every unit is dealt
    with or delayed (delayed units follow later and do not hold the rest up); when
    every unit is delayed there is nothing to send yet: the batch is ``delayed``.
    None while a unit still waits for its test or disposition."""
    if not units or not all(u.settled or u.delayed for u in units):
        return None
    return "delayed" if all(u.delayed for u in units) else "ready"


def batch_after_shipment(units: Sequence[UnitState]) -> str | None:
    """The state of a batch after one of its shipments left: ``shipped`` when every
    unit has gone back, ``delayed`` when only delayed units remain (IV.6), else
    None (ready units still wait for a shipment)."""
    remaining = [u for u in units if not u.shipped]
    if not remaining:
        return "shipped"
    if all(u.delayed for u in remaining):
        return "delayed"
    return None


def working_days_late(due_on, shipped_on, working_days_between) -> int:
    """IV.5: 0 when shipped by the due day; otherwise the working days after the due
    day up to the shipping day, at least one (shipping on a rest day after the due
    day is late all the same)."""
    if shipped_on <= due_on:
        return 0
    return max(1, working_days_between(due_on, shipped_on))
