"""Claims pages: who may open and do what, intake, the claim page (verdict, terms,
timeline), every action's happy path and a refusal, htmx fragments, query counts,
the retained-parts ledger and the interface language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from sanbao.accounts.roles import PERMISSIONS, Role
from sanbao.accounts.services import user_set_language
from sanbao.catalog.models import RetainedPart, Unit
from sanbao.catalog.selectors import retained_part_list_for
from sanbao.catalog.tests.factories import ProductModelFactory, UnitFactory
from sanbao.claims import services
from sanbao.claims.models import Claim, ClaimStatus, InspectionFinding
from sanbao.claims.policy import ALL_RULES, CHECKLIST_RULES
from sanbao.claims.reasons import reason_text
from sanbao.claims.tests.conftest import (
    CONSUMER_PHONE,
    approve_replacement,
    intake,
    photo,
    resolve_replaced,
    scan,
)
from sanbao.claims.tests.factories import another_unit
from sanbao.core.models import AuditEvent
from sanbao.core.web import XLSX
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import (
    Case,
    check,
    declared_url_names,
    form_post,
    matrix,
    needs,
    page_url,
)
from sanbao.testkit.queries import assert_list_queries_flat
from sanbao.testkit.responses import (
    HTMX,
    assert_refused,
    error_code,
    field_errors,
    fragment,
    html,
    is_download,
    listed_numbers,
)

EVERYONE = set(Role.values)
VIEWERS = set(PERMISSIONS["claims.view"])
CREATORS = set(PERMISSIONS["claims.create"])
JUDGES = set(PERMISSIONS["claims.judge"])
PART_VIEWERS = set(PERMISSIONS["retained_parts.view"])
PART_MANAGERS = set(PERMISSIONS["retained_parts.manage"])


def verdict_rows(response) -> dict[str, str]:
    """rule id -> outcome, as the verdict block of the claim page shows them."""
    return dict(
        re.findall(
            r'data-testid="verdict-row" data-rule="([^"]+)" data-outcome="([a-z]+)"', html(response)
        )
    )


def row_numbers(response) -> list[str]:
    return re.findall(r'data-testid="claim-row" data-number="([^"]+)"', html(response))


def shown_actions(response) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z_]+)"', html(response)))


def detail_url(claim) -> str:
    return reverse("claims:claim_detail", args=[claim.number])


def action_url(claim, name) -> str:
    return reverse(f"claims:claim_{name}", args=[claim.number])


def all_clear_form() -> dict:
    return {f"finding_{rule.replace('.', '_')}": "not_found" for rule in CHECKLIST_RULES}


def intake_form(unit, **overrides) -> dict:
    """What a person fills in on the intake page for a consumer claim on ``unit``."""
    data = {
        "claimant_kind": "consumer",
        "consumer_name": "Li Na",
        "consumer_phone": "138 0013 8000",
        "serial": unit.serial,
        "delivered_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "proof_of_purchase_no": "INV-2026-0001",
        "proof_of_purchase_scan": scan("invoice.pdf"),
        "warranty_card_no": unit.warranty_card_no,
        "warranty_card_scan": scan("card.png"),
        "fault_kind": "not_charging",
        "fault_description": "Does not charge any phone since yesterday.",
        **all_clear_form(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Claims in later states ----------------------------------------------------------------------


@pytest.fixture
def approved_claim(covered_claim, platform_staff):
    services.claim_judge(
        claim=covered_claim, actor=platform_staff, failure_confirmed=True, remedy="repair"
    )
    return covered_claim


@pytest.fixture
def in_service_claim(approved_claim, platform_staff):
    services.claim_start_service(claim=approved_claim, actor=platform_staff)
    return approved_claim


@pytest.fixture
def resolved_claim(in_service_claim, platform_staff):
    services.claim_resolve(claim=in_service_claim, actor=platform_staff, outcome="repaired")
    return in_service_claim


@pytest.fixture
def retained_part(platform_staff, unit_of_agent_b, pb20k):
    """The old unit of a claim resolved by a replacement, kept by the platform."""
    # On its own unit: the matrix also takes outlet D's claim on unit_of_agent_b (I.2).
    claim = intake(platform_staff, another_unit(unit_of_agent_b, "SBB000004"))
    approve_replacement(claim, platform_staff, pb20k)
    resolve_replaced(claim, platform_staff, "SBNEW0001", "Shelf A3")
    return retained_part_list_for(source=claim).get()


# The permission matrix -----------------------------------------------------------------------


def _url(name, fixture=None, *, query=""):
    return page_url("claims", name, fixture, query=query)


def _intake_body(cast):
    _handled_by = cast.platform_org  # the after-sales department handles an agent's claim
    # The model and region too: to an agent or enterprise, a unit sold through another
    # channel is not registered.
    return intake_form(cast.unit_of_agent_a, model_code="PB10K", region="mainland")


def _taken_in(response, cast):
    claim = Claim.objects.get()
    assert response.url == detail_url(claim)


def _visible_claims_listed(response, cast):
    user = response.wsgi_request.user
    numbers = set(row_numbers(response))
    expected = {c.number for c in Claim.objects.visible_to(user)}
    assert numbers == expected


def _claim_shown(fixture):
    def on_ok(response, cast):
        assert f'data-number="{getattr(cast, fixture).number}"' in html(response)

    return on_ok


def _status_is(fixture, status):
    def on_ok(response, cast):
        claim = getattr(cast, fixture)
        claim.refresh_from_db()
        assert claim.status == status
        assert response.url == detail_url(claim)

    return on_ok


def _disposed(response, cast):
    cast.retained_part.refresh_from_db()
    assert cast.retained_part.disposal == "scrapped"


# The organisation whose claim each claim fixture of the cast is.
CLAIM_OWNERS = {
    "covered_claim": "platform_org",
    "agent_claim": "agent_a",
    "outlet_claim": "outlet_d",
    "approved_claim": "platform_org",
    "in_service_claim": "platform_org",
    "resolved_claim": "platform_org",
}


def _judging(name, fixture, *, then=None, **options) -> Case:
    """A judge's form on the claim page of ``fixture``: on success the claim has
    moved to ``then`` (if given) and the page redirects back to it."""
    on_ok = _status_is(fixture, then) if then else None
    owner = CLAIM_OWNERS[fixture]
    return form_post(name, _url(name, fixture), JUDGES, owner_org=owner, on_ok=on_ok, **options)


def _card_scan(cast) -> dict:
    return {"warranty_card_scan": scan("card2.png")}


def _retained_part_url(cast) -> str:
    return reverse("claims:retained_part_dispose", args=[cast.retained_part.pk])


def _scan_url(cast) -> str:
    return reverse("claims:claim_scan", args=[cast.agent_claim.number, "proof-of-purchase"])


CASES = [
    Case(
        "claim_list",
        "GET",
        needs("covered_claim", "agent_claim", "outlet_claim", then=_url("claim_list")),
        VIEWERS,
        on_ok=_visible_claims_listed,
    ),
    Case("claim_create_page", "GET", _url("claim_create"), CREATORS),
    form_post(
        "claim_create_post", _url("claim_create"), CREATORS, body=_intake_body, on_ok=_taken_in
    ),
    Case(
        "claim_serial_hint",
        "GET",
        needs("unit_of_agent_a", then=_url("claim_serial_hint", query="?serial=SBA000001")),
        CREATORS,
    ),
    *(
        Case(
            f"claim_detail_of_{whose}",
            "GET",
            _url("claim_detail", fixture),
            VIEWERS,
            owner_org=CLAIM_OWNERS[fixture],
            on_ok=_claim_shown(fixture),
        )
        for whose, fixture in [
            ("the_platform", "covered_claim"),
            ("agent_a", "agent_claim"),
            ("outlet_d", "outlet_claim"),
        ]
    ),
    Case("claim_scan", "GET", _scan_url, VIEWERS, owner_org=CLAIM_OWNERS["agent_claim"]),
    _judging("claim_start_judgement", "covered_claim", then=ClaimStatus.UNDER_JUDGEMENT),
    _judging(
        "claim_record_findings", "outlet_claim", body=all_clear_form(), body_format="multipart"
    ),
    _judging("claim_attach_scans", "covered_claim", body=_card_scan, body_format="multipart"),
    _judging("claim_correct_card_no", "covered_claim", body={"warranty_card_no": "wcsba000001"}),
    _judging(
        "claim_judge",
        "outlet_claim",
        body={"failure_confirmed": "yes", "remedy": "repair"},
        then=ClaimStatus.APPROVED,
    ),
    _judging("claim_start_service", "approved_claim", then=ClaimStatus.IN_SERVICE),
    _judging(
        "claim_resolve", "in_service_claim", body={"outcome": "repaired"}, then=ClaimStatus.RESOLVED
    ),
    _judging("claim_close", "resolved_claim", then=ClaimStatus.CLOSED),
    Case(
        "retained_part_list",
        "GET",
        needs("retained_part", then=_url("retained_part_list")),
        PART_VIEWERS,
    ),
    Case(
        "retained_part_list_xlsx",
        "GET",
        needs("retained_part", then=_url("retained_part_list_xlsx")),
        PART_VIEWERS,
        on_ok=is_download(XLSX),
    ),
    form_post(
        "retained_part_dispose",
        _retained_part_url,
        PART_MANAGERS,
        owner_org="platform_org",
        body={"disposal": "scrapped", "note": "Battery swollen"},
        on_ok=_disposed,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_and_action_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# Pages written and tested with the claim documents (sanbao/claims/document_views.py).
DOCUMENT_PAGES = {"claim_receipt_pdf", "claim_report_pdf", "claim_list_xlsx"}


def test_the_matrix_covers_every_claims_page_and_action(cast):
    from sanbao.claims.urls import urlpatterns

    # The finding photo is the scans' twin: tested below with a real photo. The
    # consumer's fault files too, in consumers/tests/test_service_request.py.
    twins = {"claim_finding_photo", "claim_fault_file"}
    expected = {p.name for p in urlpatterns} - DOCUMENT_PAGES - twins
    assert declared_url_names(CASES, cast) == expected


# Intake --------------------------------------------------------------------------------------

CREATE_URL = "/claims/new/"


def counts() -> tuple[int, int, int]:
    return Claim.objects.count(), InspectionFinding.objects.count(), AuditEvent.objects.count()


def test_the_intake_url_is_the_claims_route():
    assert reverse("claims:claim_create") == CREATE_URL


def test_an_outlet_technician_takes_in_a_covered_consumer_claim_and_lands_on_it(
    outlet_tech, unit_of_agent_a
):
    response = login_client_for(outlet_tech).post(CREATE_URL, intake_form(unit_of_agent_a))
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert response.url == detail_url(claim)
    assert claim.handling_org == outlet_tech.organisation
    assert (claim.claimant_kind, claim.consumer_phone) == ("consumer", CONSUMER_PHONE)
    assert claim.verdict == "covered", claim.verdict_results
    assert claim.proof_of_purchase_scan and claim.warranty_card_scan
    assert dict(claim.findings.values_list("rule", "found")) == dict.fromkeys(
        CHECKLIST_RULES, False
    )


def test_an_intake_without_any_fact_is_a_400_with_every_message_by_its_field_and_writes_nothing(
    platform_staff, db
):
    before = counts()
    response = login_client_for(platform_staff).post(CREATE_URL, {"claimant_kind": "consumer"})
    assert_refused(response, 400, "claims.intake_invalid")
    assert field_errors(response) >= {
        "model_code",
        "delivered_on",
        "region",
        "fault_kind",
        "fault_description",
        "consumer_name",
        "consumer_phone",
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"consumer_phone": "12-34"}, "consumer_phone", id="short-phone"),
        pytest.param({"consumer_name": ""}, "consumer_name", id="no-name"),
        pytest.param({"fault_description": ""}, "fault_description", id="no-description"),
        pytest.param({"serial": "SBZ999999"}, "model_code", id="unknown-serial-no-model"),
        pytest.param({"model_code": "NOPE"}, "model_code", id="unknown-model"),
        pytest.param(
            {"proof_of_purchase_scan": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdos")},
            "proof_of_purchase_scan",
            id="scan-type",
        ),
    ],
)
def test_an_intake_with_one_bad_field_is_a_400_with_the_message_by_that_field(
    platform_staff, unit_of_agent_a, overrides, field
):
    before = counts()
    response = login_client_for(platform_staff).post(
        CREATE_URL, intake_form(unit_of_agent_a, **overrides)
    )
    assert response.status_code == 400
    assert field in field_errors(response)
    assert counts() == before


def test_an_intake_with_a_malformed_date_is_a_400_and_writes_nothing(
    platform_staff, unit_of_agent_a
):
    before = counts()
    response = login_client_for(platform_staff).post(
        CREATE_URL, intake_form(unit_of_agent_a, delivered_on="24/13/2026")
    )
    assert response.status_code == 400
    assert "delivered_on" in field_errors(response)
    assert counts() == before


def test_a_refused_intake_keeps_what_was_typed_and_shows_the_serials_registration(
    platform_staff, unit_of_agent_a
):
    response = login_client_for(platform_staff).post(
        CREATE_URL, intake_form(unit_of_agent_a, consumer_phone="1")
    )
    assert response.status_code == 400
    body = html(response)
    assert 'value="Li Na"' in body
    assert 'data-registered="true"' in body


def test_an_agent_claims_for_itself_without_a_claimant_block_or_checklist(
    agent_a_clerk, unit_of_agent_a, platform_org
):
    client = login_client_for(agent_a_clerk)
    page = html(client.get(CREATE_URL))
    assert 'data-testid="claimant-self"' in page
    assert 'name="claimant_kind"' not in page
    assert 'data-testid="intake-checklist"' not in page
    # Whatever a tampered form sends about the claimant or findings is ignored.
    response = client.post(
        CREATE_URL,
        intake_form(unit_of_agent_a, claimant_org_code="AG-B", finding_III_6="found"),
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.claimant_kind, claim.claimant_org) == ("organisation", agent_a_clerk.organisation)
    assert claim.handling_org == platform_org
    assert not claim.findings.exists()
    assert claim.verdict == "needs_judgement"


def test_platform_staff_take_in_a_claim_for_an_agent_and_assign_it_to_an_outlet(
    platform_staff, outlet_tech, agent_b, unit_of_agent_b
):
    client = login_client_for(platform_staff)
    page = html(client.get(CREATE_URL))
    assert 'name="handling_org_code"' in page
    assert '<option value="SO-D">' in page
    response = client.post(
        CREATE_URL,
        intake_form(
            unit_of_agent_b,
            claimant_kind="organisation",
            claimant_org_code="AG-B",
            handling_org_code="SO-D",
        ),
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.claimant_org == agent_b
    assert claim.handling_org == outlet_tech.organisation
    assert login_client_for(outlet_tech).get(detail_url(claim)).status_code == 200


def test_an_outlet_technician_cannot_assign_a_claim_elsewhere(outlet_tech, unit_of_agent_a):
    client = login_client_for(outlet_tech)
    assert 'name="handling_org_code"' not in html(client.get(CREATE_URL))
    client.post(CREATE_URL, intake_form(unit_of_agent_a, handling_org_code="SB-PLATFORM"))
    assert Claim.objects.get().handling_org == outlet_tech.organisation


def test_a_checklist_answer_found_on_intake_makes_the_claim_not_covered(
    outlet_tech, unit_of_agent_a
):
    response = login_client_for(outlet_tech).post(
        CREATE_URL,
        intake_form(
            unit_of_agent_a,
            finding_III_6="found",
            note_III_6="Water marks inside",
            photo_III_6=photo(),
        ),
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.verdict == "not_covered"
    detail = login_client_for(outlet_tech).get(response.url)
    assert verdict_rows(detail)["III.6"] == "fail"
    assert "Water marks inside" in html(detail)


# The serial hint -----------------------------------------------------------------------------


def hint(client, serial):
    return client.get(reverse("claims:claim_serial_hint"), {"serial": serial})


def test_the_serial_hint_shows_the_registered_model_and_region(outlet_tech, unit_of_agent_a):
    response = hint(login_client_for(outlet_tech), unit_of_agent_a.serial)
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert 'data-registered="true"' in body
    assert unit_of_agent_a.model.code in body


def test_the_serial_hint_of_an_unknown_serial_asks_for_the_model(outlet_tech, db):
    body = html(hint(login_client_for(outlet_tech), "SBZ999999"))
    assert 'data-registered="false"' in body


def test_the_serial_hint_reveals_nothing_of_another_agents_unit(agent_b_clerk, unit_of_agent_a):
    theirs = html(hint(login_client_for(agent_b_clerk), unit_of_agent_a.serial))
    missing = html(hint(login_client_for(agent_b_clerk), "SBZ999999"))
    assert 'data-registered="false"' in theirs
    assert unit_of_agent_a.model.code not in theirs
    assert theirs.replace(unit_of_agent_a.serial, "") == missing.replace("SBZ999999", "")


# The claim page ------------------------------------------------------------------------------


def test_the_claim_page_shows_every_rule_with_its_outcome_and_reason(platform_staff, covered_claim):
    response = login_client_for(platform_staff).get(detail_url(covered_claim))
    assert response.status_code == 200
    assert verdict_rows(response) == dict.fromkeys(ALL_RULES, "pass")
    for result in covered_claim.verdict_results:
        with translation.override(platform_staff.language):
            assert reason_text(result) in html(response)
    assert 'data-verdict="covered"' in html(response)


@pytest.mark.clause("I.1")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_hong_kong_unit_reads_not_covered_with_the_scope_reason_in_both_languages(
    platform_staff, pb10k, agent_a, language
):
    unit = UnitFactory(
        serial="SBH000001",
        model=pb10k,
        channel_org=agent_a,
        region="hong_kong",
        warranty_card_no="WCSBH000001",
    )
    claim = intake(platform_staff, unit)
    user_set_language(user=platform_staff, language=language)
    response = login_client_for(platform_staff).get(detail_url(claim))
    body = html(response)
    assert f'<html lang="{language}">' in body
    assert verdict_rows(response)["I.1"] == "fail"
    assert 'data-verdict="not_covered"' in body
    i1 = next(r for r in claim.verdict_results if r["rule"] == "I.1")
    with translation.override(language):
        assert reason_text(i1) in body
        assert str(Unit._meta.get_field("region").choices[1][1]) in reason_text(i1)


@pytest.mark.clause("II.1")
def test_the_claim_page_shows_the_terms_the_claim_is_judged_under(platform_staff, covered_claim):
    body = html(login_client_for(platform_staff).get(detail_url(covered_claim)))
    assert f'data-testid="claim-policy-version">{covered_claim.policy_version}<' in body
    end = re.search(r'data-testid="claim-warranty-end">([0-9-]+)<', body)
    assert end is not None and end.group(1) == covered_claim.warranty_end.isoformat()


def test_the_claim_page_links_the_scans_and_serves_them_to_who_may_see_the_claim(
    agent_a_clerk, agent_b_clerk, agent_claim
):
    page = html(login_client_for(agent_a_clerk).get(detail_url(agent_claim)))
    url = reverse("claims:claim_scan", args=[agent_claim.number, "warranty-card"])
    assert f'href="{url}"' in page
    response = login_client_for(agent_a_clerk).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Security-Policy"] == "sandbox"
    assert login_client_for(agent_b_clerk).get(url).status_code == 404


def test_a_missing_scan_or_an_unknown_document_is_a_404(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    client = login_client_for(platform_staff)
    for document in ("warranty-card", "invoice"):
        response = client.get(reverse("claims:claim_scan", args=[claim.number, document]))
        assert_refused(response, 404, "claims.document_not_found")


def test_a_finding_photo_is_served_from_the_claim_page(outlet_tech, unit_of_agent_a):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("drop.png", buffer.getvalue(), content_type="image/png")
    client = login_client_for(outlet_tech)
    client.post(
        CREATE_URL,
        intake_form(
            unit_of_agent_a, finding_III_6="found", note_III_6="Dropped", photo_III_6=photo
        ),
    )
    claim = Claim.objects.get()
    url = reverse("claims:claim_finding_photo", args=[claim.number, "III.6"])
    assert f'href="{url}"' in html(client.get(detail_url(claim)))
    assert client.get(url).status_code == 200
    other = reverse("claims:claim_finding_photo", args=[claim.number, "III.5"])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    ("fixture", "who", "expected"),
    [
        ("covered_claim", "platform_staff", {"start_judgement", "record_findings", "judge"}),
        ("covered_claim", "cs_commissioner", set()),
        ("agent_claim", "agent_a_clerk", set()),
        ("approved_claim", "platform_staff", {"start_service", "resolve"}),
        ("in_service_claim", "platform_manager", {"resolve"}),
        ("resolved_claim", "platform_staff", {"close"}),
        ("outlet_claim", "outlet_tech", {"start_judgement", "record_findings", "judge"}),
    ],
)
def test_the_claim_page_offers_only_the_actions_the_state_and_role_allow(
    cast, fixture, who, expected
):
    claim = getattr(cast, fixture)
    response = login_client_for(getattr(cast, who)).get(detail_url(claim))
    assert shown_actions(response) - {"attach_scans"} == expected


def test_a_closed_claim_offers_no_action_and_its_timeline_tells_its_whole_life(
    platform_staff, resolved_claim
):
    services.claim_close(claim=resolved_claim, actor=platform_staff)
    response = login_client_for(platform_staff).get(detail_url(resolved_claim))
    assert shown_actions(response) == set()
    events = re.findall(r'data-testid="timeline-event" data-action="([^"]+)"', html(response))
    assert events == [
        "claim.submitted",
        "claim.approved",
        "claim.service_started",
        "claim.resolved",
        "claim.closed",
    ]


def test_another_organisations_claim_is_a_404_like_a_number_that_does_not_exist(
    agent_b_clerk, agent_claim
):
    client = login_client_for(agent_b_clerk)
    theirs = client.get(detail_url(agent_claim))
    missing = client.get(reverse("claims:claim_detail", args=["C0000-NOPE00"]))
    assert theirs.status_code == missing.status_code == 404
    assert error_code(theirs) == error_code(missing) == "claims.claim_not_found"
    assert agent_claim.warranty_card_no not in html(theirs)


# Actions -------------------------------------------------------------------------------------


def post(user, claim, action, data=None, **extra):
    return login_client_for(user).post(action_url(claim, action), data or {}, **extra)


def judge(user, claim, remedy=None, *, confirmed="yes", headers=None, **more):
    """Send the judgement form of ``claim``: whether the failure is ``confirmed``
    ("yes"/"no", None leaves it out), the ``remedy`` and ``more`` fields."""
    data = {"failure_confirmed": confirmed, "remedy": remedy, **more}
    form = {k: v for k, v in data.items() if v is not None}
    return post(user, claim, "judge", form, headers=headers or {})


def status_of(claim) -> str:
    claim.refresh_from_db()
    return claim.status


def test_starting_the_judgement_moves_the_claim_and_redirects_back(platform_staff, covered_claim):
    response = post(platform_staff, covered_claim, "start_judgement")
    assert response.status_code == 302
    assert response.url == detail_url(covered_claim)
    assert status_of(covered_claim) == ClaimStatus.UNDER_JUDGEMENT


def test_starting_the_judgement_of_an_approved_claim_is_a_409_on_the_claim_page(
    platform_staff, approved_claim
):
    events = AuditEvent.objects.count()
    response = post(platform_staff, approved_claim, "start_judgement")
    assert_refused(response, 409, "claims.move_not_allowed")
    assert 'data-testid="claim-body"' in html(response)
    assert status_of(approved_claim) == ClaimStatus.APPROVED
    assert AuditEvent.objects.count() == events


@pytest.mark.clause("III.6")
def test_recording_liquid_ingress_on_inspection_makes_the_claim_not_covered(
    platform_staff, covered_claim
):
    data = {
        **all_clear_form(),
        "finding_III_6": "found",
        "note_III_6": "Corrosion on the board",
        "photo_III_6": photo(),
    }
    response = post(platform_staff, covered_claim, "record_findings", data)
    assert response.status_code == 302
    covered_claim.refresh_from_db()
    assert covered_claim.verdict == "not_covered"
    page = login_client_for(platform_staff).get(detail_url(covered_claim))
    assert verdict_rows(page)["III.6"] == "fail"
    assert "Corrosion on the board" in html(page)


def test_the_findings_form_asks_the_registry_questions_when_the_unit_is_not_registered(
    platform_staff, pb10k
):
    claim = intake(platform_staff, None, serial="SBZ123456", findings=[])
    assert claim.verdict == "needs_judgement"
    page = html(login_client_for(platform_staff).get(detail_url(claim)))
    rules = re.findall(r'data-testid="checklist-row" data-rule="([^"]+)"', page)
    assert rules == ["III.1", "III.3", *CHECKLIST_RULES]
    data = {**all_clear_form(), "finding_III_1": "not_found", "finding_III_3": "not_found"}
    assert post(platform_staff, claim, "record_findings", data).status_code == 302
    claim.refresh_from_db()
    assert claim.verdict == "covered", claim.verdict_results


def test_a_tampered_finding_answer_is_a_400_and_records_nothing(platform_staff, covered_claim):
    before = InspectionFinding.objects.filter(claim=covered_claim).count()
    events = AuditEvent.objects.count()
    response = post(platform_staff, covered_claim, "record_findings", {"finding_III_4": "maybe"})
    assert response.status_code == 400
    assert "finding_III_4" in field_errors(response)
    assert InspectionFinding.objects.filter(claim=covered_claim).count() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.clause("II.2")
def test_attaching_the_missing_scan_turns_the_claim_covered(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    assert claim.verdict == "needs_judgement"
    page = html(login_client_for(platform_staff).get(detail_url(claim)))
    assert 'data-testid="action-attach_scans"' in page
    response = post(platform_staff, claim, "attach_scans", {"warranty_card_scan": scan("c.png")})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.verdict == "covered"


def test_attaching_no_scan_is_a_400_by_the_field(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    response = post(platform_staff, claim, "attach_scans", {})
    assert_refused(response, 400, "claims.intake_invalid", "proof_of_purchase_scan")


def test_judging_a_covered_claim_approves_the_chosen_remedy(platform_staff, covered_claim):
    page = html(login_client_for(platform_staff).get(detail_url(covered_claim)))
    for remedy in ("return", "replacement", "repair"):  # three days after delivery: all open
        assert f'data-testid="judge-remedy-{remedy}" data-open="true"' in page
    response = judge(platform_staff, covered_claim, "repair")
    assert response.status_code == 302
    covered_claim.refresh_from_db()
    assert (covered_claim.status, covered_claim.remedy) == (ClaimStatus.APPROVED, "repair")


@pytest.mark.clause("II.3")
def test_a_replacement_of_lower_specification_is_refused_with_the_message_by_the_model_field(
    platform_staff, covered_claim, pb5k
):
    events = AuditEvent.objects.count()
    page = html(login_client_for(platform_staff).get(detail_url(covered_claim)))
    assert re.search(r'<option value="PB5K" disabled>', page)  # shown, but not offered
    response = judge(platform_staff, covered_claim, "replacement", replacement_model="PB5K")
    assert_refused(response, 400, "claims.replacement_lower", "replacement_model")
    assert status_of(covered_claim) == ClaimStatus.SUBMITTED
    assert AuditEvent.objects.count() == events


@pytest.mark.clause("II.3")
@pytest.mark.parametrize("model", ["PB10K", "PB20K"])
def test_a_replacement_of_the_same_or_a_better_model_is_approved(
    platform_staff, covered_claim, pb20k, model
):
    response = judge(platform_staff, covered_claim, "replacement", replacement_model=model)
    assert response.status_code == 302
    covered_claim.refresh_from_db()
    assert covered_claim.status == ClaimStatus.APPROVED
    assert covered_claim.replacement_model.code == model


@pytest.mark.clause("I.2")
def test_a_replacement_twenty_days_after_delivery_is_not_open_and_the_page_says_so(
    platform_staff, unit_of_agent_a
):
    claim = intake(
        platform_staff,
        unit_of_agent_a,
        delivered_on=timezone.localdate() - dt.timedelta(days=20),
    )
    page = html(login_client_for(platform_staff).get(detail_url(claim)))
    assert 'data-testid="judge-remedy-repair" data-open="true"' in page
    assert 'data-testid="judge-remedy-return" data-open="false"' in page
    response = judge(platform_staff, claim, "replacement", replacement_model="PB10K")
    assert_refused(response, 400, "claims.remedy_not_open", "remedy")
    # Judged impossible to repair, the same replacement is open (II.3).
    response = judge(
        platform_staff, claim, "replacement", replacement_model="PB10K", repair_impossible="on"
    )
    assert response.status_code == 302
    assert status_of(claim) == ClaimStatus.APPROVED


def test_denying_the_failure_without_a_note_is_a_400_by_the_note(platform_staff, covered_claim):
    response = judge(platform_staff, covered_claim, confirmed="no")
    assert_refused(response, 400, "claims.note_required", "note")
    response = judge(
        platform_staff, covered_claim, confirmed="no", note="Charges normally on the bench"
    )
    assert response.status_code == 302
    assert status_of(covered_claim) == ClaimStatus.REJECTED


def test_judging_without_saying_whether_the_failure_is_confirmed_is_a_400(
    platform_staff, covered_claim
):
    response = judge(platform_staff, covered_claim, "repair", confirmed=None)
    assert response.status_code == 400
    assert "failure_confirmed" in field_errors(response)
    assert status_of(covered_claim) == ClaimStatus.SUBMITTED


def test_a_claim_needing_judgement_cannot_be_judged_before_its_facts_are_recorded(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, findings=[])
    response = judge(platform_staff, claim, "repair")
    assert_refused(response, 400, "claims.verdict_needs_judgement")
    assert status_of(claim) == ClaimStatus.SUBMITTED


@pytest.mark.parametrize(
    ("action", "fixture", "moved_to"),
    [
        pytest.param("start_service", "approved_claim", ClaimStatus.IN_SERVICE, id="start-service"),
        pytest.param("close", "resolved_claim", ClaimStatus.CLOSED, id="close"),
    ],
)
def test_a_move_of_a_claim_in_the_state_itneeds(platform_staff, request, action, fixture, moved_to):
    claim = request.getfixturevalue(fixture)
    assert post(platform_staff, claim, action).status_code == 302
    assert status_of(claim) == moved_to


@pytest.mark.parametrize(
    ("action", "fixture"),
    [
        pytest.param("start_service", "covered_claim", id="start-service-of-a-submitted-claim"),
        pytest.param("close", "approved_claim", id="close-an-approved-claim"),
    ],
)
def test_a_move_of_a_claim_in_another_state_is_a_409(platform_staff, request, action, fixture):
    claim = request.getfixturevalue(fixture)
    before = claim.status
    response = post(platform_staff, claim, action)
    assert_refused(response, 409, "claims.move_not_allowed")
    assert status_of(claim) == before


def test_resolving_a_repair_as_repaired(platform_staff, in_service_claim):
    response = post(platform_staff, in_service_claim, "resolve", {"outcome": "repaired"})
    assert response.status_code == 302
    in_service_claim.refresh_from_db()
    assert (in_service_claim.status, in_service_claim.outcome) == ("resolved", "repaired")


def test_resolving_a_repair_as_replaced_is_a_400_by_the_outcome(platform_staff, in_service_claim):
    response = post(
        platform_staff,
        in_service_claim,
        "resolve",
        {"outcome": "replaced", "replacement_serial": "SBX1", "retained_location": "A1"},
    )
    assert_refused(response, 400, "claims.outcome_not_allowed", "outcome")
    assert status_of(in_service_claim) == ClaimStatus.IN_SERVICE


@pytest.mark.clause("II.4")
def test_a_repair_that_takes_parts_out_keeps_them_in_the_ledger(platform_staff, in_service_claim):
    data = {
        "outcome": "repaired",
        "part_description_1": "Battery cell",
        "part_serial_1": "CELL-77",
        "part_description_2": "",
    }
    response = post(platform_staff, in_service_claim, "resolve", data)
    assert_refused(response, 400, "claims.location_required", "retained_location")
    assert not RetainedPart.objects.exists()
    data["retained_location"] = "Shelf B2"
    assert post(platform_staff, in_service_claim, "resolve", data).status_code == 302
    part = RetainedPart.objects.get()
    assert (part.description, part.serial, part.location) == ("Battery cell", "CELL-77", "Shelf B2")
    page = html(login_client_for(platform_staff).get(detail_url(in_service_claim)))
    assert 'data-testid="claim-retained-part"' in page


@pytest.mark.clause("II.4")
def test_resolving_a_replacement_registers_the_new_unit_and_keeps_the_old_one(
    platform_staff, covered_claim, pb20k
):
    approve_replacement(covered_claim, platform_staff, pb20k)
    data = {"outcome": "replaced", "retained_location": "Shelf A3"}
    response = post(platform_staff, covered_claim, "resolve", data)
    assert response.status_code == 400
    assert "replacement_serial" in field_errors(response)
    data["replacement_serial"] = "SBNEW0002"
    assert post(platform_staff, covered_claim, "resolve", data).status_code == 302
    assert Unit.objects.get(serial="SBNEW0002").model == pb20k
    assert retained_part_list_for(source=covered_claim).get().serial == covered_claim.unit.serial


def test_an_outlet_technician_judges_only_the_claims_of_the_outlet(
    outlet_tech, covered_claim, outlet_claim
):
    theirs = judge(outlet_tech, covered_claim)
    assert theirs.status_code == 404
    assert status_of(covered_claim) == ClaimStatus.SUBMITTED
    ours = judge(outlet_tech, outlet_claim, "repair")
    assert ours.status_code == 302
    assert status_of(outlet_claim) == ClaimStatus.APPROVED


def test_an_action_is_refused_with_the_csrf_check_of_a_browser(platform_staff, covered_claim):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(platform_staff)
    page = html(client.get(detail_url(covered_claim)))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(action_url(covered_claim, "start_judgement")).status_code == 403
    response = client.post(
        action_url(covered_claim, "start_judgement"), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# htmx -----------------------------------------------------------------------------------------


def test_an_htmx_action_answers_the_updated_claim_fragment(platform_staff, covered_claim):
    response = post(platform_staff, covered_claim, "start_judgement", headers=HTMX)
    body = fragment(response, "claim-body")
    assert 'data-status="under_judgement"' in body
    assert 'data-testid="claim-done"' in body


def test_an_htmx_action_refused_answers_the_fragment_with_the_error_and_its_status(
    platform_staff, covered_claim, pb5k
):
    response = judge(
        platform_staff, covered_claim, "replacement", replacement_model="PB5K", headers=HTMX
    )
    fragment(response, "claim-body", status=400)
    assert_refused(response, 400, "claims.replacement_lower", "replacement_model")


def test_an_htmx_request_of_the_claim_page_gets_the_claim_fragment(platform_staff, covered_claim):
    response = login_client_for(platform_staff).get(detail_url(covered_claim), headers=HTMX)
    fragment(response, "claim-body")


# The claim list ------------------------------------------------------------------------------

LIST_URL = "/claims/"


@pytest.fixture
def claims(platform_staff, outlet_tech, unit_of_agent_a, unit_of_agent_b, pb20k, agent_a):
    """Four claims: covered (platform), not covered in Hong Kong (platform), needs
    judgement (outlet D), and one on a PB20K unit approved at outlet D."""
    hong_kong = UnitFactory(
        serial="SBH000001", model=unit_of_agent_a.model, channel_org=agent_a, region="hong_kong"
    )
    big = UnitFactory(serial="SBG000001", model=pb20k, channel_org=agent_a)
    covered = intake(platform_staff, unit_of_agent_a)
    outside = intake(platform_staff, hong_kong)
    pending = intake(outlet_tech, unit_of_agent_b, findings=[])
    approved = intake(outlet_tech, big, warranty_card_no=big.warranty_card_no)
    services.claim_judge(claim=approved, actor=outlet_tech, failure_confirmed=True, remedy="repair")
    return {"covered": covered, "outside": outside, "pending": pending, "approved": approved}


def listed(user, query="") -> list[str]:
    return listed_numbers(login_client_for(user), LIST_URL + query, "claim-row")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["approved", "pending", "outside", "covered"]),
        ("?verdict=covered", ["approved", "covered"]),
        ("?verdict=not_covered", ["outside"]),
        ("?status=approved", ["approved"]),
        ("?status=submitted&verdict=needs_judgement", ["pending"]),
        ("?model=PB20K", ["approved"]),
        ("?outlet=SO-D", ["approved", "pending"]),
        ("?outlet=SB-PLATFORM", ["outside", "covered"]),
        ("?serial=SBH", ["outside"]),
        ("?serial=sba", ["covered"]),
        ("?submitted_from=2000-01-01", ["approved", "pending", "outside", "covered"]),
        ("?submitted_to=2000-01-01", []),
    ],
)
def test_the_claim_list_filters_return_the_right_claims_for_platform_staff(
    platform_staff, claims, query, expected
):
    assert listed(platform_staff, query) == [claims[name].number for name in expected]


def test_the_claim_list_of_an_outlet_holds_only_its_claims_and_no_outlet_filter(
    outlet_tech, claims
):
    response = login_client_for(outlet_tech).get(LIST_URL)
    assert row_numbers(response) == [claims["approved"].number, claims["pending"].number]
    assert 'name="outlet"' not in html(response)
    # A filter naming another organisation does not widen the list.
    assert listed(outlet_tech, "?outlet=SB-PLATFORM") == row_numbers(response)


def test_an_agent_lists_only_its_own_claims(agent_a_clerk, agent_b_clerk, claims, agent_claim):
    assert listed(agent_a_clerk) == [agent_claim.number]
    assert listed(agent_b_clerk) == []
    assert listed(agent_a_clerk, "?serial=SBH") == []


def test_the_claim_list_shows_the_verdict_and_status_of_each_row(platform_staff, claims):
    body = html(login_client_for(platform_staff).get(LIST_URL))
    outside = claims["outside"].number
    assert f'data-number="{outside}" data-status="submitted" data-verdict="not_covered"' in body
    assert 'data-testid="claim-verdict" data-verdict="not_covered"' in body


def test_the_claim_list_links_the_export_with_the_same_filters(platform_staff, claims):
    body = html(login_client_for(platform_staff).get(LIST_URL + "?verdict=covered&page=1"))
    export = reverse("claims:claim_list_xlsx")
    assert f'href="{export}?verdict=covered"' in body


def test_an_htmx_request_of_the_claim_list_gets_the_results_fragment_only(platform_staff, claims):
    response = login_client_for(platform_staff).get(LIST_URL + "?verdict=covered", headers=HTMX)
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert 'data-testid="claim-filters"' not in body
    assert row_numbers(response) == [claims["approved"].number, claims["covered"].number]


def test_a_bad_date_filter_is_shown_and_ignored(platform_staff, claims):
    response = login_client_for(platform_staff).get(LIST_URL + "?submitted_from=someday")
    assert response.status_code == 200
    assert response.context["form"].has_error("submitted_from")
    assert len(row_numbers(response)) == 4


def test_the_claim_list_pages_by_fifty(platform_staff, pb10k):
    for _ in range(51):
        intake(platform_staff, None, proof_of_purchase_scan=None, warranty_card_scan=None)
    client = login_client_for(platform_staff)
    first = client.get(LIST_URL)
    assert len(row_numbers(first)) == 50
    assert 'rel="next"' in html(first)
    assert len(row_numbers(client.get(LIST_URL + "?page=2"))) == 1


def _claims_on_their_own_models(count, actor):
    for _ in range(count):
        model = ProductModelFactory()
        intake(
            actor,
            None,
            model_code=model.code,
            proof_of_purchase_scan=None,
            warranty_card_scan=None,
            findings=[],
        )


@pytest.mark.parametrize("who", ["platform_staff", "outlet_tech", "agent_a_clerk"])
def test_the_claim_list_runs_a_fixed_number_of_queries_however_many_claims(cast, who, platform_org):
    user = getattr(cast, who)  # each lists the claims it takes in (an agent: the ones it makes)
    client = login_client_for(user)
    assert_list_queries_flat(
        lambda: client.get(LIST_URL),
        lambda count: _claims_on_their_own_models(count, user),
        ceiling=9,
    )


# Retained parts ------------------------------------------------------------------------------

PARTS_URL = "/claims/retained-parts/"


def part_rows(response) -> list[str]:
    return re.findall(r'data-testid="part-row" data-part="(\d+)"', html(response))


def dispose(user, part, data, **extra):
    url = reverse("claims:retained_part_dispose", args=[part.pk])
    return login_client_for(user).post(url, data, **extra)


def test_the_ledger_lists_the_retained_units_of_the_organisation(
    platform_staff, outlet_tech, retained_part
):
    assert part_rows(login_client_for(platform_staff).get(PARTS_URL)) == [str(retained_part.pk)]
    assert part_rows(login_client_for(outlet_tech).get(PARTS_URL)) == []


@pytest.mark.clause("II.4")
def test_disposing_of_a_retained_part_records_how_and_never_returns_it_to_the_user(
    platform_staff, retained_part
):
    refused = dispose(platform_staff, retained_part, {"disposal": "returned_to_user"})
    assert refused.status_code == 400
    assert "disposal" in field_errors(refused)
    empty = dispose(platform_staff, retained_part, {"disposal": ""})
    assert_refused(empty, 400, "claims.disposal_invalid")
    retained_part.refresh_from_db()
    assert retained_part.disposal == ""
    response = dispose(platform_staff, retained_part, {"disposal": "recycled", "note": "Batch 7"})
    assert response.status_code == 302
    retained_part.refresh_from_db()
    assert (retained_part.disposal, retained_part.disposal_note) == ("recycled", "Batch 7")


def test_disposing_of_a_part_twice_is_a_409(platform_staff, retained_part):
    dispose(platform_staff, retained_part, {"disposal": "scrapped"})
    again = dispose(platform_staff, retained_part, {"disposal": "recycled"})
    assert_refused(again, 409, "claims.already_disposed")
    retained_part.refresh_from_db()
    assert retained_part.disposal == "scrapped"


def test_an_htmx_disposal_answers_the_updated_row(platform_staff, retained_part):
    response = dispose(platform_staff, retained_part, {"disposal": "scrapped"}, headers=HTMX)
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith("<tr")
    assert 'data-disposal="scrapped"' in body
    refused = dispose(platform_staff, retained_part, {"disposal": "recycled"}, headers=HTMX)
    assert_refused(refused, 409, "claims.already_disposed")


def test_the_open_only_filter_hides_disposed_parts(platform_staff, retained_part):
    client = login_client_for(platform_staff)
    dispose(platform_staff, retained_part, {"disposal": "scrapped"})
    assert part_rows(client.get(PARTS_URL)) == [str(retained_part.pk)]
    assert part_rows(client.get(PARTS_URL + "?open_only=on")) == []


def test_the_ledger_runs_a_fixed_number_of_queries_however_many_parts(
    platform_staff, covered_claim, platform_org
):
    client = login_client_for(platform_staff)

    def add(count):
        RetainedPart.objects.bulk_create(
            RetainedPart(
                source_type="claims.claim",
                source_id=str(covered_claim.pk),
                source_repr=covered_claim.number,
                kind="part",
                description=f"Part {i}",
                held_by=platform_org,
                location="Shelf",
            )
            for i in range(count)
        )

    assert_list_queries_flat(lambda: client.get(PARTS_URL), add, ceiling=7)


# Language ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_claim_pages_follow_the_language_of_the_user(platform_staff, covered_claim, language):
    user_set_language(user=platform_staff, language=language)
    client = login_client_for(platform_staff)
    for url in (LIST_URL, CREATE_URL, detail_url(covered_claim), PARTS_URL):
        body = html(client.get(url))
        assert f'<html lang="{language}">' in body, url
    with translation.override(language):
        fault = str(covered_claim.get_fault_kind_display())
        category = covered_claim.model.category.name
    detail = html(client.get(detail_url(covered_claim)))
    assert fault in detail
    assert category in detail


# Home ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("platform_staff", {"home-claim-create", "home-claim-list", "home-retained-parts"}),
        ("cs_commissioner", {"home-claim-list", "home-retained-parts"}),
        ("outlet_tech", {"home-claim-create", "home-claim-list", "home-retained-parts"}),
        ("agent_a_clerk", {"home-claim-create", "home-claim-list"}),
        ("enterprise_clerk", {"home-claim-create", "home-claim-list"}),
    ],
)
def test_the_home_page_offers_the_claim_shortcuts_of_the_role(cast, who, expected):
    user = getattr(cast, who)
    body = html(login_client_for(user).get("/"))
    shown = set(re.findall(r'data-testid="(home-(?:claim|retained)[a-z-]*)"', body))
    assert shown == expected
    # Every shortcut opens for this role.
    client = login_client_for(user)
    for name in shown:
        href = re.search(rf'href="([^"]+)" data-testid="{name}"', body).group(1)
        assert client.get(href).status_code == 200, name
