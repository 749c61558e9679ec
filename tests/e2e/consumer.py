"""What the consumer's journeys (issue 16) share: the printed sheet of warranty cards
read back as a phone reads it, confirming a mobile number by the code the SMS
brings, the Guangzhou outlet a consumer chooses, the request for service filled
in, and the screenshots kept in docs/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import expect

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def in_docs(screenshot, page, name: str) -> Path:
    """``screenshot(page, name)``, and a copy in docs/screenshots/<name>.png."""
    saved = screenshot(page, name)
    shutil.copyfile(saved, DOCS_SCREENSHOTS / f"{name}.png")
    return saved


def printed_card_urls(staff, lot: str, tmp_path) -> list[str]:
    """The URLs in the QR codes of production lot ``lot``'s sheet of warranty cards,
    sorted, as a phone reads them off the printed sheet: the sheet printed for
    ``staff`` (the document registry, as the staff's download), its first page
    rendered at 200 dpi by pdftoppm, the codes decoded by zxing-cpp."""
    from sanbao.consumers import selectors
    from sanbao.documents import registry
    from sanbao.testkit.pdf import decoded, render_pngs

    sheet = registry.file(
        "consumers.warranty_cards_pdf", selectors.lot_get(actor=staff, number=lot)
    )
    png = render_pngs(sheet.content, tmp_path, dpi=200, page=1)[0]
    return sorted(code.text for code in decoded(png) if code.format.name == "QRCode")


def otp_sent() -> str:
    """The one-time code of the last SMS sent, once the queued tasks have run."""
    from sanbao.notifications import sms
    from sanbao.testkit.background import run_queued_tasks

    run_queued_tasks()
    codes = [message for message in sms.outbox if message.template.name == "otp_code"]
    assert codes, "no one-time code was sent"
    return codes[-1].params["code"]


def confirm_number(page, number: str, *, each_page=None) -> None:
    """On the phone page (/service/phone/): the number, the consent box, "send me a
    code", then the code the SMS brought. ``each_page(page, step)``, if given, is
    called on each of the two pages filled in ("send", then "code") before it is
    sent: to measure it or take its picture."""
    expect(page.get_by_test_id("phone-send-form")).to_be_visible()
    page.fill("#id_phone", number)
    page.check("#id_consent")
    if each_page is not None:
        each_page(page, "send")
    page.get_by_test_id("phone-send").click()
    expect(page.get_by_test_id("phone-code-form")).to_be_visible()
    page.fill("#id_code", otp_sent())
    if each_page is not None:
        each_page(page, "code")
    page.get_by_test_id("phone-verify").click()


def guangzhou_outlet():
    """An authorised service outlet in Guangzhou, with its address and hours."""
    from sanbao.accounts.models import Organisation
    from sanbao.accounts.roles import OrgKind

    return Organisation.objects.create(
        code="SO-GZ01",
        kind=OrgKind.SERVICE_OUTLET,
        name_en="Guangzhou Tianhe Authorised Service Outlet",
        name_zh="广州天河授权服务网点",
        address="广州市天河区天河路101号天河电脑城3-12铺",
        phone="020-3888 0101",
        opening_hours_en="Mon–Sat 10:00–19:00",
        opening_hours_zh="周一至周六 10:00–19:00",
    )


def fill_service_request(
    page,
    *,
    fault_files: list,
    card_photo,
    proof_photo,
    remedy: str,
    route: str,
    name: str = "李伟",
    description: str = "充不进电，指示灯不亮。",
    proof_no: str = "FP-2026-0001",
) -> None:
    """The request for service filled in (not sent): who, the fault and its photos,
    the card's and the proof's photos, the remedy, the way to service, consent."""
    page.fill("#id_consumer_name", name)
    page.select_option("#id_fault_kind", "not_charging")
    page.fill("#id_fault_description", description)
    page.set_input_files("#id_fault_files", [str(f) for f in fault_files])
    page.set_input_files("#id_warranty_card_scan", str(card_photo))
    page.set_input_files("#id_proof_of_purchase_scan", str(proof_photo))
    page.fill("#id_proof_of_purchase_no", proof_no)
    page.check(f'input[name="remedy_requested"][value="{remedy}"]')
    page.check(f'input[name="route"][value="{route}"]')
    page.check("#id_consent")
