"""The providers' signing against their published examples, and each adapter against its fake server (which
checks the signature itself and answers with the documented bodies): sent, retried, failed for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.notifications.delivery import deliver_pending
from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.providers import AliyunSms, Outgoing
from yishiting.notifications.services import notify
from yishiting.notifications.signing import aliyun_signature, tc3_canonical_request, tc3_signature

from .fakes import FakeAliyun, FakeWechat

State = Delivery.State


def test_aliyun_rpc_signature_of_the_published_sendsms_example():
    """Alibaba Cloud's SMS signature document: AccessKeySecret testSecret, these parameters, this signature."""
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert aliyun_signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_tc3_signature_of_the_published_example():
    """Tencent Cloud's signature v3 document: DescribeInstances on cvm at 1551113065 (2019-02-25)."""
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    canonical = tc3_canonical_request(method="POST", host="cvm.tencentcloudapi.com",
                                      content_type="application/json; charset=utf-8", payload=payload)
    assert canonical.endswith("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
    # the document's key, as printed (the newer revision masks its tail), and its older EXAMPLE key
    assert tc3_signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3*******", service="cvm", timestamp=1551113065,
                         canonical_request=canonical) == "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    assert tc3_signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service="cvm", timestamp=1551113065,
                         canonical_request=canonical) == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def _one(world, text="您的诉求已受理", **kwargs) -> Delivery:
    notify(person=world.people["resident"], text=text, **kwargs)
    return Delivery.objects.latest("pk")


@pytest.mark.django_db
def test_aliyun_sends_retries_a_transient_error_and_fails_a_permanent_one(world, aliyun):
    delivery = _one(world)
    assert delivery.state == State.QUEUED and not aliyun.received  # nothing leaves from the request
    assert deliver_pending().sent == 1
    delivery.refresh_from_db()
    sent = aliyun.received[-1]
    assert delivery.state == State.SENT and delivery.provider == "aliyun" and delivery.provider_code == "OK"
    assert delivery.provider_id.startswith("9006197469364984") and delivery.attempts == 1
    assert sent["PhoneNumbers"] == "13800000001" and sent["TemplateCode"] == "SMS_1001"
    assert sent["TemplateParam"] == '{"content":"您的诉求已受理"}' and sent["OutId"] == str(delivery.pk)

    aliyun.script = ["isp.SYSTEM_ERROR"]  # transient: queued again for later, with the provider's code
    delivery = _one(world)
    now = timezone.now()
    assert deliver_pending(now=now).retried == 1
    delivery.refresh_from_db()
    assert delivery.state == State.QUEUED and delivery.attempts == 1 and delivery.provider_code == "isp.SYSTEM_ERROR"
    assert now + timedelta(seconds=15) <= delivery.next_attempt_at <= now + timedelta(seconds=30)  # 30 s, jittered
    assert deliver_pending(now=now).sent == 0  # not due yet
    assert deliver_pending(now=now + timedelta(seconds=31)).sent == 1
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2

    aliyun.script = ["isv.MOBILE_NUMBER_ILLEGAL"]  # permanent: failed at once, never sent again
    delivery = _one(world)
    deliver_pending()
    deliver_pending(now=timezone.now() + timedelta(days=1))
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.provider_code == "isv.MOBILE_NUMBER_ILLEGAL"
    assert delivery.provider_message == "非法手机号" and delivery.attempts == 1

    aliyun.script = ["isv.BUSINESS_LIMIT_CONTROL"]  # the number's flow control: retried in an hour
    delivery = _one(world)
    now = timezone.now()
    deliver_pending(now=now)
    delivery.refresh_from_db()
    assert delivery.state == State.QUEUED and delivery.next_attempt_at == now + timedelta(hours=1)


@pytest.mark.django_db
def test_aliyun_gives_up_after_the_last_attempt_and_a_wrong_secret_is_permanent(world, aliyun, settings):
    settings.MESSAGING_MAX_ATTEMPTS = 2
    aliyun.script = ["ServiceUnavailable", "Throttling.User"]
    delivery = _one(world)
    later = timezone.now()
    for _ in range(2):
        deliver_pending(now=later)
        later += timedelta(hours=2)
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.attempts == 2 and delivery.provider_code == "Throttling.User"

    settings.MESSAGING_ALIYUN = {**settings.MESSAGING_ALIYUN, "access_key_secret": "wrong"}
    delivery = _one(world)
    deliver_pending()
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.provider_code == "SignatureDoesNotMatch"


