"""The SVG charts: scaled by their box, described for screen readers, every bar and
point titled with its value, text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sanbao.insights import svg

NS = "{http://www.w3.org/2000/svg}"


def _parse(chart) -> ET.Element:
    return ET.fromstring(str(chart))


def test_a_bar_chart_scales_to_its_box_and_titles_every_bar():
    chart = svg.bar_chart(
        "Declared & received",
        ["AG-A", "AG-B <x>"],
        [svg.Series("Declared", [15, 4]), svg.Series("Received", [14, 6])],
    )
    root = _parse(chart)
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith(f"0 0 {svg.WIDTH} ")
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Declared & received"
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert [b.find(f"{NS}title").text for b in bars] == [
        "AG-A · Declared: 15",
        "AG-A · Received: 14",
        "AG-B <x> · Declared: 4",
        "AG-B <x> · Received: 6",
    ]
    widths = [float(b.get("width")) for b in bars]
    assert max(widths) == widths[0] == svg.WIDTH - svg.LABEL_W - svg.VALUE_W
    assert round(widths[2], 1) == round(widths[0] * 4 / 15, 1)


def test_a_line_chart_places_each_point_on_its_scale():
    chart = svg.line_chart(
        "On time", ["06-01", "06-08"], [svg.Series("On time", [50, 100])], unit="%", top=100
    )
    root = _parse(chart)
    points = list(root.iter(f"{NS}circle"))
    assert [p.find(f"{NS}title").text for p in points] == [
        "06-01 · On time: 50%",
        "06-08 · On time: 100%",
    ]
    y50, y100 = (float(p.get("cy")) for p in points)
    assert y100 < y50  # higher is better, drawn higher
    assert root.find(f"{NS}polyline") is not None


def test_a_long_label_is_cut_with_its_whole_text_in_its_title():
    label = "III.6 Handling, crushing, dropping, moisture, liquid or foreign matter"
    root = _parse(svg.bar_chart("Reasons", [label], [svg.Series("Found", [3])]))
    text = next(t for t in root.iter(f"{NS}text") if t.find(f"{NS}title") is not None)
    assert text.text.endswith("…") and len(text.text) < len(label)
    assert text.find(f"{NS}title").text == label


def test_each_chart_has_its_own_ids():
    first = str(svg.bar_chart("A", ["x"], [svg.Series("n", [1])]))
    second = str(svg.bar_chart("B", ["x"], [svg.Series("n", [1])]))
    ids = lambda s: set(re.findall(r'id="([^"]+)"', s))  # noqa: E731
    assert not ids(first) & ids(second)


@pytest.mark.parametrize(
    ("value", "top"), [(33.33, 40), (6, 8), (100, 100), (0.7, 0.8), (3, 4), (0, 1), (13, 20)]
)
def test_the_line_charts_axis_ends_at_a_round_number(value, top):
    assert svg.nice_top(value) == pytest.approx(top)


def test_a_line_chart_of_one_series_names_it_when_asked():
    lone = [svg.Series("PX", [2, 6])]
    assert ">PX</text>" not in str(svg.line_chart("Rate", ["06", "07"], lone))
    assert ">PX</text>" in str(svg.line_chart("Rate", ["06", "07"], lone, legend=True))
