"""The persona estate's plan (小区平面图) in the demo: drawn here with Pillow (no internet, no map tiles), with
three reference points tying its pixels to latitude/longitude, and the place on it of every demand filed in
the estate — so /oversight/hotspots/ shows the demands as points and as a density layer.

The drawing follows the estate as built: a ring road inside the wall, gates on the south, north and east, the
central garden, and the estate's own buildings four to a block (their names as in the area tree). A place is
read from the demand: its building (a unit's or household's building), else a facility the text names (南门,
垃圾分类投放点, 停车 …), else the central garden; a small offset drawn from the text (not from the story's random
stream) keeps repeated reports of one place apart. Same estate, same drawing, same points.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from yishiting.areas.models import Area

WIDTH, HEIGHT = 1200, 800
# 0.5 m per pixel at about 46.6° N (a city of the north-east, like the seed's 双鸭山): degrees per pixel.
LAT0, LNG0 = Decimal("46.646000"), Decimal("131.152000")
DLAT, DLNG = Decimal("0.0000045"), Decimal("0.0000065")
LAWN, ROAD, WALL, GARDEN = "#e2ecd6", "#f6f2e8", "#7c8594", "#b5d69f"
BUILDING, BUILDING_EDGE, FACILITY = "#cfd8e3", "#5b6b80", "#f3dcb2"
FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"]
QUADRANTS = [(100, 130), (640, 130), (100, 520), (640, 520)]  # top-left corner of each block's first building
FACILITIES = {  # name on the plan → its box; the words of a demand that put it there
    "南门": ((560, 760, 640, 800), ("南门",)),
    "北门": ((560, 30, 640, 70), ("北门",)),
    "东门": ((1160, 375, 1200, 455), ("东门", "窨井")),
    "中心花园": ((505, 345, 695, 485), ("中心花园", "广场", "健身", "路灯")),
    "垃圾分类投放点": ((110, 315, 250, 370), ("垃圾",)),
    "西侧充电棚": ((380, 315, 520, 370), ("非机动车", "车棚")),
    "东侧充电棚": ((950, 315, 1110, 370), ("充电",)),
    "停车场": ((100, 445, 480, 500), ("停车", "消防通道", "车位")),
}


def _font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None  # no CJK font on this machine: the plan is drawn without its words


def _text(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, size: int = 20) -> None:
    font = _font(size)
    if font is None:
        return
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (box[0] + box[2] - (right - left)) / 2 - left
    y = (box[1] + box[3] - (bottom - top)) / 2 - top
    draw.text((x, y), text, fill="#243040", font=font)


class EstatePlan:
    """The drawing of one estate and where its demands are on it."""

    def __init__(self, estate: Area) -> None:
        self.estate = estate
        self.buildings = list(Area.objects.filter(parent=estate).order_by("path"))
        self.boxes = {b.pk: self._building_box(n, len(self.buildings)) for n, b in enumerate(self.buildings)}
        self._seen: dict[str, int] = {}

    @staticmethod
    def _building_box(n: int, count: int) -> tuple[int, int, int, int]:
        """Numbered in reading order: the first half in the north row (west block, then east), the rest in the
        south row; up to four in a row per block (the demo's estates have 6–14 buildings)."""
        north = (count + 1) // 2
        row, i = (0, n) if n < north else (1, n - north)
        west = ((north if row == 0 else count - north) + 1) // 2
        block, place = (2 * row, i) if i < west else (2 * row + 1, i - west)
        left, top = QUADRANTS[block]
        x = left + place * 120
        return x, top, x + 90, top + 170

    def title(self) -> str:
        return f"{self.estate.name}平面图"

    def reference_points(self) -> list[dict]:
        """Three corners of the drawing: an affine map (plan_save checks them)."""
        return [self._point(0, 0), self._point(WIDTH, 0), self._point(0, HEIGHT)]

    def _point(self, x: float, y: float) -> dict:
        lat, lng = self.latlng(x, y)
        return {"x": x, "y": y, "lat": float(lat), "lng": float(lng)}

    @staticmethod
    def latlng(x: float, y: float) -> tuple[Decimal, Decimal]:
        six = Decimal("0.000001")
        return ((LAT0 - Decimal(str(y)) * DLAT).quantize(six), (LNG0 + Decimal(str(x)) * DLNG).quantize(six))

    def image(self) -> bytes:
        image = Image.new("RGB", (WIDTH, HEIGHT), LAWN)
        draw = ImageDraw.Draw(image)
        draw.rectangle((20, 50, 1180, 780), outline=WALL, width=4)
        draw.rectangle((40, 70, 1160, 760), fill=ROAD)
        draw.rectangle((80, 110, 1120, 720), fill=LAWN)
        draw.rectangle((580, 30, 620, 800), fill=ROAD)  # the north–south road between the gates
        draw.rectangle((80, 395, 1200, 435), fill=ROAD)  # the east–west road to the east gate
        draw.ellipse(FACILITIES["中心花园"][0], fill=GARDEN, outline="#7aa364", width=2)
        for name, (box, _words) in FACILITIES.items():
            if name.endswith("门"):
                _text(draw, box, name, 18)
            elif name != "中心花园":
                draw.rectangle(box, fill=FACILITY, outline="#b08a4a", width=2)
                _text(draw, box, name, 18)
        _text(draw, FACILITIES["中心花园"][0], "中心花园", 20)
        for building in self.buildings:
            box = self.boxes[building.pk]
            draw.rectangle(box, fill=BUILDING, outline=BUILDING_EDGE, width=3)
            _text(draw, box, building.name, 20)
        _text(draw, (20, 4, 600, 46), self.title(), 24)
        _text(draw, (1080, 4, 1180, 46), "北 ↑", 22)
        draw.line((60, 745, 160, 745), fill="#243040", width=3)  # 100 px = 50 m
        _text(draw, (60, 718, 160, 742), "50 米", 14)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()

    def locate(self, area: Area, text: str) -> tuple[Decimal, Decimal] | None:
        """Where a demand filed at `area` with `text` is on the plan, or None outside the estate."""
        if not area.path.startswith(self.estate.path):
            return None
        building = next((b for b in self.buildings if area.path.startswith(b.path)), None)
        if building is not None:
            box = self.boxes[building.pk]
        else:
            box = next((box for box, words in FACILITIES.values() if any(w in text for w in words)),
                       FACILITIES["中心花园"][0])
        key = f"{area.path}:{text}"
        self._seen[key] = self._seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}:{self._seen[key]}".encode()).digest()
        x = box[0] + 10 + digest[0] * (box[2] - box[0] - 20) / 255
        y = box[1] + 10 + digest[1] * (box[3] - box[1] - 20) / 255
        return self.latlng(round(x, 1), round(y, 1))
