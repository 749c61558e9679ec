"""The shared PDF machinery: the embedded CJK font, text in both languages, the
page template, and documents that stay small."""

from __future__ import annotations

import io
import re
import threading

import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from sanbao.documents import pdf

CHINESE = "保修卡与购买凭证须同时出示，缺一不可。"
TITLE = _("Sanbao after-sales")  # translated in the committed catalogue


def squash(text: str) -> str:
    """Text without any whitespace: a line break where a line wraps is not content."""
    return re.sub(r"\s+", "", text)


def extract(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(data: bytes) -> list[dict]:
    """Every font dictionary the pages use."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


def one_page(text: str = CHINESE) -> bytes:
    return pdf.build_pdf(
        [pdf.section(TITLE), pdf.para(pdf.esc(text))], title=TITLE, reference="DOC-1"
    )


def test_the_fonts_are_registered_once_however_many_threads_ask(monkeypatch):
    built = []
    real = pdf.TTFont

    def counting(*args, **kwargs):
        built.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "TTFont", counting)
    monkeypatch.setattr(pdf, "_fonts_registered", False)
    threads = [threading.Thread(target=pdf.register_fonts) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pdf.register_fonts()
    assert sorted(built) == sorted([pdf.FONT, pdf.FONT_BOLD])
    assert pdfmetrics.getFont(pdf.FONT).face.name == b"NotoSansSC-Regular"
    assert pdfmetrics.getFont(pdf.FONT_BOLD).face.name == b"NotoSansSC-Bold"


def test_chinese_text_in_a_pdf_is_given_back_by_a_text_extractor():
    assert CHINESE in squash(extract(one_page()))


def test_the_cjk_font_is_embedded_as_a_subset_and_no_other_font_is_referenced():
    fonts = fonts_of(one_page())
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        # A subset's name carries a six-letter tag: "AAAAAA+NotoSansSC-Regular".
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansSC-(Regular|Bold)", font["/BaseFont"])
        assert "/ToUnicode" in font  # what lets a reader copy and search the text


def test_a_one_page_document_stays_far_below_a_megabyte():
    data = one_page(CHINESE * 20 + " English text as well, 0123456789.")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert len(data) < 200_000


def test_the_header_gives_the_title_in_chinese_and_english_on_every_page():
    story = [pdf.para(pdf.esc(CHINESE)) for _ in range(120)]
    data = pdf.build_pdf(story, title=TITLE, reference="DOC-7")
    zh, en = pdf.in_both(TITLE)
    assert zh != en
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    for page in reader.pages:
        text = squash(page.extract_text())
        assert squash(zh) in text and squash(en) in text and "DOC-7" in text


def test_the_footer_numbers_each_page_out_of_the_total_and_names_the_policy_version():
    story = [pdf.para(pdf.esc(CHINESE)) for _ in range(120)]
    data = pdf.build_pdf(story, title=TITLE, policy_version="2019.3")
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        text = squash(page.extract_text())
        with translation.override("en"):
            expected = str(pdf.PAGE_OF) % {"page": number, "pages": total}
        assert squash(expected) in text
        assert "2019.3" in text


def test_a_label_reads_chinese_then_english_and_an_untranslated_one_appears_once():
    zh, en = pdf.in_both(TITLE)
    assert pdf.bilingual(TITLE) == f"{zh} {en}"
    untranslated = _("zz no translation for this label")
    assert pdf.bilingual(untranslated) == "zz no translation for this label"


def test_rendering_both_languages_leaves_the_active_language_alone():
    with translation.override("zh-hans"):
        pdf.bilingual(TITLE)
        assert translation.get_language() == "zh-hans"


def test_a_long_chinese_reason_wraps_inside_its_table_cell():
    long_reason = CHINESE * 12
    table = pdf.data_table([TITLE, TITLE], [["III.6", long_reason]], [0.2, 0.8])
    width, height = table.wrap(pdf.CONTENT_WIDTH, 500 * mm)
    assert width <= pdf.CONTENT_WIDTH + 0.01
    assert height > 4 * pdf.style("cell").leading  # several lines, not one long one


def test_a_heading_or_a_cell_may_be_flowables_one_under_another():
    lines = [pdf.para("上一行"), pdf.para("Next line")]
    table = pdf.data_table([lines, TITLE], [[[pdf.para("甲"), pdf.para("A")], "B"]], [0.5, 0.5])
    data = pdf.build_pdf([table], title=TITLE)
    text = squash(extract(data))
    assert "上一行Nextline" in text and "甲A" in text and "[" not in text


def test_user_text_cannot_inject_paragraph_markup():
    data = one_page("<b>粗体</b> & <font size=40>x</font>")
    assert "<b>粗体</b>&<fontsize=40>x</font>" in squash(extract(data))


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "+86*******8000"),
        ("7654321", "76***21"),
        ("12345", "12***"),
        ("", ""),
    ],
)
def test_a_printed_phone_number_hides_its_middle(phone, masked):
    assert pdf.mask_phone(phone) == masked


def test_a_code128_barcode_is_as_wide_as_its_value_needs():
    short, long = pdf.barcode("C1"), pdf.barcode("C2605-ABCDEF")
    assert 0 < short.width < long.width < pdf.CONTENT_WIDTH / 2
