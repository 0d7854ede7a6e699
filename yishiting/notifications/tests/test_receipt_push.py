"""Receipts the providers push: Alibaba's SmsReport and Tencent's status callback to /sms/receipts/…/<token>, and
WeChat's subscribe_msg_sent_event for subscription messages (bizsend answers no msgid). A report moves a sent
message once; a repeated, unknown or forged one changes nothing."""

from __future__ import annotations

import json

import pytest

from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.receipts import subscription_receipt_apply

from .conftest import TOKEN
from .fakes import wechat_push
from .test_receipts import _sent

pytestmark = pytest.mark.django_db
State = Delivery.State
PUSH_TOKEN = "k3Jq9vWm2ZpX7tLr4NcY8hDs"


def _push(client, provider: str, body, token: str = PUSH_TOKEN):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/sms/receipts/{provider}/{token}", data=data, content_type="application/json")


def test_alibaba_pushes_its_smsreport_and_each_message_moves_once(world, aliyun, client, settings):
    settings.MESSAGING_RECEIPT_PUSH_TOKEN = PUSH_TOKEN
    delivered, failed = _sent(world), _sent(world)
    report = [  # Alibaba's documented SmsReport fields (HTTP 批量推送模式); one push carries several reports
        {"phone_number": "13800000001", "send_time": "2026-12-07 10:00:00", "report_time": "2026-12-07 10:00:05",
         "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
         "biz_id": delivered.provider_id, "out_id": ""},
        {"phone_number": "13800000001", "send_time": "2026-12-07 10:00:00", "report_time": "2026-12-07 10:00:07",
         "success": False, "err_code": "MK:0001", "err_msg": "停机", "sms_size": "1",
         "biz_id": failed.provider_id, "out_id": ""},
        {"biz_id": "900000000000000000^0", "success": True, "err_code": "DELIVERED"},  # not ours: ignored
        "not an object",
    ]
    response = _push(client, "aliyun", report)
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "接收成功"}
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.state == State.DELIVERED and delivered.provider_code == "DELIVERED"
    assert delivered.finished_at.isoformat().startswith("2026-12-07T02:00:05")  # Beijing time, stored in UTC
    assert failed.state == State.FAILED and failed.provider_code == "MK:0001" and failed.provider_message == "停机"

    # pushed again (Alibaba retries when unsure), now saying the opposite: nothing changes
    again = [{**report[0], "success": False, "err_code": "MK:0002"}, {**report[1], "success": True}]
    assert _push(client, "aliyun", again).json()["code"] == 0
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.state == State.DELIVERED and failed.state == State.FAILED and failed.provider_code == "MK:0001"


def test_tencent_pushes_its_status_callback(world, tencent, client, settings):
    settings.MESSAGING_RECEIPT_PUSH_TOKEN = PUSH_TOKEN
    delivered, failed = _sent(world), _sent(world)
    report = [  # Tencent's 短信下发状态通知
        {"user_receive_time": "2026-12-07 10:03:04", "nationcode": "86", "mobile": "13800000001",
         "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功",
         "sid": delivered.provider_id},
        {"user_receive_time": "2026-12-07 10:03:09", "nationcode": "86", "mobile": "13800000001",
         "report_status": "FAIL", "errmsg": "MN:0001", "description": "空号", "sid": failed.provider_id},
    ]
    response = _push(client, "tencent", report)
    assert response.status_code == 200 and response.json() == {"result": 0, "errmsg": "OK"}
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert (delivered.state, delivered.provider_code) == (State.DELIVERED, "DELIVRD")
    assert (failed.state, failed.provider_code, failed.provider_message) == (State.FAILED, "MN:0001", "空号")


def test_a_push_to_the_wrong_address_or_with_a_bad_body_changes_nothing(world, aliyun, client, settings):
    delivery = _sent(world)
    report = [{"biz_id": delivery.provider_id, "success": False, "err_code": "MK:0001"}]
    settings.MESSAGING_RECEIPT_PUSH_TOKEN = ""
    assert _push(client, "aliyun", report).status_code == 404  # not configured: the address does not exist
    settings.MESSAGING_RECEIPT_PUSH_TOKEN = PUSH_TOKEN
    assert _push(client, "aliyun", report, token=PUSH_TOKEN[:-1] + "x").status_code == 404  # a guessed token
    assert _push(client, "huawei", report).status_code == 404  # a provider we do not speak
    assert client.get(f"/sms/receipts/aliyun/{PUSH_TOKEN}").status_code == 405
    bad = _push(client, "aliyun", b"{not json")
    assert bad.status_code == 400 and bad.json()["code"] == 400
    assert _push(client, "aliyun", {"biz_id": delivery.provider_id}).status_code == 400  # an object, not an array
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.provider_code != "MK:0001"


def _subscription_event(openid: str, items: list[tuple[str, str, str]], account: str = "gh_7f083739789a") -> bytes:
    """subscribe_msg_sent_event as WeChat pushes it: one <List> per message (MsgID, ErrorCode, ErrorStatus)."""
    lists = "".join(f"<List><TemplateId><![CDATA[TPL_DEMAND]]></TemplateId><MsgID>{msg_id}</MsgID>"
                    f"<ErrorCode>{code}</ErrorCode><ErrorStatus><![CDATA[{status}]]></ErrorStatus></List>"
                    for msg_id, code, status in items)
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>1610969440</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[subscribe_msg_sent_event]]></Event>"
            f"<SubscribeMsgSentEvent>{lists}</SubscribeMsgSentEvent></xml>").encode()


def test_subscription_messages_get_their_receipts_in_the_order_they_were_sent(world, wechat_subscription, client):
    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    MessagePreference.objects.create(person=world.people["resident"], sms=False, wechat=True, wechat_openid=openid)
    first, second = _sent(world, "您的诉求已受理"), _sent(world, "您的诉求已办结")
    assert first.channel == "wechat" and first.provider_id == "" and second.provider_id == ""  # bizsend: no msgid

    assert wechat_push(client, TOKEN, _subscription_event(openid, [("1700827132819554304", "0", "success")]),
                       forged=True).status_code == 403
    response = wechat_push(client, TOKEN, _subscription_event(openid, [("1700827132819554304", "0", "success")]))
    assert response.status_code == 200 and response.content == b"success"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.provider_id, first.provider_code) == (State.DELIVERED, "1700827132819554304", "success")
    assert second.state == State.SENT

    # the same event pushed again takes no second message; another openid's event touches none of these
    wechat_push(client, TOKEN, _subscription_event(openid, [("1700827132819554304", "0", "success")]))
    wechat_push(client, TOKEN, _subscription_event("oOtherFollower000000000000000", [("17008", "0", "success")]))
    second.refresh_from_db()
    assert second.state == State.SENT

    wechat_push(client, TOKEN, _subscription_event(openid, [("1700827132819554305", "43101", "failed:user block")]))
    second.refresh_from_db()
    assert (second.state, second.provider_code) == (State.FAILED, "failed:user block")
    assert not subscription_receipt_apply(openid=openid, msg_id="1700827132819554306", delivered=True, code="success")
