"""What the tests of the return pages share: reading a page's answer, the forms
posted, and batches, units and shipments at each stage, taken there through the
services."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts.roles import PERMISSIONS
from sanbao.core.models import AuditEvent
from sanbao.returns import policy, services
from sanbao.returns.models import BatchLine, ReturnBatch
from sanbao.returns.tests.conftest import (
    draft,
    pb_lines,
    reload,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, form_post, needs, page_url
from sanbao.testkit.responses import HTMX, error_code, field_errors, html  # noqa: F401

VIEW = set(PERMISSIONS["returns.view"])


CREATE = set(PERMISSIONS["returns.create"])


RECEIVE = set(PERMISSIONS["returns.receive"])


CONTACTS = set(PERMISSIONS["contacts.manage"])


def matrix_url(name, fixture=None, *, query="", extra=None):
    """A permission-matrix case's URL: the page ``name`` of the batch the cast's
    ``fixture`` makes (if any), then ``extra`` (a value, or a function of the cast)."""
    return page_url("returns", name, fixture, query=query, extra=extra)


def page_of_agent_a(name, fixture, allowed_roles, *, url_name=None, kind=Case, **options):
    """The page ``url_name`` (default ``name``) of agent A's batch or shipment that
    the cast's ``fixture`` makes, declared for the matrix as a ``kind`` of case.
    ``extra`` and ``needing`` go to :func:`record_url`, the rest to the case."""
    url = record_url(url_name or name, fixture, options)
    return kind(name, "GET", url, allowed_roles, owner_org="agent_a", **options)


def form_of_agent_a(name, fixture, allowed_roles, **options) -> Case:
    """The form ``name`` on a page of agent A's batch or shipment that the cast's
    ``fixture`` makes, declared for the matrix. ``extra`` and ``needing`` go to
    :func:`record_url`, the rest to the case."""
    url = record_url(name, fixture, options)
    return form_post(name, url, allowed_roles, owner_org="agent_a", **options)


def record_url(name, fixture, options: dict):
    """:func:`matrix_url` of the record ``fixture`` makes (then ``options["extra"]``),
    reached once the cast has made the fixtures ``options["needing"]`` (the rows
    the page shows or acts on). Takes both out of ``options``."""
    url = matrix_url(name, fixture, extra=options.pop("extra", None))
    needing = options.pop("needing", ())
    return needs(*needing, then=url) if needing else url


def line_problems(response) -> set[tuple[str, str, str]]:
    """(line, clause, code) of every packing problem shown on a line."""
    return set(
        re.findall(
            r'data-testid="line-problem" data-line="(\d+)" data-clause="([^"]+)" '
            r'data-code="([^"]+)"',
            html(response),
        )
    )


def batch_problems(response) -> set[tuple[str, str]]:
    """(clause, code) of every problem of the batch as a whole."""
    return set(
        re.findall(
            r'data-testid="batch-problem" data-clause="([^"]+)" data-code="([^"]+)"',
            html(response),
        )
    )


def row_numbers(response) -> list[str]:
    return re.findall(r'data-testid="batch-row" data-number="([^"]+)"', html(response))


def url(name: str, batch=None, *args) -> str:
    return reverse(f"returns:{name}", args=([batch.number] if batch else []) + list(args))


def status_of(batch) -> str:
    batch.refresh_from_db()
    return batch.status


def label(batch, line_no: int, seq: int = 1) -> str:
    return policy.label_code(batch.number, line_no, seq)


@pytest.fixture
def draft_of_agent_b(agent_b_clerk, pb10k):
    return draft(agent_b_clerk, pb_lines(2))


def header_form(**overrides) -> dict:
    """The packing list's header as a person fills it in."""
    data = {
        "declared_units": "2",
        "declared_boxes": "1",
        "packed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "home_delivery": "yes",
        "freight": "prepaid",
        "note": "",
    }
    data.update(overrides)
    return data


