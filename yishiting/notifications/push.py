"""Receipts the SMS providers push: `POST /sms/receipts/<aliyun|tencent>/<token>` (docs/messaging.md, "Receipts
pushed by the providers").

Neither provider signs its pushes, so the address itself is the credential: `MESSAGING_RECEIPT_PUSH_TOKEN` (a
random string of 24+ characters) is its last part, compared in constant time; without it both addresses answer
404, a wrong one 404 too (nothing tells a prober the address exists). A forged push would also need the
provider's id of a message we sent (receipt_apply ignores the rest), and moves a message only from `sent`.

The body is the provider's JSON array (Alibaba's SmsReport in HTTP batch push mode; Tencent's 短信下发状态通知),
at most 1 MB. The answer is the one each provider documents — Alibaba `{"code": 0, "msg": "接收成功"}`, Tencent
`{"result": 0, "errmsg": "OK"}` — also for reports of ids we do not know (so the provider does not push them
again); a body that is not a JSON array answers 400, which the provider retries and then drops.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .receipts import receipts_pushed

logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
ANSWERS = {"aliyun": {"code": 0, "msg": "接收成功"}, "tencent": {"result": 0, "errmsg": "OK"}}


@csrf_exempt
@require_POST
def sms_receipt_push(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    expected = settings.MESSAGING_RECEIPT_PUSH_TOKEN
    if provider not in ANSWERS or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return HttpResponseNotFound()
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        items = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        items = None
    if not isinstance(items, list):
        return JsonResponse({"code": 400, "msg": "body must be a JSON array"} if provider == "aliyun"
                            else {"result": 400, "errmsg": "body must be a JSON array"}, status=400)
    counts = receipts_pushed(provider, items)
    logger.info("%s receipts pushed: %s", provider, counts.summary())
    return JsonResponse(ANSWERS[provider], json_dumps_params={"ensure_ascii": False})
