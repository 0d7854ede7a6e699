"""Linking a WeChat account without OAuth, through HTTP: the settings page gives a one-time code, the person
sends it to the official account, whose signed callback binds the sender's openid (an event); an expired or
reused code binds nothing; unlinking from the page. The page shows the linked openid masked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from yishiting.common.events import events_of
from yishiting.notifications.binding import BIND_FAILURES_MAX
from yishiting.notifications.models import Delivery, MessagePreference, WechatBindCode
from yishiting.notifications.services import notify

from .fakes import wechat_push, wechat_text

pytestmark = pytest.mark.django_db
TOKEN = "callbackToken"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.fixture(autouse=True)
def wechat_channel(settings):
    settings.MESSAGING_WECHAT_BACKEND = "memory"
    settings.MESSAGING_WECHAT = {**settings.MESSAGING_WECHAT, "token": TOKEN, "account_name": "幸福苑议事厅"}
    cache.clear()


def _code(client) -> str:
    response = client.post("/messages/settings/wechat/code/")
    assert response.status_code == 302 and response["Location"].endswith("/messages/settings/#wechat")
    html = client.get("/messages/settings/").content.decode()
    assert "幸福苑议事厅" in html and "只能使用一次" in html
    return re.search(r'class="bind-code"[^>]*>(\d{4} \d{4})<', html).group(1)


def _send(client, text: str, openid: str = OPENID) -> str:
    response = wechat_push(client, TOKEN, wechat_text(openid, text))
    assert response.status_code == 200
    return response.content.decode()


def test_a_resident_binds_with_the_code_and_unlinks(world, as_persona, client):
    resident = as_persona("resident")
    page = resident.get("/messages/settings/").content.decode()
    assert "获取绑定码" in page and 'name="wechat"' not in page
    code = _code(resident)

    reply = _send(client, f"绑定 {code}")
    assert "绑定成功" in reply and f"<ToUserName><![CDATA[{OPENID}]]>" in reply  # a passive reply to the sender
    pref = MessagePreference.objects.get(person=world.people["resident"])
    assert pref.wechat_openid == OPENID and pref.wechat
    event = events_of(world.people["resident"]).get(kind="person.wechat_bound")
    assert event.payload["openid"] == "oUpF****eS6o" and event.actor_id == world.users["resident"].pk
    page = resident.get("/messages/settings/").content.decode()
    assert "已绑定微信（oUpF****eS6o）" in page and OPENID not in page and 'name="wechat"' in page

    resident.cookies["django_language"] = "en"
    assert "WeChat linked (oUpF****eS6o)" in resident.get("/messages/settings/").content.decode()
    resident.cookies["django_language"] = "zh-hans"

    assert "绑定成功" in _send(client, code)  # WeChat pushing the same message again: still bound, nothing new
    assert events_of(world.people["resident"]).filter(kind="person.wechat_bound").count() == 1

    notify(person=world.people["resident"], text="您的诉求已受理")  # a message queued for that openid
    queued = Delivery.objects.get(channel="wechat", to=OPENID)
    queued.state = Delivery.State.QUEUED
    queued.save()
    response = resident.post("/messages/settings/wechat/unlink/")
    assert response.status_code == 302
    pref.refresh_from_db()
    queued.refresh_from_db()
    assert pref.wechat_openid == "" and not pref.wechat
    assert queued.state == Delivery.State.FAILED and queued.provider_code == "unbound"  # not sent to it any more
    assert events_of(world.people["resident"]).filter(kind="person.wechat_unbound").count() == 1
    assert "获取绑定码" in resident.get("/messages/settings/").content.decode()
    assert resident.get("/messages/settings/wechat/unlink/").status_code == 405


def test_an_expired_or_reused_code_binds_nothing(world, as_persona, client):
    resident, staff = as_persona("resident"), as_persona("grid_worker")
    code = _code(resident)
    WechatBindCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "已过期" in _send(client, code)
    assert not MessagePreference.objects.filter(wechat_openid=OPENID).exists()

    staff_code = _code(staff)  # staff link theirs the same way
    assert "绑定成功" in _send(client, staff_code, openid="oStaff0000000000000001")
    assert "已使用" in _send(client, staff_code)  # someone else sending the used code
    assert MessagePreference.objects.get(person=world.people["grid_worker"]).wechat_openid == "oStaff0000000000000001"
    assert not MessagePreference.objects.filter(wechat_openid=OPENID).exists()

    first = _code(resident)
    resident.cookies["django_language"] = "en"
    english = resident.get("/messages/settings/").content.decode()
    assert "Link WeChat" in english and "send it this linking code" in english and "Get a new code" in english
    resident.cookies["django_language"] = "zh-hans"
    second = _code(resident)  # a new code ends the earlier one
    assert first != second and "不正确" not in _send(client, first) and "已过期" in _send(client, first)
    assert "绑定成功" in _send(client, second)


def test_guessing_codes_is_cut_short_and_forged_messages_are_refused(world, as_persona, client):
    resident = as_persona("resident")
    code = _code(resident)
    forged = wechat_push(client, TOKEN, wechat_text(OPENID, code), forged=True)
    assert forged.status_code == 403
    assert not WechatBindCode.objects.filter(used_at__isnull=False).exists()
    for n in range(BIND_FAILURES_MAX):
        assert "不正确" in _send(client, f"{n:08d}" if f"{n:08d}" != code.replace(" ", "") else "99999999")
    assert "尝试次数过多" in _send(client, code)
    assert "ordinary text" not in _send(client, "你好")  # other messages: WeChat's "nothing to reply"
    assert _send(client, "你好") == "success"
    assert not MessagePreference.objects.filter(wechat_openid=OPENID).exists()


def test_nobody_issues_a_code_for_someone_else_and_the_card_needs_a_channel(world, as_persona, settings):
    from yishiting.common.errors import DomainError
    from yishiting.notifications.binding import wechat_bind_code_issue

    with pytest.raises(DomainError) as refused:
        wechat_bind_code_issue(actor=world.users["grid_worker"], person=world.people["resident"])
    assert refused.value.code == "forbidden"
    settings.MESSAGING_WECHAT_BACKEND = ""
    assert 'id="wechat"' not in as_persona("resident").get("/messages/settings/").content.decode()
