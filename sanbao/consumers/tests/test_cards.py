"""The signed card URL (consumers.cards): what it holds, and that only the key makes it."""

from __future__ import annotations

import pytest
from django.test import override_settings

from sanbao.consumers import cards
from sanbao.consumers.cards import card_signature, card_url, masked_card_no, signature_valid


class _Unit:
    def __init__(self, serial):
        self.serial = serial


def test_the_signature_round_trips():
    signature = card_signature("SBA000001")
    assert signature_valid("SBA000001", signature)


def test_the_signature_is_at_least_64_bits_of_url_safe_text():
    signature = card_signature("SBA000001")
    assert len(signature) * 6 >= 64
    assert set(signature) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "x",
        "AAAAAAAAAAAAAA",
        "__truncated__",
        "other-serial",
    ],
)
def test_a_signature_that_is_not_the_serials_is_refused(signature):
    if signature == "__truncated__":
        signature = card_signature("SBA000001")[:-1]
    if signature == "other-serial":
        signature = card_signature("SBA000002")
    assert not signature_valid("SBA000001", signature)


def test_a_tampered_character_is_refused():
    signature = card_signature("SBA000001")
    tampered = ("B" if signature[0] != "B" else "C") + signature[1:]
    assert not signature_valid("SBA000001", tampered)


def test_another_key_makes_another_signature():
    before = card_signature("SBA000001")
    with override_settings(SANBAO_CARD_SIGNING_KEY="a-dedicated-key-for-the-cards"):
        assert card_signature("SBA000001") != before
        assert not signature_valid("SBA000001", before)


def test_the_signature_has_its_own_salt():
    # Another salted_hmac of the same serial under the same key (any other
    # signed value of the project) is not a card signature.
    from django.utils.crypto import salted_hmac

    assert cards.SALT == "sanbao.consumers.cards.warranty-card"
    other = salted_hmac("sanbao", "SBA000001", algorithm="sha256").digest()
    import base64

    as_token = base64.urlsafe_b64encode(other[: cards.SIGNATURE_BYTES]).decode().rstrip("=")
    assert not signature_valid("SBA000001", as_token)


@override_settings(SANBAO_PUBLIC_BASE_URL="https://service.sanbao.example/")
def test_the_card_url_is_absolute_on_the_public_base_url():
    url = card_url(_Unit("SBA000001"))
    assert url == f"https://service.sanbao.example/w/SBA000001/{card_signature('SBA000001')}/"


@override_settings(SANBAO_PUBLIC_BASE_URL="https://service.sanbao.example")
def test_a_serial_with_a_slash_keeps_it_in_the_url():
    url = card_url(_Unit("SB/2025/0001"))
    assert url.startswith("https://service.sanbao.example/w/SB/2025/0001/")


def test_the_card_number_is_masked_but_for_its_end():
    assert masked_card_no("WC123456789") == "•••••••6789"
    assert masked_card_no("WC12") == "•••2"
    assert masked_card_no("") == ""
