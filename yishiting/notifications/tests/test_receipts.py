"""Delivery receipts: each provider's fake answers its receipt API (Alibaba QuerySendDetails, Tencent
PullSmsSendStatus, checked signatures) or pushes WeChat's TEMPLATESENDJOBFINISH to the signed callback; a sent
message ends `delivered`, a failed receipt keeps the code, a repeated or unknown receipt changes nothing, and a
forged callback is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.jobs import jobs_run_pending
from yishiting.common.models import Job
from yishiting.common.schedule import schedule_due
from yishiting.notifications.delivery import deliver_pending
from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.receipts import receipt_apply, receipts_poll
from yishiting.notifications.services import notify

from .conftest import TOKEN
from .fakes import wechat_push

pytestmark = pytest.mark.django_db
State = Delivery.State


def _sent(world, text="您的诉求已受理") -> Delivery:
    notify(person=world.people["resident"], text=text)
    delivery = Delivery.objects.latest("pk")
    deliver_pending()
    delivery.refresh_from_db()
    assert delivery.state == State.SENT
    return delivery


def test_aliyun_receipts_are_pulled_with_querysenddetails(world, aliyun):
    delivered, failed, waiting = _sent(world), _sent(world), _sent(world)
    aliyun.receipts = {failed.provider_id: "MK:0001", waiting.provider_id: "pending"}
    counts = receipts_poll()
    assert (counts.delivered, counts.failed, counts.waiting, counts.errors) == (1, 1, 1, 0)
    for d in (delivered, failed, waiting):
        d.refresh_from_db()
    assert delivered.state == State.DELIVERED and delivered.provider_code == "DELIVERED" and delivered.finished_at
    assert failed.state == State.FAILED and failed.provider_code == "MK:0001"
    assert waiting.state == State.SENT and waiting.receipt_checked_at
    query = aliyun.received[-1]  # a signed QuerySendDetails (the fake checked its signature and nonce)
    assert query["Action"] == "QuerySendDetails" and query["PhoneNumber"] == "13800000001"
    assert query["BizId"] == waiting.provider_id and len(query["SendDate"]) == 8

    calls = len(aliyun.received)
    assert receipts_poll().waiting == 0 and len(aliyun.received) == calls  # asked again only after 5 minutes
    aliyun.receipts = {}
    assert receipts_poll(now=timezone.now() + timedelta(minutes=6)).delivered == 1
    waiting.refresh_from_db()
    assert waiting.state == State.DELIVERED
    # a delivered or failed message is not asked again; a failed receipt does not turn into a success
    assert receipts_poll(now=timezone.now() + timedelta(minutes=20)).delivered == 0
    failed.refresh_from_db()
    assert failed.state == State.FAILED and failed.provider_code == "MK:0001"


def test_a_wrong_key_stops_the_aliyun_poll_and_changes_nothing(world, aliyun, settings):
    delivery = _sent(world)
    settings.MESSAGING_ALIYUN = {**settings.MESSAGING_ALIYUN, "access_key_secret": "wrong"}
    assert receipts_poll().errors == 1
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.receipt_checked_at is None


def test_tencent_receipts_are_pulled_once_from_its_queue(world, tencent):
    delivered, failed = _sent(world), _sent(world)
    tencent.receipts = {failed.provider_id: "MK:0005"}
    counts = receipts_poll()
    assert (counts.delivered, counts.failed, counts.errors) == (1, 1, 0)
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.state == State.DELIVERED and delivered.provider_code == "DELIVRD"
    assert failed.state == State.FAILED and failed.provider_code == "MK:0005"
    assert tencent.received[-1]["headers"]["X-TC-Action"] == "PullSmsSendStatus"
    assert tencent.received[-1]["body"] == {"Limit": 100, "SmsSdkAppId": "1400006666"}
    assert receipts_poll().delivered == 0  # the queue is empty now

    # the same receipt again (a push and a pull overlapping), and one for a message we never sent: nothing moves
    assert not receipt_apply(provider="tencent", provider_id=delivered.provider_id, delivered=False, code="MK:0001")
    assert not receipt_apply(provider="tencent", provider_id="5000:0000", delivered=True, code="DELIVRD")
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED and delivered.provider_code == "DELIVRD"


def test_the_scheduler_polls_receipts_each_minute(world, tencent):
    delivery = _sent(world)
    keys = schedule_due()
    assert any(k.startswith("notifications.receipts@") for k in keys)
    jobs_run_pending()
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert Job.objects.get(name="notifications.receipts").summary.startswith("回执：送达 1")


def test_wechat_template_receipts_arrive_on_the_signed_callback(world, wechat, client):
    MessagePreference.objects.create(person=world.people["resident"], sms=False, wechat=True,
                                     wechat_openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    delivered, blocked = _sent(world), _sent(world)
    assert delivered.channel == "wechat" and delivered.provider_id in wechat.sent

    forged = wechat_push(client, TOKEN, wechat.job_finish(delivered.provider_id), forged=True)
    assert forged.status_code == 403
    unsigned = client.post("/wechat/callback", data=wechat.job_finish(delivered.provider_id), content_type="text/xml")
    assert unsigned.status_code == 403
    delivered.refresh_from_db()
    assert delivered.state == State.SENT  # nothing changed

    response = wechat_push(client, TOKEN, wechat.job_finish(delivered.provider_id))
    assert response.status_code == 200 and response.content == b"success"
    assert wechat_push(client, TOKEN, wechat.job_finish(blocked.provider_id, "failed:user block")).status_code == 200
    assert wechat_push(client, TOKEN, wechat.job_finish("999999", "success")).status_code == 200  # unknown: ignored
    assert wechat_push(client, TOKEN, wechat.job_finish(delivered.provider_id, "failed: system failed")).status_code == 200
    delivered.refresh_from_db()
    blocked.refresh_from_db()
    assert delivered.state == State.DELIVERED and delivered.provider_code == "success"  # the repeat changed nothing
    assert blocked.state == State.FAILED and blocked.provider_code == "failed:user block"


def test_the_callback_answers_wechats_url_check_and_refuses_bad_bodies(world, wechat, client):
    import hashlib

    timestamp, nonce = "1714036504", "1514711492"
    signature = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()
    query = f"signature={signature}&timestamp={timestamp}&nonce={nonce}"
    assert client.get(f"/wechat/callback?{query}&echostr=8179512935621398412").content == b"8179512935621398412"
    assert client.get(f"/wechat/callback?signature=0{signature[1:]}&timestamp={timestamp}&nonce={nonce}"
                      "&echostr=1").status_code == 403
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'
    assert wechat_push(client, TOKEN, bomb).status_code == 400
    assert wechat_push(client, TOKEN, b"not xml").status_code == 400
