"""The faxable receipt anomaly notice (IV.4)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from sanbao.core.errors import Conflict
from sanbao.returns import documents, services
from sanbao.returns.documents import anomaly_notice
from sanbao.returns.documents import text as words
from sanbao.returns.services import anomaly_line
from sanbao.returns.tests.conftest import pb_lines, submitted
from sanbao.returns.tests.documents.conftest import both, colours_used, fresh
from sanbao.testkit.pdf import pages_of, pdf_text, squash

# --- The anomaly notice (IV.4) -------------------------------------------------------


@pytest.mark.clause("IV.4")
def test_the_anomaly_notice_is_one_page_telling_the_return_unit_what_differs(
    received_with_anomalies,
):
    batch = received_with_anomalies
    data = documents.anomaly_notice_pdf(batch)
    (text,) = pages_of(data)
    org = batch.return_org
    assert batch.number in text
    for value in (org.name_zh, org.fax, org.phone, "400-800-1234", "0755-26009999"):
        assert squash(value) in text, value
    for anomaly in batch.anomalies.all():
        for version in both(lambda anomaly=anomaly: anomaly_line(anomaly)):
            assert version in text
    figures = both(words.FAULTY_UNITS)[-1], both(words.BOXES)[-1]
    assert f"{figures[0]}2020" in text and f"{figures[1]}33" in text
    for label in (words.WHAT_DIFFERS, words.WHAT_TO_DO):
        for version in both(label):
            assert version in text

    def reply():
        params = {"phone": "400-800-1234", "fax": "0755-2600 9999", "number": batch.number}
        return str(words.NOTICE_REPLY) % params

    for version in both(reply):
        assert version in text


@pytest.mark.clause("IV.4")
def test_the_anomaly_notice_is_black_on_white_for_the_fax(received_with_anomalies):
    colours = colours_used(documents.anomaly_notice_pdf(received_with_anomalies))
    assert colours
    black_or_white = {"0", "1"}
    for colour in colours:
        assert len(set(colour[1:])) == 1 and colour[1] in black_or_white, colour


def test_a_notice_with_many_differences_still_fits_one_page(
    agent_a_clerk, platform_staff, pb10k, chinese_everywhere
):
    batch = submitted(agent_a_clerk, pb_lines(30))
    services.receipt_open(batch=batch, actor=platform_staff)
    for line_no in range(1, 26):  # 25 lines counted with their cable missing
        services.receipt_set_count(
            batch=batch,
            actor=platform_staff,
            line_no=line_no,
            counted=1,
            accessories_missing=["data cable"],
        )
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=2)
    batch = fresh(batch, platform_staff)
    anomalies = list(batch.anomalies.order_by("id"))
    assert len(anomalies) == 31  # 25 accessories, 5 lines missing, the boxes
    (text,) = pages_of(documents.anomaly_notice_pdf(batch))
    # The counts first, then the boxes, then the accessories, as many as fit.
    anomalies.sort(key=lambda a: (anomaly_notice.NOTICE_ORDER.index(a.kind), a.id))
    assert [a.kind for a in anomalies[:6]] == ["missing_units"] * 5 + ["boxes"]
    with translation.override("en"):
        listed = [squash(anomaly_line(a)) in text for a in anomalies]
    shown = listed.index(False)
    assert shown >= 5 and not any(listed[shown:])
    more = str(words.NOTICE_MORE) % {"count": len(anomalies) - shown}
    assert squash(more) in text


def test_a_batch_without_anomalies_has_no_notice(batch_45):
    with pytest.raises(Conflict) as caught:
        documents.anomaly_notice_pdf(batch_45)
    assert caught.value.code == "returns.no_anomaly"


def test_the_notice_is_printed_in_both_languages_whatever_the_readers(received_with_anomalies):
    with translation.override("en"):
        english = pdf_text(documents.anomaly_notice_pdf(received_with_anomalies))
    with translation.override("zh-hans"):
        chinese = pdf_text(documents.anomaly_notice_pdf(received_with_anomalies))
    strip = lambda t: re.sub(r"打印时间.*?\d{2}:\d{2}|Printedat.*?\d{2}:\d{2}", "", t)  # noqa: E731
    assert strip(english) == strip(chinese)
