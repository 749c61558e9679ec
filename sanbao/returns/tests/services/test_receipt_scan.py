"""Receipt by scanning (IV.3, IV.1): every unit's fault label has its own code; a
label counts once however often it is scanned; a label of another batch, or of a
line or unit the batch does not have, is refused; the running counts per line and
box follow the scans. Also units without a label or not on the list, and counts
typed by hand."""

from __future__ import annotations

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.returns import policy, services
from sanbao.returns.models import BatchLine, ReceiptScan
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import labels, pb_lines, receiving, scan


@pytest.fixture
def batch(agent_a_clerk, platform_staff, pb10k):
    """Receiving: line 1 holds 3 units in box 1, lines 2 and 3 one unit each in box 2."""
    lines = [
        LineIn(
            model_code="PB10K",
            quantity=3,
            fault="No output",
            box_no=1,
            accessories=["data cable"],
        ),
        *pb_lines(2, box=2),
    ]
    return receiving(agent_a_clerk, platform_staff, lines)


def refused_scan(batch, staff, code, expected_code, **kwargs) -> ValidationFailed:
    """The scan is refused with ``expected_code`` and counts nothing."""
    before = ReceiptScan.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.receipt_scan(batch=batch, actor=staff, code=code, **kwargs)
    assert caught.value.code == expected_code
    assert caught.value.status == 400
    assert "%(" not in caught.value.message
    assert ReceiptScan.objects.count() == before
    return caught.value


# IV.3 One label, one unit, one count -----------------------------------------------------


@pytest.mark.clause("IV.3")
def test_each_unit_of_a_batch_has_its_own_label_code(batch):
    codes = labels(batch)
    assert len(codes) == batch.declared_units == 5
    assert len(set(codes)) == 5
    assert [policy.parse_label_code(c) for c in codes] == [
        (batch.number, 1, 1),
        (batch.number, 1, 2),
        (batch.number, 1, 3),
        (batch.number, 2, 1),
        (batch.number, 3, 1),
    ]


@pytest.mark.clause("IV.3")
def test_every_label_counts_once_however_often_it_is_scanned(batch, platform_staff):
    codes = labels(batch)
    assert scan(batch, platform_staff, codes) == [True] * 5
    assert scan(batch, platform_staff, codes) == [False] * 5
    again = services.receipt_scan(batch=batch, actor=platform_staff, code=codes[0])
    assert again.scan == ReceiptScan.objects.get(batch=batch, code=codes[0])
    assert ReceiptScan.objects.filter(batch=batch).count() == 5


@pytest.mark.clause("IV.3")
def test_a_scanned_label_records_its_line_box_model_and_scanner(batch, platform_staff, pb10k):
    result = services.receipt_scan(batch=batch, actor=platform_staff, code=labels(batch)[3])
    assert result.created
    row = ReceiptScan.objects.get(pk=result.scan.pk)
    assert (row.kind, row.line.line_no, row.box_no, row.model, row.scanned_by) == (
        "label",
        2,
        2,
        pb10k,
        platform_staff,
    )


@pytest.mark.clause("IV.3")
def test_what_a_scanner_types_is_trimmed_and_read_without_regard_to_case(batch, platform_staff):
    code = labels(batch)[0]
    assert services.receipt_scan(batch=batch, actor=platform_staff, code=f" {code.lower()}\r\n")
    assert list(ReceiptScan.objects.values_list("code", flat=True)) == [code]


@pytest.mark.clause("IV.3")
def test_a_label_of_another_batch_is_refused_naming_that_batch(
    batch, agent_a_clerk, platform_staff
):
    other = receiving(agent_a_clerk, platform_staff, pb_lines(1))
    code = labels(other)[0]
    error = refused_scan(batch, platform_staff, code, "returns.label_of_other_batch")
    assert error.params == {"code": code, "batch": other.number}
    assert set(error.fields) == {"code"}


@pytest.mark.clause("IV.3")
@pytest.mark.parametrize(
    "tail",
    [
        "-004-001",  # no line 4
        "-001-004",  # line 1 has three units
        "-002-002",  # line 2 has one
        "-001-000",  # units count from 1
        "-000-001",
    ],
)
def test_a_label_of_a_line_or_unit_the_batch_does_not_have_is_refused(batch, platform_staff, tail):
    error = refused_scan(batch, platform_staff, batch.number + tail, "returns.label_unknown")
    assert set(error.fields) == {"code"}


@pytest.mark.clause("IV.3")
@pytest.mark.parametrize("code", ["", "hello", "6901234567890", "R2601-ABC-1-1", "数据线"])
def test_something_that_is_not_a_label_is_refused(batch, platform_staff, code):
    refused_scan(batch, platform_staff, code, "returns.label_unknown")


