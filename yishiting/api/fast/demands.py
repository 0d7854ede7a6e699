"""POST /api/v1/demands (JSON, no photos): the ninja view's own work without Django's request machinery.

Intake comes in bursts too (a questionnaire day, a link posted in a WeChat group; issue 3 asks for 500 a
second). Under load, a submission's CPU split about evenly between the work itself and what wraps it: the
request and response objects, eleven middlewares, URL resolution and ninja's parameter machinery. Here the work
is the very code the view runs — the body checked by the view's schema (`DemandIn`), the caller found by the
same token lookup, `submission_of` and `demand_submit` (on PostgreSQL one prepared statement:
demands.submit_sql), `submitted` for the reply, rendered by the view's response schema and the API's renderer —
and only the wrapping is left out. tests compare the bytes with the view's.

Only a plain success is answered here. A refusal (`DomainError`: an area outside the caller's scope, a bad
category, an empty text…) is raised before anything is written, so Django gets the request and answers it
with its code and Chinese message. A retry with a known Idempotency-Key writes nothing and goes to Django too,
which hands back the first demand. Once the demand is written, the request never goes to Django (it would write
it a second time): a failure after that point (a connection lost between commit and reply) is the view's own
503 with Retry-After, telling the client to retry with the same Idempotency-Key (`stored_without_reply`).
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from yishiting.accounts.services import token_authenticate
from yishiting.api.routers.demands import (
    RETRY_AFTER_SECONDS,
    idempotency_key,
    stored_without_reply,
    submission_of,
    submitted,
)
from yishiting.api.schemas.demands import DemandDetailOut, DemandIn
from yishiting.common.errors import DomainError
from yishiting.demands.services import demand_submit

from . import Answer, Call, Committed, created, error

# A 2,000-character text escaped by json.dumps (\uXXXX) is 12,000 bytes; anything longer is Django's to judge.
MAX_BODY = 16 * 1024


def submit(call: Call) -> Answer | None:
    user = token_authenticate(call.secret)
    payload = _payload(call.body)
    if user is None or payload is None:
        return None
    try:
        key = idempotency_key(call.environ.get("HTTP_IDEMPOTENCY_KEY", ""))
        demand = demand_submit(actor=user, submission=submission_of(user, payload, []), idempotency_key=key)
    except DomainError:
        return None  # refused, nothing written: Django answers with the code and the message
    if not hasattr(demand, "submitted_event"):
        return None  # a retry: nothing written now, and Django answers it from the first demand
    try:
        # What ninja sends for DemandDetailOut: the schema fills in the fields (its resolvers included).
        reply = submitted(user, demand)
        return created(DemandDetailOut.model_validate(reply, context={"request": None, "response_status": 201})
                       .model_dump())
    except Exception as exc:
        refusal = stored_without_reply(demand, key)
        answer = error(refusal.status, refusal.code, refusal.message, refusal.details,
                       (("Retry-After", str(RETRY_AFTER_SECONDS)),))
        raise Committed(f"demand {demand.pk} was written, its answer failed", answer) from exc


def _payload(body: bytes) -> DemandIn | None:
    """The body as the view's schema reads it; None for anything it refuses (Django then says why)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return DemandIn.model_validate(data)
    except ValidationError:
        return None

