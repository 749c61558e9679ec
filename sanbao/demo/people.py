"""The demo's people: the brand's after-sales centre and its partners, one login
per role, and the logins as ``print_demo_logins`` lists them.

The platform organisation is written directly (``organisation_create`` needs an
administrator, who needs this row); everyone else goes through the accounts
services."""

from __future__ import annotations

from dataclasses import dataclass

from sanbao.accounts.models import Organisation, User
from sanbao.accounts.roles import Role
from sanbao.accounts.services import organisation_create, user_create
from sanbao.demo.result import DemoResult

DEMO_PASSWORD = "sanbao-demo-2026"
DEMO_URL = "http://127.0.0.1:8000"

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
        "opening_hours_en": "Mon–Fri 09:00–18:00 (parcels received Mon–Sat)",
        "opening_hours_zh": "周一至周五 9:00–18:00（周一至周六收件）",
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
        # Issue 16 item 3: shown to consumers choosing where to bring a unit.
        "opening_hours_en": "Mon–Sat 10:00–19:00; closed on public holidays",
        "opening_hours_zh": "周一至周六 10:00–19:00；法定节假日休息",
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


def ensure_user(result: DemoResult, orgs: dict, spec: tuple):
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


def ensure_people(result: DemoResult) -> tuple[User, dict[str, Organisation]]:
    """The demo organisations and users that are missing; the administrator and
    every demo organisation by code."""
    platform_spec = ORGANISATIONS[0]
    # Bootstrap: organisation_create needs an administrator, who needs this row.
    platform, created = Organisation.objects.get_or_create(
        code=platform_spec["code"], defaults=platform_spec
    )
    orgs = {platform.code: platform}
    if created:
        result.organisations_created.append(platform.code)
    admin_spec = next(u for u in USERS if u[0] in SUPERUSERS)
    admin = ensure_user(result, orgs, admin_spec)

    for spec in ORGANISATIONS[1:]:
        org = Organisation.objects.filter(code=spec["code"]).first()
        if org is None:
            org = organisation_create(actor=admin, **spec)
            result.organisations_created.append(org.code)
        orgs[org.code] = org
    for spec in ORGANISATIONS:
        if spec.get("opening_hours_en"):
            # A demo loaded before the opening hours existed gets them.
            Organisation.objects.filter(code=spec["code"], opening_hours_en="").update(
                opening_hours_en=spec["opening_hours_en"], opening_hours_zh=spec["opening_hours_zh"]
            )
    for spec in USERS:
        if spec is not admin_spec:
            ensure_user(result, orgs, spec)
    return admin, orgs


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
