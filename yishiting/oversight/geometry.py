"""Plan pixels ↔ latitude/longitude, from two or three reference points.

- Three points fix an affine map (it absorbs a plan drawn skewed or stretched, and the fact that a degree of
  longitude is shorter than a degree of latitude).
- Two points fix a similarity (move, turn, one scale) in a local metric frame: east metres scaled by cos(lat),
  north metres, image y pointing down — enough for a plan drawn to scale, and easier to set.

Both end as one affine map pixel → (lng, lat) held as six numbers, which the demand form's script applies to a
tap; the inverse draws a demand's point on the plan. A plan's scale is a few hundred metres, so the flat-earth
approximation errs by far less than a pixel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext

from yishiting.common.errors import DomainError

MIN_SPREAD_PX = 10  # reference points closer than this on the image give a map too unstable to trust
MIN_SPREAD_DEG = 1e-5  # about a metre
MIN_SINE = 0.05


def _error(message: str) -> DomainError:
    return DomainError("invalid_reference_points", message, details={"field": "reference_points"})


@dataclass(frozen=True)
class RefPoint:
    x: float
    y: float
    lat: float
    lng: float


@dataclass(frozen=True)
class PlanTransform:
    """lng = a·x + b·y + c, lat = d·x + e·y + f (x, y in pixels of the stored image)."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    def to_latlng(self, x: float, y: float) -> tuple[float, float]:
        return self.d * x + self.e * y + self.f, self.a * x + self.b * y + self.c

    def to_pixel(self, lat: float, lng: float) -> tuple[float, float]:
        det = self.a * self.e - self.b * self.d
        u, v = lng - self.c, lat - self.f
        return (self.e * u - self.b * v) / det, (self.a * v - self.d * u) / det

    def coefficients(self) -> list[float]:
        return [self.a, self.b, self.c, self.d, self.e, self.f]


def _check(points: list[RefPoint]) -> None:
    if len(points) not in (2, 3):
        raise _error(gettext("请给出 2 个或 3 个参照点。"))
    for p in points:
        if not (-90 <= p.lat <= 90 and -180 <= p.lng <= 180):
            raise _error(gettext("参照点的纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。"))
    for i, p in enumerate(points):
        for q in points[i + 1:]:
            if math.hypot(p.x - q.x, p.y - q.y) < MIN_SPREAD_PX:
                raise _error(gettext("参照点在图上相距太近，请选相隔较远的地点。"))
            if abs(p.lat - q.lat) < MIN_SPREAD_DEG and abs(p.lng - q.lng) < MIN_SPREAD_DEG:
                raise _error(gettext("两个参照点的经纬度相同，请核对。"))


def _affine(points: list[RefPoint]) -> PlanTransform:
    (p, q, r) = points
    det = (q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)
    spread = math.hypot(q.x - p.x, q.y - p.y) * math.hypot(r.x - p.x, r.y - p.y)
    if abs(det) < MIN_SINE * spread:  # the angle at p under about 3°: the map would magnify every tap's error
        raise _error(gettext("三个参照点几乎在一条直线上，请换一个不在同一直线上的点。"))

    def solve(vp: float, vq: float, vr: float) -> tuple[float, float, float]:
        k1 = ((vq - vp) * (r.y - p.y) - (vr - vp) * (q.y - p.y)) / det
        k2 = ((q.x - p.x) * (vr - vp) - (r.x - p.x) * (vq - vp)) / det
        return k1, k2, vp - k1 * p.x - k2 * p.y

    a, b, c = solve(p.lng, q.lng, r.lng)
    d, e, f = solve(p.lat, q.lat, r.lat)
    return PlanTransform(a, b, c, d, e, f)


def _similarity(points: list[RefPoint]) -> PlanTransform:
    p, q = points
    cos = math.cos(math.radians(p.lat))
    # Complex numbers: image z = x − i·y (y flipped so both frames turn the same way); ground w = east + i·north
    # in "degrees of latitude" units. w = m·(z − zp) + wp.
    zp, zq = complex(p.x, -p.y), complex(q.x, -q.y)
    wp, wq = complex(p.lng * cos, p.lat), complex(q.lng * cos, q.lat)
    m = (wq - wp) / (zq - zp)

    def ground(x: float, y: float) -> tuple[float, float]:
        w = m * (complex(x, -y) - zp) + wp
        return w.imag, w.real / cos  # lat, lng

    lat0, lng0 = ground(0, 0)
    lat1, lng1 = ground(1, 0)
    lat2, lng2 = ground(0, 1)
    return PlanTransform(lng1 - lng0, lng2 - lng0, lng0, lat1 - lat0, lat2 - lat0, lat0)


def transform_for(points: list[RefPoint]) -> PlanTransform:
    """The map given by the reference points, or DomainError (a clear Chinese message) when they cannot fix one."""
    _check(points)
    return _affine(points) if len(points) == 3 else _similarity(points)


def ref_points(raw: list[dict]) -> list[RefPoint]:
    return [RefPoint(float(p["x"]), float(p["y"]), float(p["lat"]), float(p["lng"])) for p in raw]
