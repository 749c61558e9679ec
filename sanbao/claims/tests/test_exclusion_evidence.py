"""Issue 10 item 7: an exclusion found at inspection (III.4–III.8, III.10) is
recorded with a note saying what was seen and a photo showing it, as the return
workshop already asks of a unit it excludes. Refused otherwise, naming the
checklist's fields, with nothing written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanbao.claims import services
from sanbao.claims.models import Claim, InspectionFinding
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import all_clear, intake, photo
from sanbao.claims.tests.factories import actions_of, reload
from sanbao.core.errors import ValidationFailed
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.responses import assert_refused, field_errors, html

EXCLUSIONS = ("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")


def slug(rule: str) -> str:
    return rule.replace(".", "_")


@pytest.fixture
def uninspected(platform_staff, unit_of_agent_a):
    """A claim with complete documents whose unit has not been inspected yet."""
    return intake(platform_staff, unit_of_agent_a, findings=None)


def record(claim, actor, findings):
    return services.claim_record_findings(claim=claim, actor=actor, findings=findings)


def with_exclusion(rule, **finding):
    """The whole checklist clear but ``rule``, found with ``finding``'s note and photo."""
    return [f for f in all_clear() if f.rule != rule] + [FindingIn(rule, True, **finding)]


def assert_nothing_recorded(claim):
    assert not InspectionFinding.objects.filter(claim=claim).exists()
    assert actions_of(claim) == ["claim.submitted"]
    assert reload(claim).verdict == "needs_judgement"


def not_an_image(name="photo.png"):
    return SimpleUploadedFile(name, b"just some text, not a picture", content_type="image/png")


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_an_exclusion_found_without_a_note_is_refused_naming_the_note(
    uninspected, platform_staff, rule
):
    with pytest.raises(ValidationFailed) as caught:
        record(uninspected, platform_staff, with_exclusion(rule, note="  ", photo=photo()))
    assert caught.value.code == "claims.findings_invalid"
    assert set(caught.value.fields) == {f"note_{slug(rule)}"}
    assert_nothing_recorded(uninspected)


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_an_exclusion_found_without_a_photo_is_refused_naming_the_photo(
    uninspected, platform_staff, rule
):
    with pytest.raises(ValidationFailed) as caught:
        record(uninspected, platform_staff, with_exclusion(rule, note="seen on the bench"))
    assert caught.value.code == "claims.findings_invalid"
    assert set(caught.value.fields) == {f"photo_{slug(rule)}"}
    assert_nothing_recorded(uninspected)


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(not_an_image, id="text-named-png"),
        pytest.param(
            lambda: SimpleUploadedFile("board.pdf", b"%PDF-1.4 x\n%%EOF\n", "application/pdf"),
            id="a-pdf",
        ),
    ],
)
def test_an_exclusion_whose_photo_is_not_an_image_is_refused(uninspected, platform_staff, upload):
    with pytest.raises(ValidationFailed) as caught:
        record(uninspected, platform_staff, with_exclusion("III.6", note="wet", photo=upload()))
    assert caught.value.code == "claims.findings_invalid"
    assert set(caught.value.fields) == {"photo_III_6"}
    assert_nothing_recorded(uninspected)


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_an_exclusion_with_its_note_and_photo_makes_the_claim_not_covered(
    uninspected, platform_staff, rule
):
    record(uninspected, platform_staff, with_exclusion(rule, note="seen", photo=photo()))
    claim = reload(uninspected)
    assert claim.verdict == "not_covered"
    assert [r["rule"] for r in claim.verdict_results if r["outcome"] == "fail"] == [rule]
    finding = InspectionFinding.objects.get(claim=claim, rule=rule)
    assert (finding.found, finding.note) == (True, "seen")
    assert finding.photo.read().startswith(b"\x89PNG")


@pytest.mark.clause("III.6")
def test_an_exclusion_recorded_again_keeps_the_photo_already_stored(uninspected, platform_staff):
    record(uninspected, platform_staff, with_exclusion("III.6", note="wet", photo=photo()))
    record(uninspected, platform_staff, [FindingIn("III.6", True, "wet, and corroded")])
    finding = InspectionFinding.objects.get(claim=uninspected, rule="III.6")
    assert finding.note == "wet, and corroded"
    assert finding.photo


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
def test_an_exclusion_found_at_intake_needs_its_note_and_photo_and_nothing_is_written(
    platform_staff, unit_of_agent_a
):
    claims = Claim.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        intake(
            platform_staff,
            unit_of_agent_a,
            findings=[
                *(f for f in with_exclusion("III.4") if f.rule != "III.8"),
                FindingIn("III.8", True, "", photo=not_an_image()),
            ],
        )
    assert caught.value.code == "claims.intake_invalid"
    assert set(caught.value.fields) == {"note_III_4", "photo_III_4", "note_III_8", "photo_III_8"}
    assert Claim.objects.count() == claims
    claim = intake(
        platform_staff,
        unit_of_agent_a,
        findings=with_exclusion("III.4", note="worn", photo=photo()),
    )
    assert claim.verdict == "not_covered"