def lines_form(*rows: dict) -> dict:
    """The lines formset: each row a dict of the line's fields."""
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{i}-{name}"] = value
    return data


def pb_row(serial: str = "", quantity: str = "1", box: str = "1", **extra) -> dict:
    return {
        "model_code": "PB10K",
        "serial": serial,
        "quantity": quantity,
        "fault": "No output",
        "accessories": ["data cable"],
        "box_no": box,
        **extra,
    }


def batch_form(*rows: dict, **header) -> dict:
    rows = rows or (pb_row("SBX0001"), pb_row("SBX0002"))
    return {**header_form(**header), **lines_form(*rows)}


CREATE_URL = "/returns/new/"


def counts() -> tuple[int, int, int]:
    return ReturnBatch.objects.count(), BatchLine.objects.count(), AuditEvent.objects.count()


def post(user, path, data=None, **extra):
    return login_client_for(user).post(path, data or {}, **extra)


def detail(user, batch, **extra):
    return login_client_for(user, **extra).get(url("batch_detail", batch))


def scan(user, batch, code, *, box=None, headers=None):
    data = {"code": code} if box is None else {"code": code, "box_no": str(box)}
    return post(user, url("receipt_scan", batch), data, headers=headers or {})


def counts_panel(response) -> dict:
    found = re.search(
        r'id="receipt-counts"[^>]*data-total="(\d+)" data-declared="(\d+)" '
        r'data-unlisted="(\d+)" data-unlabelled="(\d+)"',
        html(response),
    )
    assert found, "no counts panel"
    return dict(
        zip(("total", "declared", "unlisted", "unlabelled"), map(int, found.groups()), strict=True)
    )


def feedback(response) -> list[tuple[str, str]]:
    return re.findall(
        r'data-testid="scan-feedback" data-result="([a-z]+)" data-code="([^"]*)"', html(response)
    )


def shown_testids(response) -> set[str]:
    return set(re.findall(r'data-testid="([^"]+)"', html(response)))


def attr(response, testid: str, name: str) -> str | None:
    """The attribute ``name`` of the first element with ``data-testid=testid``."""
    tag = re.search(rf'<[^>]*data-testid="{re.escape(testid)}"[^>]*>', html(response))
    if tag is None:
        return None
    found = re.search(rf'{name}="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


def row_tag(response, testid: str, number: str) -> str:
    """The opening tag of the ``testid`` row whose data-number is ``number``."""
    found = re.search(
        rf'<tr[^>]*data-testid="{testid}"[^>]*data-number="{re.escape(number)}"[^>]*>',
        html(response),
    )
    return found.group(0) if found else ""


def rows(response, testid: str, name: str) -> list[str]:
    """The values of attribute ``name`` of every ``testid`` element, in page order."""
    return re.findall(rf'data-testid="{testid}"[^>]*?{name}="([^"]*)"', html(response))


def batch_url(name: str, batch, *args) -> str:
    return reverse(f"returns:{name}", args=[batch.number, *args])


def unit_url(name: str, batch, seq: int) -> str:
    return reverse(f"returns:{name}", args=[batch.number, seq])


def png(name: str = "drop.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def status_now(batch) -> str:
    return reload(batch).status


@pytest.fixture
def unit_of_agent_a(testing_of_agent_a):
    return testing_of_agent_a.units.get(seq=1)


@pytest.fixture
def tested_unit_of_agent_a(platform_staff, unit_of_agent_a):
    return services.unit_test(
        unit=unit_of_agent_a, actor=platform_staff, result="no_fault_found", evidence="Bench"
    )


@pytest.fixture
def photographed_unit_of_agent_a(platform_staff, unit_of_agent_a):
    return services.unit_test(
        unit=unit_of_agent_a,
        actor=platform_staff,
        result="excluded",
        excluded_rule="III.6",
        evidence="Casing cracked by a fall",
        photo=png(),
    )
