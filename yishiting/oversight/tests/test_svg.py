"""The hot-spot SVG: well-formed, drawn in the plan's own pixels, one link per point, density by count, and
whatever text it carries escaped."""

import xml.etree.ElementTree as ET

from yishiting.oversight.models import AreaPlan
from yishiting.oversight.selectors.hotspots import PlanLayer, PlanPoint
from yishiting.oversight.svg import hotspot_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def _layer() -> PlanLayer:
    plan = AreaPlan(pk=1, width=800, height=600, title="图")
    points = [PlanPoint(5, "2026-000005", "安全隐患", 10.0, 20.0), PlanPoint(6, "2026-000006", '<b>"x"</b>', 12.0, 22.0),
              PlanPoint(7, "2026-000007", "环境整治", 700.0, 500.0)]
    return PlanLayer(plan, points, [(0, 0, 2), (21, 18, 1)], 800 / 24, False)


def test_the_svg_parses_and_draws_each_point_as_a_link_over_the_plan():
    svg = hotspot_svg(_layer(), "/oversight/plans/1/image/", lambda pk: f"/demands/{pk}/", label="图 & 分布")
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 800 600" and root.get("aria-label") == "图 & 分布"
    assert root.find("svg:image", NS).get("href") == "/oversight/plans/1/image/"
    links = root.findall(".//svg:a", NS)
    assert [a.get("href") for a in links] == ["/demands/5/", "/demands/6/", "/demands/7/"]
    assert links[1].get("aria-label") == '2026-000006 <b>"x"</b>'  # escaped in the markup, read back as text
    assert "<b>" not in svg
    rects = root.findall(".//svg:rect", NS)
    assert [float(r.get("fill-opacity")) for r in rects] == [0.6, 0.375]  # the densest cell the reddest


def test_an_empty_layer_is_the_bare_plan():
    layer = _layer()
    layer.points, layer.cells = [], []
    root = ET.fromstring(hotspot_svg(layer, "/p.png", str, label="x"))
    assert root.findall(".//svg:a", NS) == [] and root.findall(".//svg:rect", NS) == []