def test_a_problem_confirmed_on_iii_1_needs_no_photo(platform_staff, pb10k):
    claim = intake(platform_staff, None, serial="SBZ123456", findings=[])
    record(claim, platform_staff, [FindingIn("III.1", True, "no brand hologram")])
    assert reload(claim).verdict == "not_covered"


# The API: the photo first, then the exclusion ---------------------------------------


def photo_url(claim, rule):
    return f"/api/v1/claims/{claim.number}/findings/{rule}/photo"


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_the_api_attaches_the_photo_first_and_then_records_the_exclusion(
    uninspected, platform_staff, rule
):
    client = api_client_for(platform_staff)
    body = {"findings": [{"rule": rule, "found": True, "note": "seen on the bench"}]}
    refused = client.post(
        f"/api/v1/claims/{uninspected.number}/findings", body, content_type="application/json"
    )
    assert assert_envelope(refused, 400, "claims.findings_invalid")["fields"].keys() == {
        f"photo_{slug(rule)}"
    }
    attached = client.post(photo_url(uninspected, rule), {"photo": photo()})
    assert attached.status_code == 200, attached.content
    shown = {f["rule"]: f for f in attached.json()["findings"]}[rule]
    assert (shown["found"], shown["has_photo"]) == (None, True)
    assert reload(uninspected).verdict == "needs_judgement"  # nothing found yet
    recorded = client.post(
        f"/api/v1/claims/{uninspected.number}/findings", body, content_type="application/json"
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["verdict"] == "not_covered"
    assert actions_of(uninspected)[-2:] == ["claim.finding_photo_attached", "claim.inspected"]


def test_the_api_refuses_a_photo_that_is_not_an_image_and_attaches_nothing(
    uninspected, platform_staff
):
    client = api_client_for(platform_staff, language="zh-hans")
    response = client.post(photo_url(uninspected, "III.6"), {"photo": not_an_image()})
    body = assert_envelope(response, 400, "claims.photo_invalid")
    assert set(body["fields"]) == {"photo"}
    assert "JPEG" in body["fields"]["photo"][0] and "照片" in body["fields"]["photo"][0]
    assert not InspectionFinding.objects.filter(claim=uninspected).exists()
    missing = client.post(photo_url(uninspected, "III.6"), {})
    assert missing.status_code in (400, 422)
    outside = client.post(photo_url(uninspected, "III.9"), {"photo": photo()})
    assert assert_envelope(outside, 400, "claims.finding_rule_invalid")["fields"].keys() == {"rule"}
    assert actions_of(uninspected) == ["claim.submitted"]


# The pages: the errors by the checklist's fields ------------------------------------


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
def test_the_inspection_form_marks_the_note_and_photo_of_an_exclusion_without_them(
    platform_staff, uninspected
):
    data = {f"finding_{slug(r)}": "not_found" for r in CHECKLIST_RULES}
    data.update(finding_III_6="found", finding_III_10="found", note_III_10="Opened with a knife")
    url = reverse("claims:claim_record_findings", args=[uninspected.number])
    response = login_client_for(platform_staff).post(url, data)
    assert_refused(response, 400, "claims.findings_invalid", "note_III_6", "photo_III_6")
    assert field_errors(response) >= {"note_III_6", "photo_III_6", "photo_III_10"}
    assert "note_III_10" not in field_errors(response)
    assert_nothing_recorded(uninspected)
    data.update(note_III_6="Liquid marks", photo_III_6=photo(), photo_III_10=photo("knife.png"))
    assert login_client_for(platform_staff).post(url, data).status_code == 302
    assert reload(uninspected).verdict == "not_covered"


def test_the_checklist_says_which_exclusions_need_a_photo_and_which_have_one(
    platform_staff, uninspected
):
    record(uninspected, platform_staff, with_exclusion("III.6", note="wet", photo=photo()))
    page = html(
        login_client_for(platform_staff).get(
            reverse("claims:claim_detail", args=[uninspected.number])
        )
    )
    for rule in CHECKLIST_RULES:
        assert f'data-testid="photo-required-{rule}"' in page
    assert 'data-testid="photo-stored-III.6"' in page
    assert 'data-testid="photo-stored-III.4"' not in page
