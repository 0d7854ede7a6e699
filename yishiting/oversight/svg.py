"""The hot-spot drawing: server-rendered SVG over the plan image — a density grid (the redder, the more demands
in that cell) and one point per demand, each a link to the demand. Nothing is fetched from the internet; the
plan image comes from this site, and the page lists the same figures as a table for screen readers."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .selectors.hotspots import PlanLayer

POINT_COLOUR = "#1d4ed8"
HEAT_COLOUR = "#dc2626"
MAX_OPACITY = 0.6


def _density(layer: PlanLayer) -> str:
    if not layer.cells:
        return ""
    top = max(n for _, _, n in layer.cells)
    size = layer.cell_size
    rects = [format_html('<rect x="{}" y="{}" width="{}" height="{}" fill-opacity="{}" aria-label="{}"/>',
                         round(c * size, 1), round(r * size, 1), round(size, 1), round(size, 1),
                         round(0.15 + (MAX_OPACITY - 0.15) * n / top, 3),
                         gettext("此处 %(count)s 件") % {"count": n})
             for c, r, n in layer.cells]
    return f'<g class="hotspot-density" fill="{HEAT_COLOUR}">{"".join(rects)}</g>'


def _points(layer: PlanLayer, href: Callable[[int], str]) -> str:
    radius = max(6, round(max(layer.plan.width, layer.plan.height) / 70))  # about 5 px on a phone
    # aria-label, not <title>: the page has one <title>, and a screen reader reads the label of the link.
    marks = [format_html('<a href="{}" class="hotspot-point" aria-label="{} {}"><circle cx="{}" cy="{}" r="{}"/>'
                         '</a>', href(p.demand_id), p.number, p.category, p.x, p.y, radius)
             for p in layer.points]
    return (f'<g class="hotspot-points" fill="{POINT_COLOUR}" fill-opacity="0.85" stroke="#fff" '
            f'stroke-width="{max(1, radius // 3)}">{"".join(marks)}</g>')


def hotspot_svg(layer: PlanLayer, image_url: str, href: Callable[[int], str], *, label: str) -> SafeString:
    """The plan with its layers, scaled to the width of the screen (viewBox in the plan's own pixels)."""
    plan = layer.plan
    head = format_html('<svg class="hotspot-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                       'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
                       '<image href="{url}" x="0" y="0" width="{w}" height="{h}"/>',
                       w=plan.width, h=plan.height, label=label, url=image_url)
    return mark_safe(head + _density(layer) + _points(layer, href) + "</svg>")  # noqa: S308 - parts escaped above


