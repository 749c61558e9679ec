"""The repair list (IV.2): exactly the pages the packing list states, rows that
never grow."""

from __future__ import annotations

import pytest

from sanbao.returns import documents, policy
from sanbao.returns.documents import text as words
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft, pb_lines, submitted
from sanbao.returns.tests.documents.conftest import (
    LONG_ACCESSORIES,
    LONG_FAULT,
    both,
    fresh,
    mixed_lines,
    repair_pages_stated,
)
from sanbao.testkit.pdf import pages_of, pdf_text, squash

# --- The repair list (IV.2) ----------------------------------------------------------


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize("count", [1, 20, 21, 45])
def test_the_repair_list_has_exactly_the_pages_the_packing_list_states(
    agent_a_clerk, pb10k, ad65, count
):
    batch = fresh(submitted(agent_a_clerk, mixed_lines(count)), agent_a_clerk)
    expected = policy.repair_list_pages(count)
    assert batch.repair_list_pages == expected
    assert repair_pages_stated(pdf_text(documents.packing_list_pdf(batch))) == expected
    pages = pages_of(documents.repair_list_pdf(batch))
    assert len(pages) == expected
    # Exactly REPAIR_LIST_LINES_PER_PAGE lines a page, in order: each power-bank
    # line's serial is on its own page and on no other.
    per_page = policy.REPAIR_LIST_LINES_PER_PAGE
    for line in batch.lines.exclude(serial=""):
        page = (line.line_no - 1) // per_page
        assert [line.serial in text for text in pages] == [i == page for i in range(expected)]


def test_the_repair_list_prints_every_line_with_its_fault_accessories_and_box(
    agent_a_clerk, pb10k, ad65
):
    lines = [
        LineIn("PB10K", 1, "无输出", 1, serial="SBQ00001", accessories=["data cable", "pouch"]),
        LineIn("AD65", 3, "插头松动 Loose plug", 2, bundled=True),
    ]
    batch = fresh(draft(agent_a_clerk, lines), agent_a_clerk)
    (text,) = pages_of(documents.repair_list_pdf(batch))
    for value in ("SBQ00001", "无输出", "datacable,pouch", "插头松动Looseplug", "氮化镓充电器65W"):
        assert value in text
    for version in both(words.FAULT):
        assert version in text


def test_a_long_fault_is_set_smaller_and_cut_short_rather_than_growing_its_row(
    agent_a_clerk, pb10k
):
    lines = pb_lines(20, fault=LONG_FAULT[:120])
    for line in lines:
        line.accessories = LONG_ACCESSORIES
    batch = fresh(draft(agent_a_clerk, lines), agent_a_clerk)
    (text,) = pages_of(documents.repair_list_pdf(batch))
    assert squash(LONG_FAULT[:20]) in text
    assert text.count("…") >= 20  # every fault was too long for its two-line slot


def test_the_repair_list_of_a_batch_without_lines_is_one_page(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    batch.lines.all().delete()
    assert len(pages_of(documents.repair_list_pdf(batch))) == policy.repair_list_pages(0) == 1
