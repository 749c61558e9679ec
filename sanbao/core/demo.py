"""Demo data for ``make run``: the brand's after-sales centre, its partners, one
login per role, a small catalog, 2,000 sold units and eight warranty claims.

Loading is idempotent: whatever already exists (matched by its code, username
or, for a claim, its fault description) is left as it is, so running
``load_demo`` twice changes nothing and fails on nothing. Users and
organisations go through the accounts services, units through ``unit_import``
(the same bulk path as a real file) and claims through the claims services, as
the people named in ``DEMO_CLAIMS`` would make them; only the platform
organisation itself, which must exist before anyone can create organisations,
and the catalog (which has no create service yet) are written directly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

DEMO_PASSWORD = "sanbao-demo-2026"
DEMO_URL = "http://127.0.0.1:8000"
UNIT_COUNT = 2_000
SALES_SPAN_DAYS = 548  # about 18 months back from today
SEED = 2026

PLATFORM_CODE = "SB-ASC"

# code, kind, English name, Chinese name, address, phone, fax, e-mail, contact
ORGANISATIONS = [
    {
        "code": PLATFORM_CODE,
        "kind": "platform",
        "name_en": "Sanbao Brand After-Sales Service Centre",
        "name_zh": "三宝品牌售后服务中心",
        "address": "8F, Block B, Sanbao Technology Park, 1 Keji South Road, "
        "Nanshan District, Shenzhen, Guangdong 518057",
        "phone": "+86 755 8600 3000",
        "fax": "+86 755 8600 3001",
        "email": "after-sales@sanbao.example",
        "contact_person": "Chen Jing 陈静",
    },
    {
        "code": "AG-SZ01",
        "kind": "agent",
        "name_en": "Shenzhen Huaqiang Digital Trading Co., Ltd.",
        "name_zh": "深圳华强数码贸易有限公司",
        "address": "Room 1206, SEG Plaza, 1002 Huaqiang North Road, Futian District, Shenzhen",
        "phone": "+86 755 8321 5566",
        "fax": "+86 755 8321 5567",
        "email": "service@hq-digital.example",
        "contact_person": "Zhang Wei 张伟",
    },
    {
        "code": "AG-CD01",
        "kind": "agent",
        "name_en": "Chengdu Tianfu Electronics Distribution Co., Ltd.",
        "name_zh": "成都天府电子分销有限公司",
        "address": "No. 88 Renmin South Road Section 3, Wuhou District, Chengdu, Sichuan",
        "phone": "+86 28 8555 1200",
        "fax": "+86 28 8555 1201",
        "email": "aftersales@tianfu-dist.example",
        "contact_person": "Liu Yang 刘洋",
    },
    {
        "code": "EN-HZ01",
        "kind": "enterprise",
        "name_en": "Hangzhou Yunfan Logistics Co., Ltd.",
        "name_zh": "杭州云帆物流有限公司",
        "address": "No. 500 Jianghong Road, Binjiang District, Hangzhou, Zhejiang",
        "phone": "+86 571 8677 4400",
        "fax": "",
        "email": "it-assets@yunfan.example",
        "contact_person": "Wang Fang 王芳",
    },
    {
        "code": "SO-GZ01",
        "kind": "service_outlet",
        "name_en": "Guangzhou Tianhe Authorised Service Outlet",
        "name_zh": "广州天河授权服务网点",
        "address": "Shop 3-12, Tianhe Computer City, 101 Tianhe Road, Tianhe District, Guangzhou",
        "phone": "+86 20 3888 0101",
        "fax": "+86 20 3888 0102",
        "email": "outlet-gz@sanbao.example",
        "contact_person": "Huang Lei 黄磊",
    },
]

# username, role, organisation code, first name, last name, language (alternating)
USERS = [
    ("staff", "aftersales_staff", PLATFORM_CODE, "Min", "Zhao", "en"),
    ("manager", "aftersales_manager", PLATFORM_CODE, "静", "陈", "zh-hans"),
    ("commercial", "commercial_commissioner", PLATFORM_CODE, "Hao", "Sun", "en"),
    ("service", "cs_commissioner", PLATFORM_CODE, "丽", "周", "zh-hans"),
    ("admin", "administrator", PLATFORM_CODE, "Qiang", "Wu", "en"),
    ("agent_sz", "agent_clerk", "AG-SZ01", "伟", "张", "zh-hans"),
    ("agent_cd", "agent_clerk", "AG-CD01", "Yang", "Liu", "en"),
    ("enterprise", "enterprise_clerk", "EN-HZ01", "芳", "王", "zh-hans"),
    ("outlet", "outlet_technician", "SO-GZ01", "Lei", "Huang", "en"),
]
SUPERUSERS = {"admin"}  # the administrator also runs the Django admin

# Return window ≤ exchange window is a database constraint (I.2).
CATEGORIES = [
    {
        "code": "power-bank",
        "name_en": "Power banks",
        "name_zh": "移动电源",
        "warranty_months": 12,
        "return_window_days": 7,
        "exchange_window_days": 15,
        "repair_attempts_limit": 2,
        "repair_days_limit": 30,
        "new_warranty_on_replacement": True,
        "required_accessories": ["data cable"],
        "must_be_bundled": False,
    },
    {
        "code": "adapter",
        "name_en": "Chargers and adapters",
        "name_zh": "充电器/适配器",
        "warranty_months": 12,
        "return_window_days": 7,
        "exchange_window_days": 15,
        "repair_attempts_limit": 2,
        "repair_days_limit": 30,
        "new_warranty_on_replacement": True,
        "required_accessories": [],
        "must_be_bundled": True,
    },
    {
        "code": "data-cable",
        "name_en": "Data cables",
        "name_zh": "数据线",
        "warranty_months": 6,
        "return_window_days": 7,
        "exchange_window_days": 15,
        "repair_attempts_limit": 1,
        "repair_days_limit": 15,
        "new_warranty_on_replacement": False,
        "required_accessories": [],
        "must_be_bundled": True,
    },
    {
        "code": "headphones",
        "name_en": "Headphones",
        "name_zh": "耳机",
        "warranty_months": 12,
        "return_window_days": 7,
        "exchange_window_days": 15,
        "repair_attempts_limit": 2,
        "repair_days_limit": 30,
        "new_warranty_on_replacement": True,
        "required_accessories": [],
        "must_be_bundled": False,
    },
]


def _model(code, category, name_en, name_zh, mah=None, watts=None, ports=None, hours=None):
    return {
        "code": code,
        "category": category,
        "name_en": name_en,
        "name_zh": name_zh,
        "capacity_mah": mah,
        "rated_output_w": Decimal(str(watts)) if watts is not None else None,
        "port_count": ports,
        "battery_life_h": Decimal(str(hours)) if hours is not None else None,
    }


PRODUCT_MODELS = [
    _model(
        "PB05K",
        "power-bank",
        "Mini Power Bank 5000 mAh 12 W",
        "迷你充电宝 5000毫安 12W",
        5000,
        12,
        1,
    ),
    _model(
        "PB10K",
        "power-bank",
        "Power Bank 10000 mAh 22.5 W",
        "充电宝 10000毫安 22.5W",
        10000,
        22.5,
        2,
    ),
    _model(
        "PB10KM",
        "power-bank",
        "Magnetic Wireless Power Bank 10000 mAh 15 W",
        "磁吸无线充电宝 10000毫安 15W",
        10000,
        15,
        1,
    ),
    _model(
        "PB20K",
        "power-bank",
        "Power Bank 20000 mAh 22.5 W",
        "充电宝 20000毫安 22.5W",
        20000,
        22.5,
        3,
    ),
    _model(
        "PB20KPD",
        "power-bank",
        "Power Bank 20000 mAh 65 W PD",
        "充电宝 20000毫安 65W PD快充",
        20000,
        65,
        3,
    ),
    _model(
        "PB30K",
        "power-bank",
        "Power Bank 30000 mAh 22.5 W",
        "充电宝 30000毫安 22.5W",
        30000,
        22.5,
        3,
    ),
    _model(
        "PB30KPD",
        "power-bank",
        "Power Bank 30000 mAh 65 W PD",
        "充电宝 30000毫安 65W PD快充",
        30000,
        65,
        4,
    ),
    _model("AD18", "adapter", "USB-A Quick Charger 18 W", "USB-A 快充充电器 18W", None, 18, 1),
    _model("AD20C", "adapter", "USB-C PD Charger 20 W", "USB-C PD 充电器 20W", None, 20, 1),
    _model("AD33G", "adapter", "GaN Charger 33 W, 2 ports", "氮化镓充电器 33W 双口", None, 33, 2),
    _model("AD65G", "adapter", "GaN Charger 65 W, 3 ports", "氮化镓充电器 65W 三口", None, 65, 3),
    _model(
        "AD100G", "adapter", "GaN Charger 100 W, 4 ports", "氮化镓充电器 100W 四口", None, 100, 4
    ),
    _model(
        "CBAC18",
        "data-cable",
        "USB-A to USB-C Cable 1 m, 18 W",
        "USB-A 转 Type-C 数据线 1米 18W",
        None,
        18,
        None,
    ),
    _model(
        "CBCC60",
        "data-cable",
        "USB-C to USB-C Cable 1 m, 60 W",
        "Type-C 转 Type-C 数据线 1米 60W",
        None,
        60,
        None,
    ),
    _model(
        "CBCC100",
        "data-cable",
        "USB-C to USB-C Cable 2 m, 100 W",
        "Type-C 转 Type-C 数据线 2米 100W",
        None,
        100,
        None,
    ),
    _model(
        "CBCL27",
        "data-cable",
        "USB-C to Lightning Cable 1 m, 27 W",
        "Type-C 转 Lightning 数据线 1米 27W",
        None,
        27,
        None,
    ),
    _model("HPT1", "headphones", "True Wireless Earbuds T1", "真无线耳机 T1", hours=6),
    _model("HPT2ANC", "headphones", "Noise-Cancelling Earbuds T2", "主动降噪耳机 T2", hours=8),
    _model("HPN1", "headphones", "Neckband Sports Headphones N1", "颈挂式运动耳机 N1", hours=20),
    _model("HPH1", "headphones", "Over-Ear Wireless Headphones H1", "头戴式无线耳机 H1", hours=40),
]

# Where the demo units were sold (weights): mostly through the two agents.
CHANNELS = [("AG-SZ01", 50), ("AG-CD01", 35), ("EN-HZ01", 15)]
REGIONS = [("mainland", 930), ("hong_kong", 30), ("macau", 15), ("taiwan", 20), ("overseas", 5)]
UNAUTHORISED_SHARE = 0.02


@dataclass
class DemoResult:
    organisations_created: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    passwords_reset: list[str] = field(default_factory=list)
    categories_created: int = 0
    models_created: int = 0
    units_created: int = 0
    units_present: int = 0
    claims_created: list[str] = field(default_factory=list)
    claims_skipped: list[str] = field(default_factory=list)  # no fitting unit found
    batches_created: list[str] = field(default_factory=list)


def unit_serial(model_code: str, number: int) -> str:
    """The demo serial of a model's ``number``-th unit: SB + model code + 6 digits."""
    return f"SB{model_code}{number:06d}"


