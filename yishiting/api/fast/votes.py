"""POST /api/v1/votes/{id}/ballots, an owner's own online ballot, in one prepared statement.

The statement is `deliberation.services.cast_statement`'s — the one `vote_cast` tries first — with the token
lookup in front: token → active user → person → the unit's owners → ballot, event and chain head, and the
token's last use. It writes only what `vote_cast` would accept; when it writes nothing (unknown or revoked
token, a vote that is closed, secret or missing, a choice not offered, already voted, a proxy holder, someone
outside the electorate) Django gets the request and answers as it always does.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import cache

from django.utils import timezone

from yishiting.accounts.models import ApiToken, User
from yishiting.common.events import Column, first_event_sql
from yishiting.common.prepared import execute_prepared
from yishiting.deliberation.choices import BallotChannel
from yishiting.deliberation.models import Ballot
from yishiting.deliberation.services.cast_statement import cast_params, fast_cast_statement

from . import Answer, Call, created

FIELDS = {"choice", "household_id"}
MAX_BODY = 4096  # a ballot's body is tiny
MAX_CHOICE = 100  # BallotIn.choice


def cast(call: Call) -> Answer | None:
    payload = _payload(call.body)
    if payload is None:
        return None
    choice, asked = payload
    vote_id, now = int(call.match[1]), timezone.now()
    events, params = first_event_sql(
        source="src", subject_type=Ballot._meta.label_lower, kind="ballot.cast", actor=Column("actor_id"), at=now,
        payload={"vote": vote_id, "channel": BallotChannel.ONLINE.value, "household": Column("household_id"),
                 "proxy": None, "choice": choice})
    params.update(cast_params(vote_id=vote_id, choice=choice, asked=asked, now=now),
                  digest=hashlib.sha256(call.secret.encode()).hexdigest(), stale=now - timedelta(minutes=1))
    row = execute_prepared(_statement(events), params)
    if row is None:
        return None
    # What ninja sends for `BallotOut`: its fields in its order (the schema adds nothing to these values).
    return created({"id": row[0], "vote_id": vote_id, "household_id": row[1], "channel": "online",
                    "proxy_id": None, "choice": choice, "cast_at": now})


def _payload(body: bytes) -> tuple[str, int | None] | None:
    """(choice, household asked for) from a body `BallotIn` accepts unchanged; None for anything else."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not set(data) <= FIELDS:
        return None
    choice, asked = data.get("choice"), data.get("household_id")
    if type(choice) is not str or not choice or choice != choice.strip() or len(choice) > MAX_CHOICE:
        return None
    if asked is not None and (type(asked) is not int or not 0 < asked < 2**63):
        return None
    return choice, asked


@cache
def _statement(events: str) -> str:
    return fast_cast_statement(token_table=ApiToken._meta.db_table, user_table=User._meta.db_table, events=events)

