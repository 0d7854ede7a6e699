"""我的消息设置 on a phone (one's own, refusals in Chinese and nothing changed) and the staff's list of failed
messages (in scope only, names masked, residents refused)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.areas.services import person_create
from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.preferences import preference_save

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {"sms": "on", "quiet": "on", "quiet_start": "21:30", "quiet_end": "06:30", **overrides}


def test_a_resident_sets_quiet_hours_and_channels(world, as_persona):
    client = as_persona("resident")
    html = client.get("/messages/settings/").content.decode()
    assert "我的消息设置" in html and "138****0001" in html and 'name="quiet_start"' in html
    assert 'name="digest"' not in html and 'name="wechat"' not in html  # not staff; no WeChat bound
    assert "微信通知需先在议事厅公众号中绑定账号" in html
    response = client.post("/messages/settings/", _form())
    assert response.status_code == 302
    pref = MessagePreference.objects.get(person=world.people["resident"])
    assert pref.sms and pref.quiet and f"{pref.quiet_start:%H:%M}-{pref.quiet_end:%H:%M}" == "21:30-06:30"
    assert not pref.digest and not pref.wechat

    page = client.post("/messages/settings/", _form(quiet_start="22:00", quiet_end="22:00", sms=""))
    assert "免打扰的开始和结束时间不能相同" in page.content.decode()
    pref.refresh_from_db()
    assert pref.sms and f"{pref.quiet_start:%H:%M}" == "21:30"  # nothing changed
    assert "消息设置" in client.get("/messages/").content.decode()


def test_staff_may_choose_the_digest_and_nobody_sets_anothers(world, as_persona):
    client = as_persona("community_staff")
    assert 'name="digest"' in client.get("/messages/settings/").content.decode()
    client.post("/messages/settings/", _form(digest="on", digest_at="17:30"))
    pref = MessagePreference.objects.get(person=world.people["community_staff"])
    assert pref.digest and f"{pref.digest_at:%H:%M}" == "17:30"
    with pytest.raises(Exception) as refused:
        preference_save(actor=world.users["community_staff"], person=world.people["resident"], sms=False,
                        wechat=False, quiet=False, quiet_start=pref.quiet_start, quiet_end=pref.quiet_end)
    assert refused.value.code == "forbidden" and not MessagePreference.objects.filter(person=world.people["resident"]).exists()
    with pytest.raises(Exception) as refused:
        preference_save(actor=world.users["resident"], person=world.people["resident"], sms=True, wechat=False,
                        quiet=False, quiet_start=pref.quiet_start, quiet_end=pref.quiet_end, digest=True)
    assert refused.value.code == "digest_staff_only"


def _failed(person: Person, code: str) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(person=person, channel="sms", to=person.mobile, text="您的诉求已受理", state="failed",
                                   provider="aliyun", provider_code=code, provider_message="非法手机号", attempts=1,
                                   next_attempt_at=now, finished_at=now)


def test_staff_see_the_failures_of_their_scope_masked(world, as_persona):
    _failed(world.people["resident"], "isv.MOBILE_NUMBER_ILLEGAL")
    outsider = person_create(actor=None, name="欧阳外区", mobile="13900000099", area=world.areas["C2"])
    _failed(outsider, "isv.BLACK_KEY_CONTROL_LIMIT")
    html = as_persona("community_staff").get("/messages/failures/").content.decode()
    assert "isv.MOBILE_NUMBER_ILLEGAL" in html and "张*" in html and "张三" not in html
    assert "isv.BLACK_KEY_CONTROL_LIMIT" not in html and "欧阳" not in html  # another community
    district = as_persona("district_official").get("/messages/failures/").content.decode()
    assert "isv.BLACK_KEY_CONTROL_LIMIT" in district
    assert as_persona("resident").get("/messages/failures/").status_code == 403
    assert "消息发送失败" in as_persona("community_staff").get("/messages/").content.decode()
