"""The plan ↔ latitude/longitude map: what a tap gives back is where the point is drawn again."""

import math

import pytest

from yishiting.common.errors import DomainError
from yishiting.oversight.geometry import RefPoint, transform_for


def test_three_points_give_the_exact_affine_map_both_ways():
    t = transform_for([RefPoint(0, 0, 30.26, 120.1), RefPoint(800, 0, 30.26, 120.108),
                       RefPoint(0, 600, 30.254, 120.1)])
    lat, lng = t.to_latlng(400, 300)
    assert (round(lat, 6), round(lng, 6)) == (30.257, 120.104)
    x, y = t.to_pixel(30.257, 120.104)
    assert (round(x, 3), round(y, 3)) == (400, 300)


def test_three_points_absorb_a_rotated_and_skewed_plan():
    # A plan drawn turned 90°: right on the image is north.
    t = transform_for([RefPoint(0, 0, 30.0, 120.0), RefPoint(100, 0, 30.001, 120.0), RefPoint(0, 100, 30.0, 120.001)])
    assert [round(v, 6) for v in t.to_latlng(100, 100)] == [30.001, 120.001]


def test_two_points_give_a_north_up_plan_with_metres_the_same_both_ways():
    # 100 px east = 0.001° of longitude at 30°N; the same scale northwards is 0.001·cos(30°) of latitude.
    t = transform_for([RefPoint(0, 0, 30.0, 120.0), RefPoint(100, 0, 30.0, 120.001)])
    lat, lng = t.to_latlng(0, 100)
    assert round(lng, 9) == 120.0
    assert math.isclose(30.0 - lat, 0.001 * math.cos(math.radians(30)), rel_tol=1e-9)
    for x, y in [(10, 20), (55.5, 99), (0, 0)]:
        back = t.to_pixel(*t.to_latlng(x, y))
        assert math.isclose(back[0], x, abs_tol=1e-6) and math.isclose(back[1], y, abs_tol=1e-6)


@pytest.mark.parametrize("points, words", [
    ([RefPoint(0, 0, 30, 120)], "2 个或 3 个参照点"),
    ([RefPoint(0, 0, 30, 120), RefPoint(3, 4, 30.01, 120.01)], "相距太近"),
    ([RefPoint(0, 0, 30, 120), RefPoint(100, 0, 30, 120)], "经纬度相同"),
    ([RefPoint(0, 0, 30, 120), RefPoint(100, 100, 30.01, 120.01), RefPoint(200, 201, 30.02, 120.02)], "一条直线"),
    ([RefPoint(0, 0, 95, 120), RefPoint(100, 0, 30, 120.01)], "纬度应在"),
])
def test_reference_points_that_cannot_fix_a_map_are_refused_in_chinese(points, words):
    with pytest.raises(DomainError) as caught:
        transform_for(points)
    assert words in caught.value.message
