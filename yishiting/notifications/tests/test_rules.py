"""The delivery rules a person notices: a provider outage never holds up a resident's demand nor the loop, a
daily cap (urgent exempt), quiet hours for texts, the staff's daily digest, the login code's record."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from yishiting.demands.models import Demand
from yishiting.notifications.delivery import deliver_pending, preference_of
from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.services import notify

from .fakes import FakeAliyun

pytestmark = pytest.mark.django_db
State = Delivery.State


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def _at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def test_a_provider_outage_blocks_neither_the_demand_nor_the_loop(world, aliyun, settings, as_persona,
                                                                   django_capture_on_commit_callbacks):
    settings.MESSAGING_ALIYUN = {**settings.MESSAGING_ALIYUN, "endpoint": f"http://127.0.0.1:{_closed_port()}/"}
    settings.MESSAGING_WECHAT_BACKEND = "memory"  # a second channel that is up
    MessagePreference.objects.create(person=world.people["resident"], wechat=True, wechat_openid="oResident", quiet=False)
    client = as_persona("resident")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/demands/new/", {"text": "幸福苑3栋的电梯坏了两天，老人上下楼很困难，请尽快维修",
                                                 "area": world.areas["B1"].pk, "urgency": "normal", "token": ""})
    demand = Demand.objects.get()
    assert response.status_code == 302 and time.monotonic() - started < 30
    sms = Delivery.objects.get(channel="sms")
    assert sms.state == State.QUEUED and demand.number in sms.text and sms.attempts == 0
    assert Delivery.objects.get(channel="wechat").state == State.SENT  # in-process backend: right after commit
    notify(person=world.people["resident"], text="第二条")
    counts = deliver_pending()
    assert counts.retried == 1 and counts.waiting == 1  # one try reached nothing; the other was not tried
    sms.refresh_from_db()
    assert sms.state == State.QUEUED and sms.provider_code == "network" and sms.attempts == 1
    assert Delivery.objects.get(channel="wechat", text="第二条").state == State.SENT  # the other channel went on

    settings.MESSAGING_ALIYUN = {**settings.MESSAGING_ALIYUN, "endpoint": aliyun.url}  # back up
    assert deliver_pending(now=timezone.now() + timedelta(minutes=5)).sent == 2
    assert [d.state for d in Delivery.objects.filter(channel="sms")] == [State.SENT, State.SENT]


def test_the_daily_cap_holds_back_the_rest_but_not_urgent_ones(world, settings, messages_outbox,
                                                               django_capture_on_commit_callbacks):
    settings.MESSAGING_DAILY_CAP = 2
    person = world.people["resident"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            notify(person=person, text=f"通知{i}")
        notify(person=person, text="紧急：停水", urgent=True)
    states = dict(Delivery.objects.values_list("text", "state"))
    assert states == {"通知0": State.SENT, "通知1": State.SENT, "通知2": State.CAPPED, "紧急：停水": State.SENT}
    assert [m.text for m in messages_outbox] == ["【议事厅】通知0", "【议事厅】通知1", "【议事厅】紧急：停水"]
    assert person.notifications.count() == 4  # all four stay in 我的消息
    tomorrow = deliver_pending(now=_at(9, days=1))
    assert tomorrow.sent == 0  # a capped one is not sent the next day either: it is in 我的消息


def test_quiet_hours_defer_texts_to_the_morning_unless_urgent(world, settings):
    person = world.people["resident"]
    MessagePreference.objects.create(person=person, quiet=True, quiet_start="22:00", quiet_end="07:00")
    settings.MESSAGING_BACKEND = "aliyun"  # a real provider: nothing is sent from the request
    notify(person=person, text="议题表决结果已公布")
    notify(person=person, text="紧急：燃气泄漏，请勿用火", urgent=True)
    settings.MESSAGING_BACKEND = "memory"
    night = _at(23, 30, days=1)  # tomorrow night: the texts queued now are due by then, whatever the hour now
    counts = deliver_pending(now=night)
    assert counts.sent == 1 and counts.deferred == 1
    waiting = Delivery.objects.get(text="议题表决结果已公布")
    assert waiting.state == State.QUEUED and waiting.next_attempt_at == _at(7, days=2) and waiting.attempts == 0
    assert deliver_pending(now=_at(6, 59, days=2)).sent == 0
    assert deliver_pending(now=_at(7, days=2)).sent == 1


def test_staff_get_one_digest_a_day_instead_of_a_text_per_event(world, settings, messages_outbox,
                                                                django_capture_on_commit_callbacks):
    settings.MESSAGING_STAFF_DIGEST = True
    staff, resident = world.people["community_staff"], world.people["resident"]
    assert preference_of(staff).digest and not preference_of(resident).digest
    with django_capture_on_commit_callbacks(execute=True):
        for text in ("新诉求 A-1 待受理", "新诉求 A-2 待受理", "任务 T-3 黄色预警"):
            notify(person=staff, text=text)
        notify(person=staff, text="紧急：重大诉求", urgent=True)
    assert [m.text for m in messages_outbox] == ["【议事厅】紧急：重大诉求"]
    held = Delivery.objects.filter(state=State.HELD)
    assert held.count() == 3
    due = held.first().next_attempt_at
    assert timezone.localtime(due).hour == 18
    assert deliver_pending(now=due - timedelta(minutes=1)).digests == 0
    counts = deliver_pending(now=due)
    assert counts.digests == 1 and counts.sent == 1
    digest = Delivery.objects.get(kind="digest")
    assert digest.state == State.SENT and digest.parts.count() == 3 and digest.link == "/messages/"
    assert messages_outbox[-1].text.startswith("【议事厅】今日消息汇总（3 条）：1. 新诉求 A-1 待受理；")
    assert "详见议事厅“我的消息”" in messages_outbox[-1].text
    assert deliver_pending(now=due + timedelta(hours=1)).digests == 0  # once


def test_a_login_code_is_sent_at_once_and_recorded_without_the_code(world, client, settings):
    fake = FakeAliyun()
    try:
        settings.MESSAGING_BACKEND = "aliyun"
        settings.MESSAGING_ALIYUN = {"endpoint": fake.url, "access_key_id": "testId", "access_key_secret": "testSecret",
                                     "sign_name": "议事厅", "templates": {"code": "SMS_CODE"}}
        client.post("/login/sms/", {"step": "send", "mobile": "13800000001"})
        code = fake.received[-1]["TemplateParam"]
        record = Delivery.objects.get(kind="code")
        assert fake.received[-1]["TemplateCode"] == "SMS_CODE" and code.startswith('{"code":"')
        assert record.state == State.SENT and record.urgent and record.person == world.people["resident"]
        assert "******" in record.text and code[9:15] not in record.text
    finally:
        fake.close()