def demo_unit_rows(today: dt.date, count: int = UNIT_COUNT) -> list[dict[str, str]]:
    """The demo units as import rows. Serials are the same on every run (a fixed
    seed); sale dates are counted back from ``today``."""
    rng = random.Random(SEED)
    codes = [m["code"] for m in PRODUCT_MODELS]
    numbers = dict.fromkeys(codes, 0)
    channel_codes, channel_weights = zip(*CHANNELS, strict=True)
    region_codes, region_weights = zip(*REGIONS, strict=True)
    rows = []
    for _ in range(count):
        code = rng.choice(codes)
        numbers[code] += 1
        authorised = rng.random() >= UNAUTHORISED_SHARE
        rows.append(
            {
                "serial": unit_serial(code, numbers[code]),
                "model_code": code,
                "sale_date": (
                    today - dt.timedelta(days=rng.randrange(SALES_SPAN_DAYS))
                ).isoformat(),
                "region": rng.choices(region_codes, region_weights)[0],
                "authorised_channel": "yes" if authorised else "no",
                # A unit sold outside the authorised channels has no known dealer.
                "channel_org_code": rng.choices(channel_codes, channel_weights)[0]
                if authorised
                else "",
                "warranty_card_no": f"WC{rng.randrange(10**9):09d}" if authorised else "",
            }
        )
    return rows


