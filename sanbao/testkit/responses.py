"""Reading a page the way the tests assert on it: its text, the error code and the
fields a form marked as wrong, and the ``data-testid`` hooks it shows.

Pages mark what a test needs with attributes rather than wording (tests assert on
codes, never on translated text): ``data-error-code`` on the error envelope,
``data-field-error`` on each field a form refused, ``data-testid`` on the parts a
journey looks for.
"""

from __future__ import annotations

import io
import re

# The header htmx sends, so a view answers with its fragment rather than the page.
HTMX = {"HX-Request": "true"}


def html(response) -> str:
    """The body of ``response`` as text (a string is taken as the body itself)."""
    return response if isinstance(response, str) else response.content.decode()


def fragment(response, element_id: str, status: int = 200) -> str:
    """The answer to an htmx request: ``status``, and only the element
    ``element_id`` rather than a whole page. Returns its text."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}"
    body = html(response)
    assert "<html" not in body
    assert body.lstrip().startswith(f'<div id="{element_id}"'), body[:300]
    return body


def error_code(response) -> str | None:
    """The error code a page shows (``data-error-code``), None if it shows none."""
    found = re.search(r'data-error-code="([^"]*)"', html(response))
    return found.group(1) if found else None


def field_errors(response) -> set[str]:
    """The names of the form fields a page marks as refused (``data-field-error``)."""
    return set(re.findall(r'data-field-error="([^"]*)"', html(response)))


def listed_numbers(client, url: str, testid: str) -> list[str]:
    """The list page at ``url`` as ``client`` gets it (it must answer 200): the
    ``data-number`` of each of its ``testid`` rows, in page order."""
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return re.findall(rf'data-testid="{testid}" data-number="([^"]+)"', html(response))


def api_list(client, url: str) -> tuple[list[str], int]:
    """An API list as ``client`` gets it (it must answer 200): the numbers of its
    items, sorted, and the count it gives."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return sorted(item["number"] for item in body["items"]), body["count"]


def shown_testids(response) -> set[str]:
    """Every ``data-testid`` a page shows."""
    return set(re.findall(r'data-testid="([^"]+)"', html(response)))


# Checks for a permission-matrix case's ``on_ok`` (called with the response and the
# cast after the declared success).


def has_status(status: str):
    """The record answered has moved to ``status``."""

    def on_ok(response, cast):
        assert response.json()["status"] == status

    return on_ok


def is_download(content_type: str):
    """A non-empty file of ``content_type``, sent as an attachment."""

    def on_ok(response, cast):
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content

    return on_ok


def assert_refused(response, status: int, code: str, *fields: str) -> None:
    """The page refused what was sent: ``status``, the error ``code`` shown, and at
    least ``fields`` marked as wrong."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {html(response)[:300]!r}"
    )
    assert error_code(response) == code
    for name in fields:
        assert name in field_errors(response), f"{name} not marked: {field_errors(response)}"


def assert_answered_like_a_missing_one(client, url: str, missing_url: str) -> None:
    """``url`` (a record outside the caller's scope) is answered exactly as
    ``missing_url`` (a number that does not exist): nothing says it is there."""
    theirs = client.get(url)
    missing = client.get(missing_url)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def xlsx_cells(content: bytes) -> set[str]:
    """Every non-empty cell of the first sheet of a downloaded XLSX file, as text."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return {
        str(value)
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def timeline(response, testid: str) -> list[tuple[str, str]]:
    """(action, label) of each event of the timeline card ``testid`` (the include
    ``includes/timeline.html``), oldest first; [] without that card."""
    page = html(response)
    start = page.find(f'data-testid="{testid}"')
    if start < 0:
        return []
    card = page[start : page.find("</section>", start)]
    event = r'data-testid="timeline-event" data-action="([^"]+)">\s*'
    return re.findall(event + r'<div class="fw-semibold">([^<]*)</div>', card)
