"""A 微心愿 through the pages, as people use it: a resident posts a wish (with her name and phone in it), the
community's staff approve it with the checklist and a public text; a party member of the community claims it,
fulfils it with a photo; the resident thanks him. The public wall — no login — shows it fulfilled, by "党员",
with no name, phone or place below the community. A second donor arriving late is told it is taken."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yishiting.common.models import Event
from yishiting.wishes.models import Wish
from yishiting.wishes.tests.conftest import add_donors, png

from .http import follow, signed_in

pytestmark = pytest.mark.django_db
TEXT = "我是张三，腿脚不好，想要一个助行器，电话13800000001，住幸福苑3栋1单元101"




def test_a_wish_from_posting_to_the_public_wall(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_donors(world)
    resident, staff, party = (signed_in(world, n) for n in ("resident", "community_staff", "party"))
    page = resident.post("/wishes/new/", {"category": "daily", "text": TEXT})
    assert page.status_code == 302, page.content.decode()[:2000]
    wish = Wish.objects.get(pk=int(re.search(r"/wishes/(\d+)/", page["Location"]).group(1)))
    assert "待审核" in resident.get(f"/wishes/{wish.pk}/").content.decode()
    assert Client().get("/wishes/wall/").content.decode().count(wish.number) == 0  # not public before review

    queue = staff.get("/wishes/review/").content.decode()
    assert wish.number in queue
    unchecked = staff.post(f"/wishes/{wish.pk}/approve/", {"public_text": "一位腿脚不便的居民想要一个助行器"})
    assert unchecked.status_code == 400 and "请逐项核对" in unchecked.content.decode()
    body = follow(staff, f"/wishes/{wish.pk}/approve/", {"public_text": "一位腿脚不便的居民想要一个助行器",
                                                        "no_money": "on", "no_personal_data": "on"})
    assert "已通过审核" in body

    home = party.get("/wishes/").content.decode()
    assert "一位腿脚不便的居民想要一个助行器" in home and "张三" not in home and "13800000001" not in home
    assert "认领成功" in follow(party, f"/wishes/{wish.pk}/claim/")
    late = follow(signed_in(world, "neighbour"), f"/wishes/{wish.pk}/claim/")
    assert "已被他人认领" in late or "我来认领" not in late
    photo = SimpleUploadedFile("done.png", png(), content_type="image/png")
    body = follow(party, f"/wishes/{wish.pk}/fulfil/", {"photo": photo, "note": "已送到家中"})
    assert "已登记心愿实现" in body
    assert "感谢已送达" in follow(resident, f"/wishes/{wish.pk}/thank/", {"text": "谢谢您！"})

    wall = Client().get("/wishes/wall/")
    text = wall.content.decode()
    assert wall.status_code == 200 and "一位腿脚不便的居民想要一个助行器" in text and "已实现" in text
    assert "党员帮助实现" in text and "幸福苑社区" in text
    for secret in ("张三", "13800000001", "党员甲", "3栋", "幸福苑小区", TEXT):
        assert secret not in text, secret
    event = Event.objects.get(kind="wishes.wish_fulfilled", subject_id=str(wish.pk))
    assert event.payload["earners"] == [{"person": world.people["party"].pk}]
    api = Client().get("/api/v1/wishes/wall").json()
    assert api["items"][0]["status"] == "fulfilled" and "张三" not in str(api)


def test_the_photo_is_for_insiders_only(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_donors(world)
    resident = signed_in(world, "resident")
    page = resident.post("/wishes/new/", {"category": "study", "text": "想要一盏台灯",
                                          "photo": SimpleUploadedFile("a.png", png(), content_type="image/png")})
    wish = Wish.objects.get(pk=int(re.search(r"/wishes/(\d+)/", page["Location"]).group(1)))
    photo = wish.photos.get()
    assert resident.get(f"/wishes/{wish.pk}/photos/{photo.pk}/").status_code == 200
    assert signed_in(world, "party").get(f"/wishes/{wish.pk}/photos/{photo.pk}/").status_code == 404