def _units_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _ensure_user(result: DemoResult, orgs: dict, spec: tuple):
    from sanbao.accounts.models import User
    from sanbao.accounts.services import user_create

    username, role, org_code, first_name, last_name, language = spec
    user = User.objects.filter(username=username).first()
    if user is None:
        superuser = username in SUPERUSERS
        user = user_create(
            actor=None,
            organisation=orgs[org_code],
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@sanbao.example",
            language=language,
            is_staff=superuser,
            is_superuser=superuser,
        )
        result.users_created.append(username)
    elif not user.check_password(DEMO_PASSWORD):
        # The printed logins must work, so a changed demo password is put back.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        result.passwords_reset.append(username)
    return user


def load(*, today: dt.date | None = None) -> DemoResult:
    """Create whatever part of the demo data is missing; return what was done."""
    from sanbao.accounts.models import Organisation
    from sanbao.accounts.services import organisation_create
    from sanbao.catalog.models import Category, ProductModel
    from sanbao.catalog.selectors import unit_list
    from sanbao.catalog.services import ImportMode, unit_import

    today = today or timezone.localdate()
    result = DemoResult()
    with transaction.atomic():
        platform_spec = ORGANISATIONS[0]
        # Bootstrap: organisation_create needs an administrator, who needs this row.
        platform, created = Organisation.objects.get_or_create(
            code=platform_spec["code"], defaults=platform_spec
        )
        orgs = {platform.code: platform}
        if created:
            result.organisations_created.append(platform.code)
        admin_spec = next(u for u in USERS if u[0] in SUPERUSERS)
        admin = _ensure_user(result, orgs, admin_spec)

        for spec in ORGANISATIONS[1:]:
            org = Organisation.objects.filter(code=spec["code"]).first()
            if org is None:
                org = organisation_create(actor=admin, **spec)
                result.organisations_created.append(org.code)
            orgs[org.code] = org
        for spec in USERS:
            if spec is not admin_spec:
                _ensure_user(result, orgs, spec)

        categories = {}
        for spec in CATEGORIES:
            category, created = Category.objects.get_or_create(code=spec["code"], defaults=spec)
            categories[category.code] = category
            result.categories_created += created
        for spec in PRODUCT_MODELS:
            defaults = {**spec, "category": categories[spec["category"]]}
            _model_row, created = ProductModel.objects.get_or_create(
                code=spec["code"], defaults=defaults
            )
            result.models_created += created

        rows = demo_unit_rows(today)
        present = set(
            unit_list(actor=admin, serial="SB")
            .filter(serial__in=[r["serial"] for r in rows])
            .values_list("serial", flat=True)
        )
        missing = [r for r in rows if r["serial"] not in present]
        result.units_present = len(present)
        if missing:
            report = unit_import(
                actor=None,
                data=_units_csv(missing),
                filename="demo-units.csv",
                mode=ImportMode.ALL_OR_NOTHING,
            )
            if report.errors:  # pragma: no cover - the demo rows are valid by construction
                first = report.errors[0]
                raise RuntimeError(f"demo units rejected: row {first.row}: {first.message}")
            result.units_created = report.created
        _ensure_claims(result, today)
        _ensure_batches(result, today)
    return result


