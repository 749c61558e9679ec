"""core.prepared: a hot read compiled once, run with new values, answering exactly
what its queryset answers (issue 14)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanbao.accounts.models import ApiToken, Organisation
from sanbao.accounts.services import USABLE_TOKEN, hash_token, token_create, token_revoke
from sanbao.core.api import paginate
from sanbao.core.prepared import Prepared, PreparedList

TOKEN = USABLE_TOKEN  # the token look-up of every API request


def test_a_prepared_read_answers_what_its_queryset_answers(platform_staff):
    token, raw = token_create(actor=platform_staff, name="scanner")
    now = timezone.now()
    [found] = TOKEN(key_hash=hash_token(raw), now=now)
    expected = ApiToken.objects.select_related("user__organisation").get(pk=token.pk)
    assert found == expected and found.user == platform_staff
    with CaptureQueriesContext(connection) as queries:
        # The related rows came with it, converted as Django converts them.
        assert found.user.organisation.code == platform_staff.organisation.code
        assert found.created_at == expected.created_at
        assert found.user.date_joined == expected.user.date_joined
    assert len(queries) == 0


def test_each_run_uses_its_own_values(platform_staff):
    first, first_raw = token_create(actor=platform_staff, name="one")
    second, second_raw = token_create(actor=platform_staff, name="two")
    now = timezone.now()
    assert [t.pk for t in TOKEN(key_hash=hash_token(second_raw), now=now)] == [second.pk]
    assert [t.pk for t in TOKEN(key_hash=hash_token(first_raw), now=now)] == [first.pk]
    assert TOKEN(key_hash=hash_token("sbk_nothing"), now=now) == []
    token_revoke(token=first, actor=platform_staff)
    assert TOKEN(key_hash=hash_token(first_raw), now=now) == []


def test_a_datetime_value_is_compared_as_the_field_would_be(platform_staff):
    expires_on = timezone.localdate() + dt.timedelta(days=2)
    token, raw = token_create(actor=platform_staff, name="expiring", expires_on=expires_on)
    key = hash_token(raw)
    assert TOKEN(key_hash=key, now=token.expires_at - dt.timedelta(microseconds=1))
    assert TOKEN(key_hash=key, now=token.expires_at) == []
    assert TOKEN(key_hash=key, now=token.expires_at + dt.timedelta(days=1)) == []


def test_the_sql_is_compiled_once_and_then_only_run(platform_staff):
    fresh = Prepared(lambda p: Organisation.objects.filter(pk=p.pk).values("code"), pk=int)
    spy = mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)
    with spy as as_sql, CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert fresh(pk=platform_staff.organisation_id) == [
                {"code": platform_staff.organisation.code}
            ]
    assert as_sql.call_count == 1
    assert len(queries) == 3


def test_a_value_that_is_not_a_parameter_is_refused_when_first_prepared(db):
    # "contains" passes "%value%", not the value: it could not be put in its place.
    wrapped = Prepared(lambda p: Organisation.objects.filter(code__contains=p.code), code=str)
    with pytest.raises(ValueError, match="'code' is not a parameter"):
        wrapped(code="A")


def test_the_values_named_must_be_the_parameters_declared(db):
    with pytest.raises(TypeError, match="expected"):
        TOKEN(key_hash="x")


def _organisations(n: int) -> list[str]:
    codes = [f"PREP-{i:02d}" for i in range(n)]
    Organisation.objects.bulk_create(
        Organisation(code=code, kind="agent", name_en=code, name_zh=code) for code in codes
    )
    return codes


def test_a_slice_of_a_prepared_read_is_the_slice_of_its_queryset(db):
    codes = _organisations(7)
    ordered = Organisation.objects.filter(code__gte="PREP-").order_by("-code")
    prepared = Prepared(
        lambda p: (
            Organisation.objects.filter(code__gte=p.first)
            .order_by("-code")
            .values_list("code", flat=True)
        ),
        first=str,
    )
    for low, high in [(0, 3), (3, 6), (6, 9), (9, 12)]:
        got = list(prepared.queryset(limits=(low, high), first="PREP-"))
        assert got == list(ordered.values_list("code", flat=True)[low:high])
    assert list(prepared.queryset(limits=(0, 100), first="PREP-")) == sorted(codes, reverse=True)


def test_a_prepared_count_is_the_querysets_count(db):
    _organisations(5)
    prepared = Prepared(
        lambda p: Organisation.objects.filter(code__gte=p.first).values("pk"), first=str
    )
    assert prepared.count(first="PREP-") == 5
    assert prepared.count(first="PREP-03") == 2
    assert prepared.count(first="ZZZ") == 0


def test_limits_on_a_read_already_sliced_are_refused(db):
    sliced = Prepared(lambda p: Organisation.objects.filter(pk=p.pk)[:1], pk=int)
    with pytest.raises(ValueError, match="limits"):
        sliced.queryset(limits=(0, 10), pk=1)


def test_a_prepared_list_pages_as_a_queryset_does(db):
    _organisations(5)
    rows = Prepared(
        lambda p: (
            Organisation.objects.filter(code__startswith="PREP-")
            .order_by("code")
            .values_list("code", flat=True)
        )
    )
    counted = Prepared(lambda p: Organisation.objects.filter(code__startswith="PREP-").values("pk"))
    page = paginate(PreparedList(rows, counted), page=2, page_size=2)
    assert page["count"] == 5
    assert page["items"] == ["PREP-02", "PREP-03"]
    assert paginate(PreparedList(rows, counted), page=4, page_size=2)["items"] == []
