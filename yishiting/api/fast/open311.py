"""POST /open311/v2/requests.json (a form, the api_key in it or as a Bearer token): the Open311 view's own work
without Django's request machinery — the same as api.fast.demands does for the native API.

The form is read as Django reads request.POST (a QueryDict of the body), the key owner found by the same token
lookup, the submission made by the view's `submission_from` and written by `demand_submit` (on PostgreSQL one
prepared statement), and the reply is the view's `created_reply` in the JSON the view writes. XML
(requests.xml), a key in the query string or HTTP Basic, any refusal (DomainError: no key, a bad service_code, no
location, an area outside the key's scope…) and a retry with a known Idempotency-Key go to Django, which answers
in the spec's error format; the fast try wrote nothing. Once the demand is written, a failure to answer is a 503
with Retry-After in that format (retry with the same Idempotency-Key), never a second demand.
"""

from __future__ import annotations

import json

from django.http import QueryDict

from yishiting.accounts.services import token_authenticate
from yishiting.api.routers.demands import RETRY_AFTER_SECONDS, stored_without_reply
from yishiting.common.errors import DomainError
from yishiting.demands.services import demand_submit
from yishiting.open311.intake import submission_from
from yishiting.open311.render import error
from yishiting.open311.views import created_reply, idempotency_key

from . import Answer, Call, Committed

# A 2,000-character Chinese description percent-encoded (%E8%AE%AE: 9 bytes a character) is 18,000 bytes; longer
# forms are Django's to judge.
MAX_BODY = 32 * 1024


def submit(call: Call) -> Answer | None:
    try:
        data = QueryDict(call.body, encoding="utf-8")
    except Exception:  # noqa: BLE001 — too many fields, bad encoding: Django says why
        return None
    api_key = data.get("api_key", "").strip() or call.secret or ""
    user = token_authenticate(api_key) if api_key else None
    if user is None:
        return None
    key = idempotency_key(call.environ.get("HTTP_IDEMPOTENCY_KEY", ""))
    try:
        demand = demand_submit(actor=user, submission=submission_from(user, data), idempotency_key=key)
    except DomainError:
        return None  # refused, nothing written: Django answers in the spec's error format
    if not hasattr(demand, "submitted_event"):
        return None  # a retry: nothing written now, and Django answers it from the first demand
    try:
        return Answer(201, json.dumps(created_reply(demand), ensure_ascii=False).encode())
    except Exception as exc:  # the native API's words: retry with the same key, or (without one) do not file again
        refusal = stored_without_reply(demand, key)
        answer = Answer(503, error("json", 503, refusal.message).content, (("Retry-After", str(RETRY_AFTER_SECONDS)),))
        raise Committed(f"demand {demand.pk} was written, its answer failed", answer) from exc
