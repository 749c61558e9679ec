"""Issue 10, item 18: the contact task's title is in the reader's language, whoever
opened it (today it stays in the language of the clerk who closed the receipt)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sanbao.notifications.models import ContactTask
from sanbao.returns import services
from sanbao.returns.models import ReturnBatch
from sanbao.returns.tests.conftest import labels, pb_lines, receiving
from sanbao.testkit.cast import api_client_for, login_client_for


@pytest.fixture
def task(agent_a_clerk, platform_staff, pb10k):
    """A receipt closed by an English-speaking clerk: three listed, two arrived."""
    with translation.override("en"):
        batch = receiving(agent_a_clerk, platform_staff, pb_lines(3), declared_boxes=3)
        for code in labels(batch)[:2]:
            services.receipt_scan(batch=batch, actor=platform_staff, code=code)
        services.receipt_close(batch=batch, actor=platform_staff, received_boxes=2)
    return ContactTask.objects.get(target_id=str(batch.pk))


def _batch(task):
    return ReturnBatch.objects.get(pk=task.target_id)


def test_the_title_follows_the_readers_language(task):
    number = _batch(task).number
    assert task.subject == f"Receipt anomaly on return batch {number}"
    with translation.override("zh-hans"):
        assert task.title == f"返厂批次 {number} 收货异常"
        assert str(task) == task.title
    with translation.override("en"):
        assert task.title == task.subject


def test_the_batch_page_and_the_api_show_it_in_chinese(task, platform_staff):
    batch = _batch(task)
    page = login_client_for(platform_staff, language="zh-hans").get(
        reverse("returns:batch_detail", args=[batch.number])
    )
    assert page.status_code == 200
    assert f"返厂批次 {batch.number} 收货异常" in page.content.decode()
    assert "Receipt anomaly on return batch" not in page.content.decode()

    api = api_client_for(platform_staff, language="zh-hans")
    body = api.get(f"/api/v1/batches/{batch.number}/contact-tasks").json()
    assert [t["subject"] for t in body] == [f"返厂批次 {batch.number} 收货异常"]
