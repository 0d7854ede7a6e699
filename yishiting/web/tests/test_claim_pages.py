"""Registration and household claims through HTTP like a user: register with an SMS code, report at once,
find the building, claim a room, and the staff's inbox (approve, reject with a reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from yishiting.areas import services as areas
from yishiting.areas.choices import ClaimStatus, Role
from yishiting.areas.models import HouseholdClaim, Person

pytestmark = pytest.mark.django_db
MOBILE = "13700000009"


def last_code(outbox) -> str:
    return outbox[-1].text.split("验证码是 ")[1][:6]


def register(client: Client, outbox, *, name: str = "马新民", mobile: str = MOBILE):
    sent = client.post("/register/", {"step": "send", "name": name, "mobile": mobile})
    assert sent.status_code == 302, sent.content.decode()
    return client.post("/register/", {"step": "verify", "code": last_code(outbox)}, follow=True)


@pytest.fixture
def h6(world):
    return areas.household_create(actor=None, unit=world.areas["U1"], number="106", exclusive_area=Decimal("88.00"))


def test_login_pages_link_to_registration(db):
    for url in ("/login/", "/login/sms/"):
        assert 'href="/register/"' in Client().get(url).content.decode()


def test_register_logs_in_and_the_resident_can_report_at_once(world, messages_outbox):
    client = Client()
    page = register(client, messages_outbox)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == "/claims/"
    assert "注册成功" in html and "申报住户" in html and "您住的楼栋" in html
    home = client.get("/").content.decode()
    assert "我的住户申报" in home and "您还没有申报住在哪一户" in home and "马新民" in home  # one sees one's own name in full
    form = client.get("/demands/new/")
    assert form.status_code == 200 and 'name="area"' in form.content.decode()
    places = form.context["form"].fields["area"].queryset
    assert world.areas["C3"] in places and world.areas["B1"] in places  # anywhere in the district …
    assert world.areas["D"] not in places and world.areas["S1"] not in places  # … down from the communities
    # No household yet: they pick the place (here another street's community) and the demand is filed.
    sent = client.post("/demands/new/", {"text": "湖滨社区门口的路灯坏了好几天了", "area": world.areas["C3"].pk,
                                         "urgency": "normal", "token": "reg-1"}, follow=True)
    assert "/done/" in sent.redirect_chain[-1][0]
    assert "湖滨社区门口的路灯" in client.get("/demands/mine/").content.decode()


def test_a_registered_number_is_offered_the_login(world, messages_outbox):
    page = Client().post("/register/", {"step": "send", "name": "张三", "mobile": "13800000001"})
    html = page.content.decode()
    assert page.status_code == 409 and "该手机号已注册" in html and 'href="/login/sms/"' in html
    assert messages_outbox == []


def test_bad_number_and_wrong_code_are_told_in_chinese(world, messages_outbox):
    client = Client()
    bad = client.post("/register/", {"step": "send", "name": "马新民", "mobile": "12345"})
    assert bad.status_code == 400 and "手机号应为 11 位数字" in bad.content.decode()
    client.post("/register/", {"step": "send", "name": "马新民", "mobile": MOBILE})
    wrong = "000000" if last_code(messages_outbox) != "000000" else "111111"
    page = client.post("/register/", {"step": "verify", "code": wrong})
    assert page.status_code == 400 and "验证码错误或已过期" in page.content.decode()
    again = client.post("/register/", {"step": "restart"}, follow=True)
    too_soon = client.post("/register/", {"step": "send", "name": "马新民", "mobile": MOBILE})
    assert again.status_code == 200 and too_soon.status_code == 429 and "过于频繁" in too_soon.content.decode()
    assert not Person.objects.filter(mobile=MOBILE).exists()


def test_find_the_building_claim_a_room_and_see_it_pending(world, messages_outbox, h6):
    client = Client()
    register(client, messages_outbox)
    found = client.get("/claims/buildings/", {"q": "xfy3"}).content.decode()
    building = world.areas["B1"]
    assert f"/claims/?building={building.pk}" in found and "幸福苑3栋" in found
    assert "没有找到" in client.get("/claims/buildings/", {"q": "无此楼"}).content.decode()
    form = client.get("/claims/", {"building": building.pk}).content.decode()
    assert "1单元 106" in form and "租户" in form and "湖滨" not in form
    missing = client.post("/claims/", {"building": building.pk, "household": h6.pk})
    assert missing.status_code == 400 and "请选择您与该户的关系" in missing.content.decode()
    other = client.post("/claims/", {"building": building.pk, "household": world.households["H4"].pk,
                                     "relation": "tenant"})
    assert other.status_code == 400 and "请在列表中选择" in other.content.decode()
    page = client.post("/claims/", {"building": building.pk, "household": h6.pk, "relation": "tenant"}, follow=True)
    html = page.content.decode()
    assert "申报已提交" in html and "待审核" in html and "幸福苑3栋1单元106" in html
    assert "您住的楼栋" not in html  # one open claim at a time
    assert "待审核" in client.get("/").content.decode()


def test_staff_approve_and_reject_from_the_inbox(world, messages_outbox, h6, as_persona):
    resident = Client()
    register(resident, messages_outbox)
    resident.post("/claims/", {"building": world.areas["B1"].pk, "household": h6.pk, "relation": "family"})
    claim = HouseholdClaim.objects.get()
    grid = as_persona("grid_worker")
    inbox = grid.get("/claims/inbox/").content.decode()
    assert "马**" in inbox and "137****0009" in inbox and "该户没有登记业主" in inbox and "马新民" not in inbox
    assert "住户申报" in grid.get("/").content.decode()
    assert as_persona("street_official").get("/claims/inbox/").status_code == 403
    assert as_persona("resident").post(f"/claims/{claim.pk}/approve/").status_code == 403
    no_reason = grid.post(f"/claims/{claim.pk}/reject/", {"reason": ""})
    assert no_reason.status_code == 400 and "请填写未通过的原因" in no_reason.content.decode()
    grid.post(f"/claims/{claim.pk}/reject/", {"reason": "入户核实无此人"})
    assert "未通过：入户核实无此人" in resident.get("/claims/").content.decode()
    # Claim again; this time the community staff approve.
    resident.post("/claims/", {"building": world.areas["B1"].pk, "household": h6.pk, "relation": "family"})
    second = HouseholdClaim.objects.get(status=ClaimStatus.PENDING)
    done = as_persona("community_staff").post(f"/claims/{second.pk}/approve/", follow=True)
    assert "已认证" in done.content.decode() and "没有待认证的住户申报" in done.content.decode()
    assert "已认证" in resident.get("/").content.decode()
    person = Person.objects.get(mobile=MOBILE)
    assert person.household_id == h6.pk
    assert set(person.roles.filter(is_active=True).values_list("role", flat=True)) == {Role.RESIDENT}
    # Approving a decided claim again from a stale page changes nothing and says so.
    stale = grid.post(f"/claims/{claim.pk}/approve/", follow=True)
    assert "已被他人处理" in stale.content.decode()
