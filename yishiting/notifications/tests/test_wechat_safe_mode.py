"""The official account in safe mode (安全模式) and compatible mode: encrypted bodies are checked against
msg_signature, decrypted with the EncodingAESKey and handled like plaintext ones; a passive reply goes back
encrypted. The scheme is checked against WeChat's own published sample (消息加解密说明 / WXBizMsgCrypt)."""

from __future__ import annotations

import time
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone

from yishiting.notifications.callback import wechat_signature
from yishiting.notifications.models import Delivery, MessagePreference
from yishiting.notifications.wechat_crypto import (
    WechatCryptoError,
    aes_key,
    decrypt,
    encrypt,
    msg_signature,
    msg_signature_valid,
)

from .fakes import wechat_text
from .test_binding import _code

pytestmark = pytest.mark.django_db
TOKEN = "callbackToken"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
APP_ID = "wxtestappid"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

# WeChat's sample (the message-encryption guide's test vector): token, EncodingAESKey, AppID, the query's timestamp
# and nonce, its msg_signature and the <Encrypt> of a text message "abcdteT".
SAMPLE = {
    "token": "spamtest", "key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "app_id": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669", "nonce": "1320562132", "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    "encrypt": "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmO"
               "D2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8"
               "dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfR"
               "d5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehV"
               "sNPfUM669WuMyVWQLCzpu9GhglF2PE=",
}


def test_wechats_sample_verifies_and_decrypts():
    s = SAMPLE
    assert msg_signature(s["token"], s["timestamp"], s["nonce"], s["encrypt"]) == s["msg_signature"]
    assert msg_signature_valid(s["msg_signature"].upper(), s["token"], s["timestamp"], s["nonce"], s["encrypt"])
    message = ElementTree.fromstring(decrypt(aes_key(s["key"]), s["encrypt"], s["app_id"]))
    assert message.findtext("Content") == "abcdteT" and message.findtext("MsgId") == "6054768590064713728"
    with pytest.raises(WechatCryptoError):  # addressed to another account
        decrypt(aes_key(s["key"]), s["encrypt"], "wx0000000000000000")
    with pytest.raises(WechatCryptoError):  # tampered: the padding no longer checks
        decrypt(aes_key(s["key"]), s["encrypt"][:-8] + "AAAAAAA=", s["app_id"])
    # our encryption is what that decryption reads, for every length around the 32-byte blocks
    key = aes_key(AES_KEY)
    for length in range(0, 70):
        body = ("议" * length).encode()[:length]
        assert decrypt(key, encrypt(key, body, APP_ID), APP_ID) == body
    with pytest.raises(ValueError):
        aes_key("short")


@pytest.fixture(autouse=True)
def safe_mode(settings):
    settings.MESSAGING_WECHAT_BACKEND = "memory"
    settings.MESSAGING_WECHAT = {**settings.MESSAGING_WECHAT, "token": TOKEN, "app_id": APP_ID,
                                 "encoding_aes_key": AES_KEY, "account_name": "幸福苑议事厅"}
    cache.clear()


def _push(client, message: bytes, *, app_id: str = APP_ID, forged: bool = False, plaintext_copy: bool = False):
    """POST `message` as WeChat does in safe mode: <Encrypt> in the body, signature and msg_signature in the
    query with encrypt_type=aes (`plaintext_copy`: compatible mode, the plaintext fields beside it)."""
    timestamp, nonce = str(int(time.time())), "1320562132"
    encrypted = encrypt(aes_key(AES_KEY), message, app_id)
    signature = wechat_signature(TOKEN, timestamp, nonce)  # the plain check WeChat sends in every mode
    msg_sig = msg_signature("forged" if forged else TOKEN, timestamp, nonce, encrypted)
    inner = message.decode()[len("<xml>"):-len("</xml>")] if plaintext_copy else ""
    body = f"<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName>{inner}<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return client.post(f"/wechat/callback?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={OPENID}"
                       f"&encrypt_type=aes&msg_signature={msg_sig}", data=body.encode(), content_type="text/xml")


def _opened(response) -> str:
    """The passive reply WeChat decrypts: the envelope's signature checks and the plaintext is for our AppID."""
    envelope = ElementTree.fromstring(response.content)
    encrypted = envelope.findtext("Encrypt")
    assert msg_signature_valid(envelope.findtext("MsgSignature"), TOKEN, envelope.findtext("TimeStamp"),
                               envelope.findtext("Nonce"), encrypted)
    return decrypt(aes_key(AES_KEY), encrypted, APP_ID).decode()


@pytest.mark.parametrize("plaintext_copy", [False, True], ids=["safe", "compatible"])
def test_an_encrypted_binding_code_binds_and_the_reply_goes_back_encrypted(world, as_persona, client, plaintext_copy):
    code = _code(as_persona("resident"))
    response = _push(client, wechat_text(OPENID, f"绑定 {code}"), plaintext_copy=plaintext_copy)
    assert response.status_code == 200 and b"<Encrypt>" in response.content and "绑定成功".encode() not in response.content
    reply = _opened(response)
    assert "绑定成功" in reply and f"<ToUserName><![CDATA[{OPENID}]]>" in reply
    assert MessagePreference.objects.get(person=world.people["resident"]).wechat_openid == OPENID


def test_an_encrypted_receipt_is_applied_and_forgeries_change_nothing(world, client, settings):
    MessagePreference.objects.create(person=world.people["resident"], sms=False, wechat=True, wechat_openid=OPENID)
    delivery = Delivery.objects.create(person=world.people["resident"], channel="wechat", to=OPENID, text="已受理",
                                       state=Delivery.State.SENT, provider="wechat", provider_id="200228332",
                                       next_attempt_at=timezone.now(), sent_at=timezone.now())
    finish = (f"<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[{OPENID}]]>"
              f"</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType>"
              f"<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200228332</MsgID>"
              f"<Status><![CDATA[success]]></Status></xml>").encode()

    assert _push(client, finish, forged=True).status_code == 403  # msg_signature made with another token
    assert _push(client, finish, app_id="wx0000000000000000").status_code == 400  # another account's message
    settings.MESSAGING_WECHAT = {**settings.MESSAGING_WECHAT, "encoding_aes_key": ""}
    assert _push(client, finish).status_code == 400  # safe mode on the account, no key here: refused, logged
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT

    settings.MESSAGING_WECHAT = {**settings.MESSAGING_WECHAT, "encoding_aes_key": AES_KEY}
    response = _push(client, finish)
    assert response.status_code == 200 and response.content == b"success"  # nothing to reply: plain "success"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.provider_code) == (Delivery.State.DELIVERED, "success")
