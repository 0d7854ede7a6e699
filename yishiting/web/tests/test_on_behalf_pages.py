"""Staff acting for a resident without a phone, on the pages (issue 19): 代居民预约 on a service's page and
代发心愿 with the people picker (`/pick/booker/`, `/pick/wisher/`: name, pinyin, building/unit, the mobile's last
digits, masked as the pickers mask); the resident then finds the booking and the wish on their own pages.
Residents get neither the forms nor the pickers; a person outside the staff member's area is refused."""

from __future__ import annotations

import pytest

from yishiting.appointments.models import Booking, Slot
from yishiting.appointments.tests.conftest import make_service, next_working_day
from yishiting.wishes.models import Wish

pytestmark = pytest.mark.django_db


def _slot(world) -> Slot:
    service = make_service(world)
    return Slot.objects.filter(service=service, starts_at__date=next_working_day()).order_by("starts_at").first()


def test_staff_book_a_slot_for_a_resident_who_sees_it_in_my_bookings(world, as_persona):
    slot = _slot(world)
    url = f"/appointments/services/{slot.service_id}/"
    staff = as_persona("community_staff")
    page = staff.get(url).content.decode()
    assert "代居民预约" in page and "/pick/booker/" in page
    assert "代居民预约" not in as_persona("resident").get(url).content.decode()
    found = staff.get("/pick/booker/?name=person&person_q=0001").content.decode()  # the mobile's last digits
    assert f'value="{world.people["resident"].pk}"' in found and "张三" in found  # the office may unmask (audited)
    outside = staff.get("/pick/booker/?name=person&person_q=13800000002").content.decode()
    assert f'value="{world.people["resident2"].pk}"' not in outside  # 和平里's resident is not the staff's
    assert as_persona("resident").get("/pick/booker/?name=person&person_q=张").status_code == 403

    missing = staff.post(url + "book-for/", {"slot": slot.pk, "note": "养老认证"})
    assert missing.status_code == 400 and "请查找并选择要代为预约的居民" in missing.content.decode()
    outside = staff.post(url + "book-for/", {"person": world.people["resident2"].pk, "slot": slot.pk})
    assert outside.status_code == 400 and "请从查找结果中选择居民" in outside.content.decode()
    assert not Booking.objects.exists()

    done = staff.post(url + "book-for/", {"person": world.people["resident"].pk, "slot": slot.pk, "note": "养老认证"},
                      follow=True)
    booking = Booking.objects.get()
    assert booking.person == world.people["resident"] and booking.booked_by == world.people["community_staff"]
    assert booking.code in done.content.decode()  # the staff member tells the resident the code
    mine = as_persona("resident").get("/appointments/mine/").content.decode()
    assert booking.code in mine and "社区工作人员代约" in mine
    assert as_persona("resident").post(url + "book-for/", {"person": world.people["resident"].pk,
                                                           "slot": slot.pk}).status_code == 403


def test_staff_post_a_wish_for_a_resident_picked_by_name(world, as_persona):
    staff = as_persona("grid_worker")
    form = staff.get("/wishes/new/").content.decode()
    assert "代谁发布" in form and "/pick/wisher/" in form
    assert "代谁发布" not in as_persona("resident").get("/wishes/new/").content.decode()
    found = staff.get("/pick/wisher/?name=wisher&wisher_q=1单元").content.decode()
    assert "张*" in found
    response = staff.post("/wishes/new/", {"wisher": world.people["resident"].pk, "category": "daily",
                                           "text": "想要一副老花镜"})
    assert response.status_code == 302
    wish = Wish.objects.get()
    assert wish.wisher == world.people["resident"] and wish.posted_by == world.people["grid_worker"]
    home = as_persona("resident").get("/wishes/").content.decode()
    assert wish.number in home or "想要一副老花镜" in home
    detail = as_persona("resident").get(f"/wishes/{wish.pk}/").content.decode()
    assert "代发" in detail
