"""IV.4: the anomaly notice names the units it is about, so the return unit can tell
which ones they were: for a unit not on the packing list, the model and the note
recorded at receipt; for a unit without a label, its line, model and note."""

from __future__ import annotations

import pytest
from django.utils import translation

from sanbao.notifications.models import ContactTask
from sanbao.returns import documents, policy, services
from sanbao.returns.services import anomaly_line
from sanbao.returns.tests.conftest import pb_lines, submitted
from sanbao.returns.tests.documents.conftest import fresh
from sanbao.testkit.pdf import pdf_text, squash

UNLISTED_NOTE = "Blue casing, serial 7731 on the back"
UNKNOWN_NOTE = "Cracked shell, no marking"
UNLABELLED_NOTE = "Label torn off"


@pytest.fixture
def batch_with_strangers(
    agent_a_clerk, agent_a_with_contacts, platform_staff, platform_with_contacts, pb10k, pb20k
):
    """Two power banks listed in one box: line 1 scanned, line 2 arrived without its
    label; two units not on the list came too, one of a known model."""
    batch = submitted(agent_a_clerk, pb_lines(2))
    services.receipt_open(batch=batch, actor=platform_staff)
    services.receipt_scan(
        batch=batch, actor=platform_staff, code=policy.label_code(batch.number, 1, 1)
    )
    services.receipt_record_unit(
        batch=batch,
        actor=platform_staff,
        kind="unlabelled",
        box_no=1,
        line_no=2,
        note=UNLABELLED_NOTE,
    )
    services.receipt_record_unit(
        batch=batch,
        actor=platform_staff,
        kind="unlisted",
        box_no=1,
        model_code="PB20K",
        note=UNLISTED_NOTE,
    )
    services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind="unlisted", box_no=1, note=UNKNOWN_NOTE
    )
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    return fresh(batch, platform_staff)


@pytest.mark.clause("IV.4")
def test_the_anomaly_of_units_not_on_the_list_names_each_by_its_model_and_note(
    batch_with_strangers,
):
    batch = batch_with_strangers
    unlisted = batch.anomalies.get(kind="unlisted_units")
    with translation.override("en"):
        sentence = anomaly_line(unlisted)
    assert "PB20K" in sentence and UNLISTED_NOTE in sentence
    assert UNKNOWN_NOTE in sentence and "model not known" in sentence
    unlabelled = batch.anomalies.get(kind="unlabelled_units")
    with translation.override("en"):
        sentence = anomaly_line(unlabelled)
    assert "PB10K" in sentence and "line 2" in sentence and UNLABELLED_NOTE in sentence


@pytest.mark.clause("IV.4")
def test_the_notice_and_its_call_task_name_the_units_not_on_the_list(batch_with_strangers):
    batch = batch_with_strangers
    text = pdf_text(documents.anomaly_notice_pdf(batch))
    for value in ("PB20K", UNLISTED_NOTE, UNKNOWN_NOTE, UNLABELLED_NOTE):
        assert squash(value) in text, value
    task = ContactTask.objects.get(target_id=str(batch.pk))
    for value in ("PB20K", UNLISTED_NOTE, UNKNOWN_NOTE, UNLABELLED_NOTE):
        assert value in task.body, value


@pytest.mark.clause("IV.4")
def test_the_units_are_named_in_chinese_too(batch_with_strangers):
    unlisted = batch_with_strangers.anomalies.get(kind="unlisted_units")
    with translation.override("zh-hans"):
        sentence = anomaly_line(unlisted)
    assert "涉及产品" in sentence and "型号不明" in sentence and "第 1 箱" in sentence
    assert UNLISTED_NOTE in sentence