def test_a_scan_may_say_which_box_the_unit_was_found_in(batch, platform_staff):
    result = services.receipt_scan(
        batch=batch, actor=platform_staff, code=labels(batch)[0], box_no=2
    )
    assert result.scan.box_no == 2


@pytest.mark.parametrize("box_no", [0, -1, 23])
def test_a_box_far_outside_the_declared_ones_is_refused(batch, platform_staff, box_no):
    error = refused_scan(
        batch, platform_staff, labels(batch)[0], "returns.box_out_of_range", box_no=box_no
    )
    assert set(error.fields) == {"box_no"}


# Running counts ----------------------------------------------------------------------------


@pytest.mark.clause("IV.1")
def test_the_running_counts_follow_the_scans_per_line_and_box(batch, platform_staff):
    codes = labels(batch)
    scan(batch, platform_staff, [codes[0], codes[1], codes[3], codes[0]])
    counts = services.receipt_counts(batch)
    assert [(x["line_no"], x["declared"], x["scanned"], x["counted"]) for x in counts["lines"]] == [
        (1, 3, 2, 2),
        (2, 1, 1, 1),
        (3, 1, 0, 0),
    ]
    assert counts["boxes"] == {1: 2, 2: 1}
    assert (counts["total"], counts["declared"]) == (3, 5)


# Units without a label or not on the list (IV.4) ---------------------------------------------


@pytest.mark.clause("IV.4")
def test_units_without_a_label_and_units_not_on_the_list_are_counted(batch, platform_staff, pb20k):
    unlabelled = services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind="unlabelled", line_no=3, box_no=2
    )
    loose = services.receipt_record_unit(batch=batch, actor=platform_staff, kind="unlabelled")
    unlisted = services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind="unlisted", model_code="pb20k", note="Extra"
    )
    assert (unlabelled.kind, unlabelled.line.line_no, unlabelled.model.code) == (
        "unlabelled",
        3,
        "PB10K",
    )
    assert (loose.line, loose.model) == (None, None)
    assert (unlisted.kind, unlisted.line, unlisted.model, unlisted.note) == (
        "unlisted",
        None,
        pb20k,
        "Extra",
    )
    counts = services.receipt_counts(batch)
    assert counts["lines"][2]["counted"] == 1
    assert (counts["unlabelled"], counts["unplaced"], counts["unlisted"]) == (2, 1, 1)
    # every unit that arrived counts, listed or not (IV.1)
    assert counts["total"] == 3


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "label"}, "returns.value_required", "kind"),
        ({"kind": "unlabelled", "line_no": 9}, "returns.line_unknown", "line_no"),
        ({"kind": "unlisted", "model_code": "NOPE"}, "returns.model_unknown", "model_code"),
        ({"kind": "unlisted", "box_no": 99}, "returns.box_out_of_range", "box_no"),
    ],
)
def test_a_unit_recorded_by_hand_is_refused_when_its_details_are_wrong(
    batch, platform_staff, kwargs, code, field
):
    with pytest.raises(ValidationFailed) as caught:
        services.receipt_record_unit(batch=batch, actor=platform_staff, **kwargs)
    assert (caught.value.code, set(caught.value.fields)) == (code, {field})
    assert ReceiptScan.objects.count() == 0


@pytest.mark.clause("IV.1")
def test_a_count_typed_by_hand_replaces_the_scans_of_its_line_until_cleared(batch, platform_staff):
    scan(batch, platform_staff, labels(batch)[:2])
    services.receipt_set_count(
        batch=batch, actor=platform_staff, line_no=1, counted="4", accessories_missing=["pouch"]
    )
    line = BatchLine.objects.get(batch=batch, line_no=1)
    assert (line.counted, line.accessories_missing) == (4, ["pouch"])
    first = services.receipt_counts(batch)["lines"][0]
    assert (first["scanned"], first["typed"], first["counted"]) == (2, 4, 4)
    services.receipt_set_count(batch=batch, actor=platform_staff, line_no=1, counted=None)
    assert services.receipt_counts(batch)["lines"][0]["counted"] == 2


@pytest.mark.parametrize(
    ("line_no", "counted", "code"),
    [
        (9, 1, "returns.line_unknown"),
        (1, -1, "returns.number_out_of_range"),
        (1, "lots", "returns.number_out_of_range"),
    ],
)
def test_a_typed_count_is_refused_for_an_unknown_line_or_an_impossible_number(
    batch, platform_staff, line_no, counted, code
):
    with pytest.raises(ValidationFailed) as caught:
        services.receipt_set_count(
            batch=batch, actor=platform_staff, line_no=line_no, counted=counted
        )
    assert caught.value.code == code
    assert "%(" not in caught.value.message
    assert not BatchLine.objects.filter(batch=batch, counted__isnull=False).exists()
