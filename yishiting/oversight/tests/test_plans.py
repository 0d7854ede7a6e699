"""Plans: who may upload one, what image is accepted, and that a refused upload leaves nothing behind."""

import io

import pytest
from PIL import Image

from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.oversight.models import AreaPlan
from yishiting.oversight.plan_images import STORED_SIDE
from yishiting.oversight.services.hotspots import plan_save

from .plans import POINTS, image_bytes, make_plan


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_community_staff_upload_a_plan_and_it_is_recorded(world, media):
    plan = make_plan(world)
    assert (plan.width, plan.height, plan.path) == (800, 600, world.areas["G1"].path)
    assert plan.reference_points[1] == {"x": 800.0, "y": 0.0, "lat": 30.26, "lng": 120.108}
    assert [e.kind for e in events_of(plan)] == ["plan.saved"]
    assert len(_stored_files(media)) == 1


def test_a_large_plan_is_scaled_down_and_its_points_with_it(world, media):
    plan = plan_save(actor=world.users["community_staff"], area=world.areas["G1"], title="大图",
                     reference_points=[{**p, "x": p["x"] * 4, "y": p["y"] * 4} for p in POINTS],
                     image=image_bytes(3200, 2400, "JPEG"))
    assert (plan.width, plan.height, plan.content_type) == (STORED_SIDE, 1800, "image/jpeg")
    assert plan.reference_points[1]["x"] == STORED_SIDE


def test_a_new_upload_replaces_the_old_image(world, media):
    make_plan(world)
    plan = plan_save(actor=world.users["community_secretary"], area=world.areas["G1"], title="新图",
                     reference_points=POINTS, image=image_bytes(800, 600, "JPEG"))
    assert AreaPlan.objects.count() == 1 and plan.title == "新图"


def _refused(world, image: bytes, points=POINTS) -> str:
    with pytest.raises(DomainError) as caught:
        plan_save(actor=world.users["community_staff"], area=world.areas["G1"], title="x", reference_points=points,
                  image=image)
    return caught.value.message


def test_a_file_that_is_not_a_picture_is_refused_in_chinese_and_nothing_stored(world, media):
    assert _refused(world, b"%PDF-1.4 not a plan") == "无法识别平面图，请上传 PNG 或 JPEG 图片。"
    gif = io.BytesIO()
    Image.new("RGB", (100, 100)).save(gif, "GIF")
    assert _refused(world, gif.getvalue()) == "平面图只能是 PNG 或 JPEG 图片。"
    assert not AreaPlan.objects.exists() and _stored_files(media) == []


def test_a_huge_picture_is_refused_before_it_is_decoded(world, media):
    # A 9000 × 9000 PNG of one colour is small on disk and 81 megapixels when opened: a decompression bomb.
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    assert "像素过大" in _refused(world, out.getvalue())
    assert _refused(world, b"\x89PNG" + b"0" * (10 * 1024 * 1024 + 1)) == "平面图超过 10 MB，请压缩后再传。"
    assert not AreaPlan.objects.exists() and _stored_files(media) == []


def test_points_off_the_plan_or_in_a_line_are_refused_and_nothing_stored(world, media):
    assert "超出了平面图" in _refused(world, image_bytes(), [*POINTS[:2], {"x": 900, "y": 10, "lat": 30.25,
                                                                          "lng": 120.1}])
    assert "一条直线" in _refused(world, image_bytes(), [POINTS[0], POINTS[1], {"x": 400, "y": 0, "lat": 30.26,
                                                                               "lng": 120.104}])
    assert not AreaPlan.objects.exists() and _stored_files(media) == []


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler", "street_official"])
def test_only_community_staff_and_admins_set_plans(world, media, persona):
    with pytest.raises(PermissionDeniedError):
        plan_save(actor=world.users[persona], area=world.areas["G1"], title="x", reference_points=POINTS,
                  image=image_bytes())
    assert not AreaPlan.objects.exists()


def test_community_staff_cannot_set_another_communitys_plan_but_an_admin_can(world, media):
    with pytest.raises(PermissionDeniedError):
        plan_save(actor=world.users["community_staff"], area=world.areas["G2"], title="x", reference_points=POINTS,
                  image=image_bytes())
    assert plan_save(actor=world.users["admin"], area=world.areas["G2"], title="和平里", reference_points=POINTS,
                     image=image_bytes()).area == world.areas["G2"]
