"""Test helpers: plan images and a plan of 幸福苑小区 (G1) whose pixels map to degrees in round numbers:
lng = 120.1 + x / 100000, lat = 30.26 − y / 100000 (800 × 600 px)."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image, ImageDraw

POINTS = [{"x": 0, "y": 0, "lat": 30.26, "lng": 120.1}, {"x": 800, "y": 0, "lat": 30.26, "lng": 120.108},
          {"x": 0, "y": 600, "lat": 30.254, "lng": 120.1}]


def image_bytes(width: int = 800, height: int = 600, fmt: str = "PNG") -> bytes:
    """A drawn estate: paths and six buildings, so a screenshot reads like a plan."""
    image = Image.new("RGB", (width, height), "#e5efe0")
    draw = ImageDraw.Draw(image)
    sx, sy = width / 800, height / 600
    draw.rectangle((0, 280 * sy, width, 320 * sy), fill="#f4f1ea")
    draw.rectangle((380 * sx, 0, 420 * sx, height), fill="#f4f1ea")
    for x, y in [(60, 60), (200, 60), (500, 60), (640, 60), (60, 380), (500, 380)]:
        draw.rectangle((x * sx, y * sy, (x + 110) * sx, (y + 170) * sy), fill="#cbd5e1", outline="#64748b", width=3)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def make_plan(world, area: str = "G1", points: list[dict] | None = None):
    from yishiting.oversight.services.hotspots import plan_save

    return plan_save(actor=world.users["community_staff"], area=world.areas[area], title="幸福苑小区平面图",
                     reference_points=points or POINTS, image=image_bytes())


def at_pixel(x: float, y: float) -> dict:
    """The latitude/longitude of a pixel of the plan above, as a demand stores them."""
    return {"latitude": Decimal(str(round(30.26 - y / 100000, 6))),
            "longitude": Decimal(str(round(120.1 + x / 100000, 6)))}
