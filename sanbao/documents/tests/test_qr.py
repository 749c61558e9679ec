"""The labels' QR codes: the very symbol ReportLab's own encoder makes, made faster."""

from __future__ import annotations

import random
import string

import pytest
from reportlab.graphics.barcode.qr import QrCode

from sanbao.documents.qr import qr_rows


def reportlab_rows(value: str, level: str) -> list[str]:
    qr = QrCode(value, qrLevel=level).qr
    qr.make()
    return ["".join("1" if m else "0" for m in row) for row in qr.modules]


def values() -> list[str]:
    rng = random.Random(14)
    labels = [
        f"R{rng.randint(2024, 2030)}-{rng.randint(0, 999999):06d}-"
        f"{rng.randint(1, 999):03d}-{rng.randint(1, 99)}"
        for _ in range(40)
    ]
    alphabet = string.ascii_letters + string.digits + " -/.:充电宝无输出"
    texts = ["".join(rng.choice(alphabet) for _ in range(n)) for n in (1, 7, 30, 90, 150, 260)]
    return [*labels, *texts, "0123456789" * 5]  # numbers, alphanumeric, bytes; versions 1-12


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_the_symbol_is_reportlabs_own_module_for_module(level):
    for value in values():
        assert qr_rows(value, level) == reportlab_rows(value, level), value


def test_a_long_value_gets_a_version_with_its_version_information():
    rows = qr_rows("x" * 200, "M")
    assert len(rows) >= 45  # version 7 and above carry version information
    assert rows == reportlab_rows("x" * 200, "M")
