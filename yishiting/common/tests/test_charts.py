"""The SVG charts are well-formed XML that names itself for screen readers, writes every value it draws, and
escapes whatever text it is given."""

from __future__ import annotations

from xml.etree import ElementTree

from yishiting.common.charts import Series, bar_chart, funnel_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _texts(root: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_a_line_chart_draws_each_series_with_its_label_and_last_value():
    svg = line_chart(["26-01", "26-02", "26-03"], [Series("响应率", [90.0, None, 97.5]), Series("满意率", [80, 85, 88])],
                     title="三率月度趋势", described_by="trend-table")
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "三率月度趋势"
    assert root.get("aria-describedby") == "trend-table" and root.find(f"{SVG}title") is None
    texts = _texts(root)
    assert {"响应率", "满意率", "97.5%", "88%", "26-01", "26-03"} <= set(texts)
    assert len(root.findall(f"{SVG}polyline")) == 1  # 响应率 has a gap in February: no line through it
    assert root.get("viewBox").startswith("0 0 360 ")  # scales to its box: 360 px or A4


def test_end_labels_of_lines_ending_close_do_not_overprint():
    svg = line_chart(["26-10", "26-11", "26-12"], [Series("响应率", [90, 95, 100]), Series("满意率", [97, 96, 98]),
                                                   Series("按期办结率", [80, 90, 99])], title="三率月度趋势")
    ends = {t.text: float(t.get("y")) for t in _parse(svg).iter(f"{SVG}text") if t.get("font-weight") == "bold"}
    assert set(ends) == {"100%", "98%", "99%"}
    baselines = sorted(ends.values())
    assert all(lower - upper >= 13 for upper, lower in zip(baselines, baselines[1:], strict=False))  # 13-unit text


def test_a_bar_chart_writes_each_value_and_a_dash_for_none():
    root = _parse(bar_chart([("幸福苑社区", 97.5), ("和平里社区", None)], title="按期办结率", unit="%", high=100))
    texts = _texts(root)
    assert texts == ["幸福苑社区", "97.5%", "和平里社区", "—"]
    widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect")[1:]]
    assert widths[0] > 250 and widths[1] == 1


def test_a_funnel_shows_counts_and_shares_of_the_first_stage():
    texts = _texts(_parse(funnel_chart([("收集", 200), ("转为议题", 50), ("办结", 0)], title="办理漏斗")))
    assert "200 (100%)" in texts and "50 (25%)" in texts and "0 (0%)" in texts


def test_text_is_escaped_so_a_name_cannot_break_the_svg():
    root = _parse(bar_chart([("<script>&\"'", 3)], title="a<b&c"))
    assert root.get("aria-label") == "a<b&c" and _texts(root)[0] == "<script>&\"'"
    assert root.find(f"{SVG}script") is None


def test_an_empty_funnel_has_no_shares():
    assert "0 (—)" in _texts(_parse(funnel_chart([("收集", 0), ("转为议题", 0)], title="办理漏斗")))
