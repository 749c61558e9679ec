"""The demo catalog: four categories with their policy numbers, twenty product
models, and 2,000 units sold through the demo agents and enterprise.

Categories and models are written directly (the catalog has no create service
yet); the units go through ``unit_import``, the same bulk path as a real file."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sanbao.catalog.importing import rows_csv
from sanbao.catalog.models import Category, ProductModel
from sanbao.catalog.selectors import unit_list
from sanbao.catalog.services import ImportMode, unit_import
from sanbao.demo.result import DemoResult

UNIT_COUNT = 2_000
SALES_SPAN_DAYS = 548  # about 18 months back from today
SEED = 2026

# Return window ≤ exchange window is a database constraint (I.2).
RETURN_WINDOW_DAYS, EXCHANGE_WINDOW_DAYS = 7, 15


def _category(
    code, name_en, name_zh, months, repairs, repair_days, new_warranty, accessories, bundled
):
    """A category with its policy numbers: ``repairs`` of the same fault and
    ``repair_days`` in repair before a replacement (II.3), whether a replacement
    starts a new warranty, the accessories that must travel with a unit (IV.P1)
    and bundling (IV.P4)."""
    return {
        "code": code,
        "name_en": name_en,
        "name_zh": name_zh,
        "warranty_months": months,
        "return_window_days": RETURN_WINDOW_DAYS,
        "exchange_window_days": EXCHANGE_WINDOW_DAYS,
        "repair_attempts_limit": repairs,
        "repair_days_limit": repair_days,
        "new_warranty_on_replacement": new_warranty,
        "required_accessories": accessories,
        "must_be_bundled": bundled,
    }


# Issue 16 item 3: how a consumer packs a unit of each category to post it to the
# after-sales centre (English, Chinese). Power banks and headphones hold lithium
# batteries: couriers carry them by ground only, under their battery rules.
PACKING = {
    "power-bank": (
        "Lithium battery: send by ground (road) only and tell the courier it holds a "
        "lithium battery; never by air. Do not send a swollen, leaking or hot power bank: "
        "bring it to an outlet instead. Cover the ports with tape, wrap the unit in bubble "
        "wrap, pack it with its data cable in a sturdy carton with no loose metal objects.",
        "锂电池：只能陆运，并告知快递员内含锂电池，不可空运。鼓包、漏液或发烫的移动电源请勿邮寄，"
        "请送至服务网点。用胶带封住接口，用气泡膜包好，连同数据线装入结实的纸箱，箱内不要放散装金属物品。",
    ),
    "adapter": (
        "Unplug it and let it cool. Wrap the adapter and its cable separately in bubble "
        "wrap, bundle the cable with a tie, and pack them in a sturdy carton.",
        "拔下插头并待其冷却。将适配器和线缆分别用气泡膜包好，线缆用扎带捆好，装入结实的纸箱。",
    ),
    "data-cable": (
        "Coil the cable loosely (no sharp bends), bundle it with a tie and send it in a "
        "padded envelope or a small box.",
        "将数据线松松地盘好（不要折弯），用扎带捆好，装入气泡信封或小盒寄出。",
    ),
    "headphones": (
        "Contains a lithium battery: send by ground only. Put the earbuds in their "
        "charging case, wrap the case in bubble wrap and pack it in a small sturdy box.",
        "内含锂电池：只能陆运。将耳机放入充电盒，用气泡膜包好后装入结实的小盒。",
    ),
}

CATEGORIES = [
    _category("power-bank", "Power banks", "移动电源", 12, 2, 30, True, ["data cable"], False),
    _category("adapter", "Chargers and adapters", "充电器/适配器", 12, 2, 30, True, [], True),
    _category("data-cable", "Data cables", "数据线", 6, 1, 15, False, [], True),
    _category("headphones", "Headphones", "耳机", 12, 2, 30, True, [], False),
]
for _spec in CATEGORIES:
    _spec["packing_en"], _spec["packing_zh"] = PACKING[_spec["code"]]


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
# Units of a model are made in lots of this many, in serial order (issue 16: the
# warranty cards print a lot at a time). Counted from the serial, not drawn, so the
# other demo values stay as they were.
LOT_SIZE = 40


def demo_lot(model_code: str, number: int) -> str:
    """The production lot of a model's ``number``-th demo unit: L + model code + lot."""
    return f"L{model_code}-{(number - 1) // LOT_SIZE + 1:03d}"


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
                "production_lot": demo_lot(code, numbers[code]),
            }
        )
    return rows


def ensure_catalog(result: DemoResult, admin, today: dt.date) -> None:
    """The demo categories, models and units that are missing."""
    categories = {}
    for spec in CATEGORIES:
        category, created = Category.objects.get_or_create(code=spec["code"], defaults=spec)
        if not created and not (category.packing_en or category.packing_zh):
            # A demo loaded before the packing instructions existed gets them.
            Category.objects.filter(pk=category.pk).update(
                packing_en=spec["packing_en"], packing_zh=spec["packing_zh"]
            )
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
            data=rows_csv(missing),
            filename="demo-units.csv",
            mode=ImportMode.ALL_OR_NOTHING,
        )
        if report.errors:  # pragma: no cover - the demo rows are valid by construction
            first = report.errors[0]
            raise RuntimeError(f"demo units rejected: row {first.row}: {first.message}")
        result.units_created = report.created