def test_the_aliyun_fake_refuses_a_replayed_nonce(settings):
    fake = FakeAliyun()
    try:
        provider = AliyunSms({"endpoint": fake.url, "access_key_id": "testId", "access_key_secret": "testSecret",
                              "sign_name": "议事厅", "templates": {"notice": "SMS_1"}})
        out = Outgoing(channel="sms", to="13800000001", text="x", params={"content": "x"})
        assert provider.send(out).ok
        import requests

        replay = requests.post(fake.url, data=fake.received[-1], timeout=5).json()
        assert replay["Code"] == "SignatureNonceUsed"
    finally:
        fake.close()


@pytest.mark.django_db
def test_tencent_sends_and_classifies_its_codes(world, tencent):
    delivery = _one(world)
    deliver_pending()
    delivery.refresh_from_db()
    request = tencent.received[-1]
    assert delivery.state == State.SENT and delivery.provider_code == "Ok" and delivery.provider_id.startswith("5000:")
    assert request["body"]["PhoneNumberSet"] == ["+8613800000001"] and request["body"]["TemplateId"] == "449739"
    assert request["body"]["TemplateParamSet"] == ["您的诉求已受理"] and request["body"]["SmsSdkAppId"] == "1400006666"
    assert request["headers"]["X-TC-Action"] == "SendSms" and request["body"]["SessionContext"] == str(delivery.pk)

    tencent.script = ["LimitExceeded.PhoneNumberDailyLimit", "InternalError.Timeout",
                      "InvalidParameterValue.IncorrectPhoneNumber"]
    limited, timed_out, wrong = _one(world), _one(world), _one(world)
    now = timezone.now()
    deliver_pending(now=now)
    for d in (limited, timed_out, wrong):
        d.refresh_from_db()
    assert limited.state == State.QUEUED and limited.next_attempt_at == now + timedelta(hours=6)
    assert timed_out.state == State.QUEUED and timed_out.provider_code == "InternalError.Timeout"
    # the provider's fault stops this run's calls to it: the third waits, unattempted
    assert wrong.state == State.QUEUED and wrong.attempts == 0
    tencent.script = [None, "InvalidParameterValue.IncorrectPhoneNumber"]  # the timed-out one goes through now
    deliver_pending(now=now + timedelta(minutes=2))
    wrong.refresh_from_db()
    assert wrong.state == State.FAILED and wrong.provider_code == "InvalidParameterValue.IncorrectPhoneNumber"

    tencent.secret_key = "rotated"  # the server no longer accepts our key: permanent
    delivery = _one(world)
    deliver_pending()
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.provider_code == "AuthFailure.SignatureFailure"


@pytest.mark.django_db
def test_wechat_template_and_subscription_messages(world, settings, messages_outbox):
    fake = FakeWechat()
    try:
        settings.MESSAGING_WECHAT_BACKEND = "wechat"
        settings.MESSAGING_WECHAT = {"api_base": fake.url, "app_id": "wxtestappid", "app_secret": "wxsecret",
                                     "mode": "template", "template_id": "TPL_DEMAND", "content_field": "thing1",
                                     "time_field": "", "site_url": "https://yst.example.cn"}
        MessagePreference.objects.create(person=world.people["resident"], sms=False, wechat=True,
                                         wechat_openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
        delivery = _one(world, link="/demands/1/")
        deliver_pending()
        delivery.refresh_from_db()
        sent = fake.received[-1]
        assert delivery.channel == "wechat" and delivery.state == State.SENT and delivery.provider_code == "0"
        assert sent["path"] == "/cgi-bin/message/template/send" and sent["body"]["touser"].startswith("oUpF8")
        assert sent["body"]["data"] == {"thing1": {"value": "您的诉求已受理"}}
        assert sent["body"]["url"] == "https://yst.example.cn/demands/1/" and delivery.provider_id
        assert not messages_outbox  # SMS switched off by the person

        fake.script = ["revoke"]  # the token was replaced elsewhere: renewed once, sent
        delivery = _one(world)
        deliver_pending()
        delivery.refresh_from_db()
        assert delivery.state == State.SENT and fake.token_calls == 2

        fake.script = [43101, 45009]
        refused, quota = _one(world), _one(world)
        deliver_pending()
        refused.refresh_from_db()
        quota.refresh_from_db()
        assert refused.state == State.FAILED and refused.provider_code == "43101"
        assert quota.state == State.QUEUED and quota.provider_code == "45009"

        settings.MESSAGING_WECHAT = {**settings.MESSAGING_WECHAT, "mode": "subscribe"}
        delivery = _one(world)
        deliver_pending()
        delivery.refresh_from_db()
        assert delivery.state == State.SENT and fake.received[-1]["path"] == "/cgi-bin/message/subscribe/bizsend"
        assert fake.received[-1]["body"]["page"] == ""
    finally:
        fake.close()
