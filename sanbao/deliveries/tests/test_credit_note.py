"""V.2: a declaration accepted as credited becomes a credit note (K…) with its
lines, an audit event and a bilingual PDF, which the agent it belongs to, the
commissioner and platform staff download from the page and the API; any other
agent is answered 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanbao.core.models import AuditEvent
from sanbao.deliveries.models import CreditLine, CreditNote
from sanbao.deliveries.services import declarations
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.pdf import barcodes_of, pdf_text

pytestmark = pytest.mark.django_db


def _credit(declaration, commissioner, settled=None):
    return declarations.declaration_decide(
        actor=commissioner,
        declaration=declaration,
        accept=True,
        outcome="credited",
        settled=settled or {"PB10K": 1},
    )


@pytest.fixture
def credited(clock, submitted, cs_commissioner):
    clock.set("2026-09-02 16:00")
    return _credit(submitted, cs_commissioner)


def _page_url(declaration):
    return reverse("deliveries:credit_note_pdf", args=[declaration.number])


def _api_url(declaration):
    return f"/api/v1/declarations/{declaration.number}/credit-note.pdf"


@pytest.mark.clause("V.2")
def test_a_declaration_accepted_as_credited_gets_a_numbered_credit_note_with_its_lines(
    credited, cs_commissioner, agent_a
):
    note = CreditNote.objects.get()
    assert re.fullmatch(r"K2609-[A-Z2-9]{6}", note.number)
    assert note.declaration == credited
    assert note.agent == agent_a
    assert note.issued_by == cs_commissioner
    assert note.issued_at.isoformat() == "2026-09-02T08:00:00+00:00"
    assert list(note.lines.values_list("model__code", "quantity")) == [("PB10K", 1)]
    assert list(CreditLine.objects.values_list("note", flat=True)) == [note.pk]
    event = AuditEvent.objects.get(action="credit_note.created")
    assert event.actor == cs_commissioner
    assert event.target_id == str(note.pk)
    assert event.data == {"declaration": credited.number, "lines": {"PB10K": 1}}


@pytest.mark.clause("V.2")
def test_a_replacement_makes_no_credit_note(submitted, cs_commissioner):
    declarations.declaration_decide(
        actor=cs_commissioner, declaration=submitted, accept=True, outcome="replaced"
    )
    assert not CreditNote.objects.exists()
    assert not CreditLine.objects.exists()
    assert not AuditEvent.objects.filter(action="credit_note.created").exists()


@pytest.mark.clause("V.2")
def test_the_credit_note_pdf_names_the_agent_the_declaration_and_the_quantities_in_both_languages(
    credited, agent_a_clerk, tmp_path
):
    response = login_client_for(agent_a_clerk).get(_page_url(credited))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    note = CreditNote.objects.get()
    assert f"credit-note-{note.number}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for fragment in (
        note.number,
        credited.number,
        credited.delivery.number,
        "贷记单",
        "Creditnote",
        "2026-09-02",
        "PB10K",
        "数量Quantitycredited",
        "Quantitiesonly",
    ):
        assert fragment in text, fragment
    codes = [
        code.text for page in barcodes_of(response.content, tmp_path, dpi=200) for code in page
    ]
    assert note.number in codes


@pytest.mark.clause("V.2")
@pytest.mark.parametrize("who", ["agent_a_clerk", "cs_commissioner", "platform_staff"])
def test_the_credit_note_is_downloaded_by_its_agent_its_commissioner_and_platform_staff(
    cast, credited, who
):
    user = getattr(cast, who)
    page = login_client_for(user).get(_page_url(credited))
    api = api_client_for(user).get(_api_url(credited))
    assert page.status_code == api.status_code == 200
    assert page.content.startswith(b"%PDF") and api.content.startswith(b"%PDF")
    assert "attachment" in api["Content-Disposition"]


@pytest.mark.clause("V.2")
@pytest.mark.parametrize("who", ["agent_b_clerk", "commercial_commissioner"])
def test_anyone_who_may_not_see_the_declaration_gets_404_for_its_credit_note(cast, credited, who):
    user = getattr(cast, who)
    page = login_client_for(user).get(_page_url(credited))
    api = api_client_for(user).get(_api_url(credited))
    assert page.status_code == api.status_code == 404
    missing = api_client_for(user).get("/api/v1/declarations/U2609-ZZZZZZ/credit-note.pdf")
    assert api.json() == missing.json()


@pytest.mark.clause("V.2")
def test_a_declaration_without_a_credit_note_has_none_to_download(submitted, agent_a_clerk):
    assert login_client_for(agent_a_clerk).get(_page_url(submitted)).status_code == 404
    response = api_client_for(agent_a_clerk).get(_api_url(submitted))
    assert response.status_code == 404
    assert response.json()["code"] == "deliveries.credit_note_not_found"


@pytest.mark.clause("V.2")
def test_the_declaration_page_and_the_api_name_the_credit_note(credited, agent_a_clerk):
    note = CreditNote.objects.get()
    page = login_client_for(agent_a_clerk).get(
        reverse("deliveries:declaration_detail", args=[credited.number])
    )
    html = page.content.decode()
    assert note.number in html
    assert _page_url(credited) in html
    api = api_client_for(agent_a_clerk).get(f"/api/v1/declarations/{credited.number}")
    assert api.json()["credit_note"] == note.number
