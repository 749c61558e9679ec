"""Issue 10 item 9, the returns side: a date that cannot be true (a packing list of
year 1, a parcel received in 1900) is refused with a field message before anything
is written, through the services, the API and the pages. The earliest year is the
setting ``SANBAO_EARLIEST_YEAR``, as for claims."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.returns import services
from sanbao.returns.models import ReturnBatch
from sanbao.returns.tests.conftest import draft, pb_lines, reload
from sanbao.returns.tests.test_api.conftest import batch_body, line, put
from sanbao.returns.tests.test_api.conftest import create as api_create
from sanbao.returns.tests.views.conftest import CREATE_URL, batch_form, counts, post, url
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.responses import assert_refused


def packed_on_refused(fn, **kwargs) -> list[str]:
    before = (ReturnBatch.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        fn(**kwargs)
    assert (caught.value.code, caught.value.status) == ("returns.batch_invalid", 400)
    assert (ReturnBatch.objects.count(), AuditEvent.objects.count()) == before
    assert list(caught.value.fields) == ["packed_on"]
    return caught.value.field_messages()["packed_on"]


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1999, 12, 31)])
def test_a_packing_list_dated_before_the_earliest_year_is_refused_naming_the_date(
    agent_a_clerk, pb10k, day
):
    messages = packed_on_refused(draft, actor=agent_a_clerk, lines=pb_lines(1), packed_on=day)
    assert messages == ["The date cannot be earlier than 2000-01-01."]


@pytest.mark.clause("IV.2")
def test_a_packing_list_dated_on_the_first_day_of_the_earliest_year_is_taken(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1), packed_on=dt.date(2000, 1, 1))
    assert reload(batch).packed_on == dt.date(2000, 1, 1)


@pytest.mark.clause("IV.2")
def test_the_earliest_year_is_a_setting(agent_a_clerk, pb10k, settings):
    settings.SANBAO_EARLIEST_YEAR = 2020
    messages = packed_on_refused(
        draft, actor=agent_a_clerk, lines=pb_lines(1), packed_on=dt.date(2019, 12, 31)
    )
    assert messages == ["The date cannot be earlier than 2020-01-01."]


@pytest.mark.clause("IV.2")
def test_a_draft_cannot_be_edited_to_a_packing_date_of_year_1(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    kept = reload(batch).packed_on
    data = {
        "packed_on": dt.date(1, 1, 1),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "declared_units": 1,
        "declared_boxes": 1,
    }
    packed_on_refused(
        services.batch_update, batch=batch, actor=agent_a_clerk, lines=pb_lines(1), **data
    )
    assert reload(batch).packed_on == kept


@pytest.mark.clause("IV.2")
def test_the_api_refuses_a_packing_date_of_year_1_in_chinese(agent_a_clerk, pb10k):
    client = api_client_for(agent_a_clerk, language="zh-hans")
    response = api_create(client, [line()], packed_on="0001-01-01")
    # Refused as it is read (core.api.Day, issue 13): a 422 naming the field.
    body = assert_envelope(response, 422, "core.request_invalid")
    assert list(body["fields"]) == ["packed_on"]
    assert body["fields"]["packed_on"][0].startswith(
        "packed_on：请按 YYYY-MM-DD 格式填写 2000-01-01 至"
    )
    assert not ReturnBatch.objects.exists()


@pytest.mark.clause("IV.2")
def test_the_api_refuses_editing_a_draft_to_a_packing_date_of_1900(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    response = put(
        api_client_for(agent_a_clerk),
        f"/api/v1/batches/{batch.number}",
        batch_body([line(serial="SBR0001")], packed_on="1900-01-01"),
    )
    body = assert_envelope(response, 422, "core.request_invalid")
    assert list(body["fields"]) == ["packed_on"]
    assert reload(batch).packed_on != dt.date(1900, 1, 1)


@pytest.mark.clause("IV.2")
def test_the_page_refuses_a_packing_date_of_year_1_by_its_field(agent_a_clerk, pb10k):
    before = counts()
    response = post(agent_a_clerk, CREATE_URL, batch_form(packed_on="0001-01-01"))
    assert_refused(response, 400, "returns.batch_invalid", "packed_on")
    assert counts() == before


@pytest.mark.clause("IV.2")
def test_the_edit_page_refuses_a_packing_date_of_year_1_by_its_field(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(2))
    response = post(agent_a_clerk, url("batch_edit", batch), batch_form(packed_on="0001-01-01"))
    assert_refused(response, 400, "returns.batch_invalid", "packed_on")
    assert reload(batch).packed_on != dt.date(1, 1, 1)


@pytest.mark.clause("IV.5")
def test_a_date_of_receipt_before_the_earliest_year_is_refused_naming_it(
    agent_a_clerk, platform_staff, pb10k, settings
):
    batch = services.batch_submit(
        batch=draft(agent_a_clerk, pb_lines(1), packed_on=dt.date(2000, 1, 1)),
        actor=agent_a_clerk,
    )
    # Even a batch sent long ago was not received before the earliest year.
    ReturnBatch.objects.filter(pk=batch.pk).update(submitted_at=None)
    batch = reload(batch)
    settings.SANBAO_EARLIEST_YEAR = 2001
    with pytest.raises(ValidationFailed) as caught:
        services.receipt_open(batch=batch, actor=platform_staff, received_on=dt.date(2000, 6, 1))
    refused = caught.value.field_messages()
    assert refused == {"received_on": ["The date cannot be earlier than 2001-01-01."]}
    assert reload(batch).received_on is None
