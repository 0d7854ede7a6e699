"""The resident's submit page: the form on a phone, the live suggestion and "已有相似诉求", photos, the success
page, and what is refused (another community, too many photos, a file that is not an image)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from yishiting.demands.models import Demand
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db

TEXT = "幸福苑3栋的电梯坏了两天，老人上下楼很困难，请尽快维修"


def jpeg(name: str = "photo.jpg", color=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def selected_area(html: str) -> str:
    select = html.split('name="area"')[1].split("</select>")[0]
    return re.search(r'<option value="(\d+)" selected>', select).group(1)


def main(html: str) -> str:
    """The page body without the header (which names the signed-in viewer)."""
    return html.split('<main id="main"')[1].split("</main>")[0]


def form_token(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)


def post_demand(client: Client, area, **fields):
    data = {"text": TEXT, "area": area.pk, "urgency": "normal", "token": fields.pop("token", ""), **fields}
    return client.post("/demands/new/", data)


def test_resident_gets_a_phone_form_with_their_unit_preselected(world, as_persona):
    html = as_persona("resident").get("/demands/new/").content.decode()
    assert selected_area(html) == str(world.areas["U1"].pk)
    assert 'enctype="multipart/form-data"' in html and 'name="photos"' in html and "multiple" in html
    assert 'hx-post="/demands/suggest/"' in html and "delay:" in html  # live suggestion, debounced
    assert "data-geolocate" in html and 'name="latitude"' in html and 'name="anonymous"' in html
    # Other communities are not offered.
    assert "和平里" not in html and "湖滨" not in html


def test_a_qr_poster_link_preselects_its_building(world, as_persona):
    client = as_persona("resident")
    html = client.get(f"/demands/new/?area={world.areas['B1'].pk}").content.decode()
    assert selected_area(html) == str(world.areas["B1"].pk)
    # A poster of another community cannot put the resident there: their own unit is used instead.
    html = client.get(f"/demands/new/?area={world.areas['B2'].pk}").content.decode()
    assert selected_area(html) == str(world.areas["U1"].pk)


def test_signing_in_from_a_poster_comes_back_to_the_same_building(world):
    response = Client().get(f"/demands/new/?area={world.areas['B1'].pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/demands/new/%3Farea%3D")


@pytest.mark.parametrize("persona", ["handler"])
def test_who_may_not_submit_gets_403(as_persona, persona):
    assert as_persona(persona).get("/demands/new/").status_code == 403


def test_submit_with_photos_shows_the_number_and_what_happens_next(world, as_persona, file_media,
                                                                   django_capture_on_commit_callbacks,
                                                                   messages_outbox):
    client = as_persona("resident")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_demand(client, world.areas["B1"], photos=[jpeg("a.jpg"), jpeg("b.png", (0, 90, 200))],
                               address="3栋1单元门口", latitude="30.123456789", longitude="120.1")
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.pk}/done/"
    assert demand.photos.count() == 2 and demand.reporter == world.people["resident"]
    assert str(demand.latitude) == "30.123457" and demand.address == "3栋1单元门口"
    assert demand.category.name == "设施维护"  # left on "按内容自动归类": the suggestion was taken
    html = client.get(response["Location"]).content.decode()
    assert demand.number in html and "接下来会怎样" in html
    assert f"{demand.screening_deadline.month}月{demand.screening_deadline.day}日" in html
    assert messages_outbox and demand.number in messages_outbox[-1].text
    photo = demand.photos.first()
    image = client.get(f"/demands/{demand.pk}/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert as_persona("resident2").get(f"/demands/{demand.pk}/photos/{photo.pk}/").status_code == 404


def test_a_double_tap_makes_one_demand(world, as_persona):
    client = as_persona("resident")
    token = form_token(client.get("/demands/new/").content.decode())
    first = post_demand(client, world.areas["B1"], token=token)
    second = post_demand(client, world.areas["B1"], token=token)
    assert first["Location"] == second["Location"] and Demand.objects.count() == 1


def test_too_many_photos_or_a_disguised_file_is_refused_and_nothing_saved(world, as_persona, file_media):
    client = as_persona("resident")
    html = post_demand(client, world.areas["B1"], photos=[jpeg(f"{i}.jpg") for i in range(10)]).content.decode()
    assert "最多上传 9 张照片" in html
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = post_demand(client, world.areas["B1"], photos=[fake])
    html = response.content.decode()
    assert response.status_code == 200 and "第 1 张照片" in html and "照片需要重新选择" in html
    assert TEXT in html  # what was typed is kept
    assert not Demand.objects.exists()


def test_empty_text_and_a_place_in_another_community_are_refused(world, as_persona):
    client = as_persona("resident")
    assert "请填写诉求内容" in post_demand(client, world.areas["B1"], text="").content.decode()
    html = post_demand(client, world.areas["B2"]).content.decode()
    assert "请在您所在社区内选择地点" in html
    assert not Demand.objects.exists()


def test_the_suggestion_names_a_category_with_its_confidence(world, as_persona):
    html = as_persona("resident").post("/demands/suggest/", {"text": TEXT, "area": world.areas["B1"].pk}) \
        .content.decode()
    assert "系统建议类别" in html and "设施维护" in html and "把握" in html
    assert re.search(r'data-suggest-category="\d+"', html)
    assert as_persona("resident").post("/demands/suggest/", {"text": "电梯"}).content.decode().strip() == ""


def test_similar_demands_are_shown_before_submitting_but_only_those_one_may_see(world, as_persona, new_demand):
    mine = new_demand("resident")
    theirs = new_demand("grid_worker", text="3号楼电梯又坏了，卡在二楼不动，老人没法下楼")
    reworded = {"text": "3栋电梯坏了，老人没法上下楼", "area": world.areas["B1"].pk}
    html = as_persona("resident").post("/demands/suggest/", reworded).content.decode()
    assert "已有相似诉求" in html and mine.number in html
    assert theirs.number not in html  # a resident sees only their own demands
    staff = as_persona("community_staff").post("/demands/suggest/", reworded).content.decode()
    assert mine.number in staff and theirs.number in staff


def test_without_javascript_a_preview_shows_the_suggestion_and_saves_nothing(world, as_persona, new_demand):
    earlier = new_demand("resident")
    html = post_demand(as_persona("resident"), world.areas["B1"], preview="1").content.decode()
    assert "系统建议类别" in html and "已有相似诉求" in html and earlier.number in html
    assert Demand.objects.count() == 1


def test_an_anonymous_demand_names_nobody(world, as_persona, django_capture_on_commit_callbacks):
    client = as_persona("resident")
    with django_capture_on_commit_callbacks(execute=True):
        post_demand(client, world.areas["B1"], anonymous="on")
    demand = Demand.objects.get()
    assert demand.reporter is None and demand.reporter_kind == "anonymous"
    assert not Notification.objects.exists()
    for persona in ("resident", "community_staff"):
        html = main(as_persona(persona).get(f"/demands/{demand.pk}/").content.decode())
        assert "收到匿名诉求" in html and "张*" not in html and "居民 张" not in html
    assert "匿名诉求不会给您发通知" in client.get(f"/demands/{demand.pk}/done/").content.decode()


def test_a_form_too_large_to_read_gets_a_chinese_page_and_saves_nothing(world, as_persona, settings):
    """Text fields beyond the request limit (photos are counted apart): the form is not read; the person sees
    why in Chinese (413, common.middleware.UploadLimitMiddleware), not the bare English "Bad Request"."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = as_persona("resident")
    response = post_demand(client, world.areas["B1"], text="楼道灯坏了" * 3000)
    assert response.status_code == 413
    body = response.content.decode()
    assert "提交的内容过大" in body and "超过了 9.8 KB 的上限" in body and "没有保存任何内容" in body
    assert "Bad Request" not in body and "Request Entity" not in body
    assert not Demand.objects.exists()
