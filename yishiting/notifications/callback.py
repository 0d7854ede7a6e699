"""The WeChat official account's callback (服务器配置 URL): `/wechat/callback`.

Every request WeChat makes carries `signature`, `timestamp` and `nonce` in its query; signature =
sha1(the three strings token, timestamp, nonce sorted and joined), token being the one set in the account's server
configuration (WECHAT_CALLBACK_TOKEN). A request that does not verify is refused (403) before its body is read.

- GET with `echostr`: the account's URL check — echostr is answered as it came.
- POST, the XML of a message or an event (plaintext mode; in compatible mode the plaintext fields are read too):
  - event TEMPLATESENDJOBFINISH: a template message's receipt (Status `success`, `failed:user block`,
    `failed: system failed`) → receipts.receipt_apply by MsgID;
  - a text message holding a binding code → binding.wechat_bind for the sender's openid, answered with a passive
    text reply saying whether it worked;
  - anything else: answered `success` (WeChat's "nothing to reply").
"""

from __future__ import annotations

import hashlib
import hmac
import logging
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
from .receipts import receipt_apply

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


def wechat_signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def signature_valid(request: HttpRequest, token: str) -> bool:
    signature = request.GET.get("signature", "")
    expected = wechat_signature(token, request.GET.get("timestamp", ""), request.GET.get("nonce", ""))
    return bool(signature) and hmac.compare_digest(signature.lower(), expected)


def _parse(body: bytes) -> dict[str, str] | None:
    """The message's top-level fields. No DTD is accepted (no entities to expand)."""
    if b"<!" in body.replace(b"<![CDATA[", b""):
        return None
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    return {child.tag: (child.text or "").strip() for child in root}


def _reply(message: dict[str, str], text: str) -> HttpResponse:
    """A passive text reply (被动回复用户消息): to the sender, from the account."""
    xml = (f"<xml><ToUserName><![CDATA[{message.get('FromUserName', '')}]]></ToUserName>"
           f"<FromUserName><![CDATA[{message.get('ToUserName', '')}]]></FromUserName>"
           f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           f"<Content><![CDATA[{text.replace(']]>', '')}]]></Content></xml>")
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@csrf_exempt
def wechat_callback(request: HttpRequest) -> HttpResponse:
    token = (getattr(settings, "MESSAGING_WECHAT", {}) or {}).get("token", "")
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
    message = _parse(request.body)
    if message is None:
        return HttpResponseBadRequest("bad xml")
    openid = message.get("FromUserName", "")
    if message.get("MsgType") == "event" and message.get("Event") == "TEMPLATESENDJOBFINISH":
        status = message.get("Status", "")
        receipt_apply(provider="wechat", provider_id=message.get("MsgID", message.get("MsgId", "")),
                      delivered=status == "success", code=status)
        return HttpResponse("success", content_type="text/plain")
    if message.get("MsgType") == "text" and openid:
        code = code_in_text(message.get("Content", ""))
        if code is not None:
            try:
                wechat_bind(openid=openid, code=code)
            except DomainError as exc:
                return _reply(message, exc.message)
            return _reply(message, gettext("绑定成功：议事厅的消息将发到这个微信。"))
    return HttpResponse("success", content_type="text/plain")