# --- Warranty claims ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitPick:
    """Which registered unit a demo claim is about: the first (by serial) that
    fits and has no demo claim yet. ``sold_days`` bounds the days since its sale."""

    category: str
    sold_days: tuple[int, int]
    region: str = "mainland"
    channel_org: str | None = None


@dataclass(frozen=True)
class DemoClaim:
    """One demo claim, taken in by ``taken_in_by`` and then moved through
    ``steps`` (names of ``_STEPS``) by the user handling it. The fault
    description is unique among the demo claims: it is what makes loading
    idempotent."""

    name: str
    taken_in_by: str
    unit: UnitPick
    fault_kind: str
    fault_description: str
    consumer: tuple[str, str] | None = None  # name, telephone as written down
    documents: str = "complete"  # complete, no_card, wrong_card, no_scans
    found: tuple[tuple[str, str], ...] = ()  # (rule, note) found on inspection
    steps: tuple[str, ...] = ()


DEMO_CLAIMS = [
    DemoClaim(
        name="repair_in_service",
        taken_in_by="outlet",
        consumer=("黄晓明 Huang Xiaoming", "139-2000-0001"),
        unit=UnitPick(category="power-bank", sold_days=(30, 200)),
        fault_kind="not_charging",
        fault_description="Stops charging a phone after a few minutes; the light keeps blinking.",
        steps=("start_judgement", "judge_repair", "start_service"),
    ),
    DemoClaim(
        name="replaced",
        taken_in_by="staff",
        consumer=("李娜 Li Na", "138 0013 8000"),
        unit=UnitPick(category="power-bank", sold_days=(20, 200)),
        fault_kind="battery",
        fault_description="The case has swollen and a full charge lasts less than an hour.",
        steps=("start_judgement", "judge_replacement", "start_service", "resolve_replaced"),
    ),
    DemoClaim(
        name="hong_kong",
        taken_in_by="staff",
        consumer=("陈美玲 Chan Mei-ling", "+852 9123 4567"),
        unit=UnitPick(category="power-bank", sold_days=(20, 300), region="hong_kong"),
        fault_kind="no_output",
        fault_description="No output on either USB port; bought in a shop in Mong Kok.",
        steps=("start_judgement", "judge_reject"),
    ),
    DemoClaim(
        name="no_warranty_card",
        taken_in_by="agent_sz",
        unit=UnitPick(category="adapter", sold_days=(20, 300), channel_org="AG-SZ01"),
        fault_kind="overheating",
        fault_description="Too hot to touch after ten minutes of charging a laptop; "
        "the shop customer lost the warranty card.",
        documents="no_card",
    ),
    DemoClaim(
        name="mismatched_card",
        taken_in_by="outlet",
        consumer=("王磊 Wang Lei", "137 1234 5678"),
        unit=UnitPick(category="headphones", sold_days=(20, 300)),
        fault_kind="no_sound",
        fault_description="The left earbud gives no sound at all.",
        documents="wrong_card",
    ),
    DemoClaim(
        name="past_warranty",
        taken_in_by="staff",
        consumer=("刘芳 Liu Fang", "136 5555 0101"),
        unit=UnitPick(category="power-bank", sold_days=(400, 540)),
        fault_kind="battery",
        fault_description="Holds only half of its charge since last month.",
    ),
    DemoClaim(
        name="liquid",
        taken_in_by="outlet",
        consumer=("赵强 Zhao Qiang", "135 0000 8888"),
        unit=UnitPick(category="headphones", sold_days=(20, 300)),
        fault_kind="connection",
        fault_description="The earbuds drop the Bluetooth connection every few seconds.",
        found=(("III.6", "Corrosion on the charging contacts; the liquid indicator is red."),),
        steps=("start_judgement",),
    ),
    DemoClaim(
        name="needs_judgement",
        taken_in_by="agent_cd",
        unit=UnitPick(category="data-cable", sold_days=(20, 150), channel_org="AG-CD01"),
        fault_kind="connector",
        fault_description="Charges only when the cable is bent at the USB-C plug.",
        documents="no_scans",
    ),
]
# The claim a newcomer can look up on the public status page (print_demo_logins).
STATUS_EXAMPLE = "replaced"


