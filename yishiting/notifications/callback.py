"""The WeChat official account's callback (服务器配置 URL): `/wechat/callback`.

Every request WeChat makes carries `signature`, `timestamp` and `nonce` in its query; signature =
sha1(the three strings token, timestamp, nonce sorted and joined), token being the one set in the account's server
configuration (WECHAT_CALLBACK_TOKEN). A request that does not verify is refused (403) before its body is read.

- GET with `echostr`: the account's URL check — echostr is answered as it came.
- POST, the XML of a message or an event — in plaintext mode as it comes; with `encrypt_type=aes` in the query
  (safe mode, and compatible mode) its <Encrypt> is checked against `msg_signature`, decrypted with the
  EncodingAESKey (wechat_crypto) and handled the same, a passive reply going back encrypted:
  - event TEMPLATESENDJOBFINISH: a template message's receipt (Status `success`, `failed:user block`,
    `failed: system failed`) → receipts.receipt_apply by MsgID;
  - event subscribe_msg_sent_event: a subscription message's receipt (ErrorCode 0, or ErrorStatus
    `failed:user block` …) → receipts.subscription_receipt_apply by openid (bizsend returns no msgid);
  - a text message holding a binding code → binding.wechat_bind for the sender's openid, answered with a passive
    text reply saying whether it worked;
  - anything else: answered `success` (WeChat's "nothing to reply").
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from xml.etree import ElementTree

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from yishiting.common.errors import DomainError

from .binding import code_in_text, wechat_bind
from .receipts import receipt_apply, subscription_receipt_apply
from .wechat_crypto import WechatCryptoError, aes_key, decrypt, envelope, msg_signature_valid

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


def wechat_signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def signature_valid(request: HttpRequest, token: str) -> bool:
    signature = request.GET.get("signature", "")
    expected = wechat_signature(token, request.GET.get("timestamp", ""), request.GET.get("nonce", ""))
    return bool(signature) and hmac.compare_digest(signature.lower(), expected)


def _root(body: bytes) -> ElementTree.Element | None:
    """The message's XML. No DTD is accepted (no entities to expand)."""
    if b"<!" in body.replace(b"<![CDATA[", b""):
        return None
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None


def _fields(root: ElementTree.Element) -> dict[str, str]:
    return {child.tag: (child.text or "").strip() for child in root}


def _reply_xml(message: dict[str, str], text: str) -> bytes:
    """A passive text reply (被动回复用户消息): to the sender, from the account."""
    return (f"<xml><ToUserName><![CDATA[{message.get('FromUserName', '')}]]></ToUserName>"
            f"<FromUserName><![CDATA[{message.get('ToUserName', '')}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text.replace(']]>', '')}]]></Content></xml>").encode()


def _success() -> HttpResponse:
    return HttpResponse("success", content_type="text/plain")  # WeChat's "nothing to reply", in either mode


def _subscription_receipts(root: ElementTree.Element, openid: str) -> None:
    """subscribe_msg_sent_event: one <List> per subscription message sent to `openid` (TemplateId, MsgID,
    ErrorCode, ErrorStatus)."""
    for item in root.iter("List"):
        fields = _fields(item)
        subscription_receipt_apply(openid=openid, msg_id=fields.get("MsgID", ""),
                                   delivered=fields.get("ErrorCode", "") == "0",
                                   code=fields.get("ErrorStatus", "") or fields.get("ErrorCode", ""))


def _handle(root: ElementTree.Element) -> bytes | None:
    """What a message or event does; the passive reply to send back, or None for `success`."""
    message = _fields(root)
    openid = message.get("FromUserName", "")
    event = message.get("Event", "") if message.get("MsgType") == "event" else ""
    if event == "TEMPLATESENDJOBFINISH":
        status = message.get("Status", "")
        receipt_apply(provider="wechat", provider_id=message.get("MsgID", message.get("MsgId", "")),
                      delivered=status == "success", code=status)
    elif event == "subscribe_msg_sent_event" and openid:
        _subscription_receipts(root, openid)
    elif message.get("MsgType") == "text" and openid:
        code = code_in_text(message.get("Content", ""))
        if code is not None:
            try:
                wechat_bind(openid=openid, code=code)
            except DomainError as exc:
                return _reply_xml(message, exc.message)
            return _reply_xml(message, gettext("绑定成功：议事厅的消息将发到这个微信。"))
    return None


@csrf_exempt
def wechat_callback(request: HttpRequest) -> HttpResponse:
    config = getattr(settings, "MESSAGING_WECHAT", {}) or {}
    token = config.get("token", "")
    if not token:  # no official account configured
        return HttpResponseNotFound()
    if not signature_valid(request, token):
        logger.warning("wechat callback: bad signature from %s", request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden("invalid signature")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return HttpResponse(status=413)
    root = _root(request.body)
    if root is None:
        return HttpResponseBadRequest("bad xml")
    if request.GET.get("encrypt_type", "raw") != "aes":  # 明文模式 (or a 兼容模式 account's plaintext copy)
        reply = _handle(root)
        return HttpResponse(reply, content_type="application/xml; charset=utf-8") if reply else _success()
    return _encrypted(request, root, config, token)


def _encrypted(request: HttpRequest, root: ElementTree.Element, config: dict, token: str) -> HttpResponse:
    """安全模式 / 兼容模式: the <Encrypt> value is checked against msg_signature, decrypted (our AppID inside), and
    handled as the plaintext message; a passive reply goes back encrypted."""
    if not config.get("encoding_aes_key"):
        logger.warning("wechat callback: an encrypted message, but WECHAT_ENCODING_AES_KEY is not set")
        return HttpResponseBadRequest("encrypted message: no EncodingAESKey configured")
    key = aes_key(config["encoding_aes_key"])
    encrypted = _fields(root).get("Encrypt", "")
    timestamp, nonce = request.GET.get("timestamp", ""), request.GET.get("nonce", "")
    if not msg_signature_valid(request.GET.get("msg_signature", ""), token, timestamp, nonce, encrypted):
        logger.warning("wechat callback: bad msg_signature from %s", request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden("invalid msg_signature")
    try:
        inner = _root(decrypt(key, encrypted, config.get("app_id", "")))
    except WechatCryptoError as exc:
        logger.warning("wechat callback: cannot decrypt (%s)", exc)
        return HttpResponseBadRequest("cannot decrypt")
    if inner is None:
        return HttpResponseBadRequest("bad xml")
    reply = _handle(inner)
    if reply is None:
        return _success()
    body = envelope(key, token, config.get("app_id", ""), reply, timestamp=str(int(time.time())),
                    nonce=str(secrets.randbelow(10 ** 10)))
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
