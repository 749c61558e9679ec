"""Packing rules and receipt arithmetic for returns to the factory (SPEC IV). Pure.

``packing_problems`` checks a batch before it may be submitted: each problem names
the clause, the line (or the batch) and a code. ``receipt_differences`` compares
what was declared with what was counted; the physical count prevails (IV.1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
    return frozenset(i.strip().lower() for i in items if i and i.strip())


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


def received_total(counts: Sequence[LineCount], *, unlisted: int = 0) -> int:
    """IV.1: the physical quantity received: every unit counted, listed or not."""
    return sum(c.counted for c in counts) + unlisted


def label_code(batch_number: str, line_no: int, seq: int) -> str:
    """IV.3: the code printed on the fault label of one unit (Code 128 / QR)."""
    return f"{batch_number}-{line_no:03d}-{seq:03d}"


def parse_label_code(code: str) -> tuple[str, int, int] | None:
    """(batch number, line, sequence) of a scanned label, or None if it is not one."""
    code = (code or "").strip().upper()
    parts = code.rsplit("-", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    if len(parts[1]) != 3 or len(parts[2]) != 3:
        return None
    return parts[0], int(parts[1]), int(parts[2])