def _scan(name: str, title: str):
    """A small PNG standing for a scanned document."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 355, 195), outline="black", width=2)
    draw.text((20, 20), title, fill="black")
    draw.text((20, 60), "Sanbao demo data - not a real document", fill="gray")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _documents(spec: DemoClaim, unit) -> dict:
    """The proof of purchase and warranty card the claimant presents."""
    proof_no = f"INV-{unit.serial[-6:]}-{unit.sale_date:%Y%m%d}"
    cards = {"no_card": "", "wrong_card": "WC000000000"}
    card_no = cards.get(spec.documents, unit.warranty_card_no)
    with_scans = spec.documents != "no_scans"
    return {
        "proof_of_purchase_no": proof_no,
        "proof_of_purchase_scan": _scan("invoice.png", f"Invoice {proof_no}")
        if with_scans
        else None,
        "warranty_card_no": card_no,
        "warranty_card_scan": _scan("warranty-card.png", f"Warranty card {card_no}")
        if with_scans and card_no
        else None,
    }


def _pick_unit(admin, pick: UnitPick, today: dt.date, used: set[str]):
    from sanbao.catalog.selectors import unit_list

    low, high = pick.sold_days
    return (
        unit_list(
            actor=admin,
            category=pick.category,
            region=pick.region,
            channel_org=pick.channel_org,
            authorised=True,
            sold_from=today - dt.timedelta(days=high),
            sold_to=today - dt.timedelta(days=low),
        )
        .exclude(serial__in=used)
        .first()
    )


def _step_start_judgement(claim, actor):
    from sanbao.claims import services

    services.claim_start_judgement(claim=claim, actor=actor)


def _step_judge_repair(claim, actor):
    from sanbao.claims import services

    services.claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        remedy="repair",
        note="Charging circuit fault confirmed on the bench; the board will be repaired.",
    )


def _step_judge_replacement(claim, actor):
    from sanbao.claims import services

    services.claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=claim.model,
        repair_impossible=True,
        note="Swollen cell: a repair is not safe. Replaced by the same model.",
    )


def _step_judge_reject(claim, actor):
    from sanbao.claims import services

    services.claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        note="Sold in Hong Kong: outside the scope of this policy (I.1).",
    )


def _step_start_service(claim, actor):
    from sanbao.claims import services

    services.claim_start_service(claim=claim, actor=actor)


def _step_resolve_replaced(claim, actor):
    from sanbao.claims import services

    services.claim_resolve(
        claim=claim,
        actor=actor,
        outcome="replaced",
        replacement_serial=f"RPL-{claim.unit.serial}",
        retained_location="Shenzhen service centre, retained-parts shelf R-03",
        note="Replacement handed over at the counter.",
    )


_STEPS = {
    "start_judgement": _step_start_judgement,
    "judge_repair": _step_judge_repair,
    "judge_replacement": _step_judge_replacement,
    "judge_reject": _step_judge_reject,
    "start_service": _step_start_service,
    "resolve_replaced": _step_resolve_replaced,
}


def _handler(spec: DemoClaim, users: dict) -> object:
    """Who moves the claim on: the outlet judges what it took in, the after-sales
    staff everything else (agents' claims are handled by the platform)."""
    return users["outlet"] if spec.taken_in_by == "outlet" else users["staff"]


def _demo_claims(admin, specs=None) -> dict[str, object]:
    """The demo claims already in the database, by spec name."""
    from sanbao.claims.selectors import claim_list

    specs = specs or DEMO_CLAIMS
    by_text = {spec.fault_description: spec.name for spec in specs}
    found = claim_list(actor=admin).filter(fault_description__in=list(by_text))
    return {by_text[claim.fault_description]: claim for claim in found}


def _ensure_claims(result: DemoResult, today: dt.date) -> None:
    """Take in each demo claim that is missing and move it to its state, through
    the claims services as the demo user named in its spec."""
    from sanbao.accounts.models import User
    from sanbao.accounts.roles import can
    from sanbao.claims.policy import CHECKLIST_RULES
    from sanbao.claims.services import FindingIn, claim_create

    names = {spec.taken_in_by for spec in DEMO_CLAIMS} | {"admin", "staff", "outlet"}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    admin = users["admin"]
    present = _demo_claims(admin)
    used = {claim.unit.serial for claim in present.values() if claim.unit_id}
    for spec in DEMO_CLAIMS:
        if spec.name in present:
            continue
        unit = _pick_unit(admin, spec.unit, today, used)
        if unit is None:  # pragma: no cover - the demo units cover every pick
            result.claims_skipped.append(spec.name)
            continue
        used.add(unit.serial)
        found = dict(spec.found)
        taker = users[spec.taken_in_by]
        # Only the person judging records the checklist; an agent's claim waits for it.
        findings = (
            [
                FindingIn(rule=rule, found=rule in found, note=found.get(rule, ""))
                for rule in CHECKLIST_RULES
            ]
            if can(taker, "claims.judge")
            else None
        )
        name, phone = spec.consumer or ("", "")
        claim = claim_create(
            actor=taker,
            claimant_kind="consumer" if spec.consumer else "organisation",
            consumer_name=name,
            consumer_phone=phone,
            serial=unit.serial,
            delivered_on=unit.sale_date,
            fault_kind=spec.fault_kind,
            fault_description=spec.fault_description,
            findings=findings,
            **_documents(spec, unit),
        )
        handler = _handler(spec, users)
        for step in spec.steps:
            _STEPS[step](claim, handler)
        result.claims_created.append(claim.number)


@dataclass(frozen=True)
class StatusExample:
    number: str
    phone: str  # as the consumer wrote it down
    status: str


def status_example() -> StatusExample | None:
    """A consumer claim of the demo to try on the public status page, or None
    before ``load_demo`` has run."""
    from sanbao.accounts.models import User

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return None
    spec = next(s for s in DEMO_CLAIMS if s.name == STATUS_EXAMPLE)
    claim = _demo_claims(admin, [spec]).get(spec.name)
    if claim is None:
        return None
    return StatusExample(claim.number, spec.consumer[1], str(claim.get_status_display()))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str
    language: str
    present: bool


def logins() -> list[DemoLogin]:
    """The demo logins, in the order of ``USERS``, as they are in the database."""
    from sanbao.accounts.models import User
    from sanbao.accounts.roles import Role

    users = {
        u.username: u
        for u in User.objects.select_related("organisation").filter(
            username__in=[spec[0] for spec in USERS]
        )
    }
    names = {spec["code"]: spec["name_en"] for spec in ORGANISATIONS}
    out = []
    for username, role, org_code, *_names, language in USERS:
        user = users.get(username)
        if user is not None:
            role, language = user.role, user.language
            if user.organisation is not None:
                org_code = user.organisation.code
                names[org_code] = user.organisation.name_en
        out.append(
            DemoLogin(
                username=username,
                password=DEMO_PASSWORD,
                role=str(Role(role).label) if role in Role.values else role,
                organisation=names.get(org_code, org_code),
                language=language,
                present=user is not None,
            )
        )
    return out


# --- Return batches ------------------------------------------------------------------

# (marker, return unit's clerk, [(model, quantity, fault, box, accessories, bundled)],
#  freight, home delivery, how far it goes: draft / submitted / on_hold / received /
#  testing / ready / delayed / shipped)
DEMO_BATCHES = [
    (
        "demo-draft",
        "agent_sz",
        [
            ("PB10K", 4, "Does not charge", 1, ["data cable"], False),
            ("AD20C", 3, "No output", 2, [], True),
        ],
        "prepaid",
        True,
        "draft",
    ),
    (
        "demo-in-transit",
        "agent_cd",
        [
            ("PB20K", 5, "Battery swollen", 1, ["data cable"], False),
            ("CBCC60", 4, "Connector loose", 2, [], True),
        ],
        "prepaid",
        False,
        "submitted",
    ),
    (
        "demo-on-hold",
        "agent_sz",
        [("PB10K", 6, "No output on USB-C", 1, ["data cable"], False)],
        "prepaid",
        True,
        "on_hold",
    ),
    (
        "demo-received",
        "enterprise",
        [("HPT1", 3, "Left earbud silent", 1, [], False)],
        "prepaid",
        True,
        "received",
    ),
    (
        "demo-cash-on-delivery",
        "agent_cd",
        [("AD65G", 2, "Overheats", 1, [], True)],
        "cod",
        True,
        "draft",
    ),
    (
        "demo-testing",
        "agent_cd",
        [("PB20K", 3, "Stops charging after a minute", 1, ["data cable"], False)],
        "prepaid",
        True,
        "testing",
    ),
    (
        "demo-ready",
        "agent_sz",
        [("AD20C", 2, "No output", 1, [], True)],
        "prepaid",
        True,
        "ready",
    ),
    (
        "demo-delayed",
        "agent_sz",
        [("PB10K", 3, "Does not hold charge", 1, ["data cable"], False)],
        "prepaid",
        True,
        "delayed",
    ),
    (
        "demo-shipped",
        "enterprise",
        [("HPT1", 2, "Crackling sound", 1, [], False)],
        "prepaid",
        True,
        "shipped",
    ),
]

WORKSHOP_STAGES = ("testing", "ready", "delayed", "shipped")


def _ensure_batches(result: DemoResult, today: dt.date) -> None:
    """Return batches in each state, through the returns services, each marked by its
    note so that loading the demo again creates none twice."""
    from sanbao.accounts.models import User
    from sanbao.returns import policy as returns_policy
    from sanbao.returns import services as returns
    from sanbao.returns.models import ReturnBatch

    users = {
        u.username: u
        for u in User.objects.filter(username__in=["staff", "agent_sz", "agent_cd", "enterprise"])
    }
    staff = users["staff"]
    for marker, clerk, lines, freight, home, goes_to in DEMO_BATCHES:
        if ReturnBatch.objects.filter(note=marker).exists():
            continue
        line_ins = [
            returns.LineIn(
                model_code=m, quantity=q, fault=f, box_no=b, accessories=acc, bundled=bundled
            )
            for m, q, f, b, acc, bundled in lines
        ]
        batch = returns.batch_create(
            actor=users[clerk],
            lines=line_ins,
            packed_on=today - dt.timedelta(days=2),
            contact_person="Demo contact",
            contact_phone="075588881234",
            declared_units=sum(q for _m, q, *_rest in lines),
            declared_boxes=max(b for _m, _q, _f, b, *_rest in lines),
            carrier="SF Express",
            waybill_no=f"SF{zlib.crc32(marker.encode()):010d}",
            home_delivery=home,
            freight=freight,
            note=marker,
        )
        if goes_to != "draft":
            returns.batch_submit(batch=batch, actor=users[clerk])
        if goes_to in ("on_hold", "received", *WORKSHOP_STAGES):
            returns.receipt_open(batch=batch, actor=staff)
            for line in batch.lines.order_by("line_no"):
                # On hold: the last unit of the list never arrived.
                count = line.quantity - 1 if goes_to == "on_hold" else line.quantity
                for seq in range(1, count + 1):
                    returns.receipt_scan(
                        batch=batch,
                        actor=staff,
                        code=returns_policy.label_code(batch.number, line.line_no, seq),
                    )
            returns.receipt_close(batch=batch, actor=staff, received_boxes=batch.declared_boxes)
        if goes_to in WORKSHOP_STAGES:
            _workshop(batch, staff, goes_to)
        result.batches_created.append(batch.number)


def _workshop(batch, staff, goes_to: str) -> None:
    """Take a received demo batch through testing (IV.P2), delays (IV.6) and
    shipment (IV.7), through the services."""
    from sanbao.returns import selectors as returns_selectors
    from sanbao.returns import services as returns

    returns.testing_start(batch=batch, actor=staff)
    units = list(batch.units.order_by("seq"))
    if goes_to == "testing":
        returns.unit_test(unit=units[0], actor=staff, result="fault_confirmed")
        returns.unit_dispose(
            unit=units[0],
            actor=staff,
            disposition="repaired",
            parts_used=["Charge controller"],
            retained_location="Shelf B-3",
        )
        return
    if goes_to == "delayed":
        returns.unit_delay(
            unit=units[-1], actor=staff, reason="parts_shortage", note="Battery cells on order"
        )
        units = units[:-1]
    for unit in units:
        if goes_to == "shipped" and unit.seq == 1:
            returns.unit_test(
                unit=unit,
                actor=staff,
                result="no_fault_found",
                evidence="Plays normally on both channels after a full charge",
            )
            returns.unit_dispose(
                unit=unit,
                actor=staff,
                disposition="charged",
                charge_amount="15",
                charge_reason="Test fee: no fault found",
            )
        else:
            returns.unit_test(unit=unit, actor=staff, result="fault_confirmed")
            returns.unit_dispose(unit=unit, actor=staff, disposition="repaired")
    if goes_to in ("delayed", "shipped"):
        ready = returns_selectors.units_to_ship(actor=staff, return_org=batch.return_org.code)
        shipment = returns.shipment_create(
            actor=staff,
            return_org_code=batch.return_org.code,
            unit_ids=[u.pk for u in ready if u.batch_id == batch.pk],
            carrier="SF Express",
        )
        returns.shipment_dispatch(
            shipment=shipment,
            actor=staff,
            waybill_no=f"SF{zlib.crc32(shipment.number.encode()):010d}",
        )
