"""What the events of topics, meetings, votes and ballots establish about their rows (`yishiting verify`).

A ballot's event (ballot.cast, ballot.paper_entered) records its vote, unit, channel, proxy and — except for a
secret ballot, whose event says that but never what — its choice; the row must say the same. Topics, meetings
and votes move only by `transition()`: their status is the one their events end in.
"""

from __future__ import annotations

from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import UNKNOWN, register, register_status

from .models import Ballot, Meeting, Topic, Vote

BALLOT_KINDS = ("ballot.cast", "ballot.paper_entered")
BALLOT_LABELS = {"choice": "选择", "household": "专有部分（户）", "vote": "表决", "channel": "方式", "proxy": "依据委托"}


def ballot_expect(events: list[Event]) -> dict[str, Any]:
    cast = next((e.payload for e in events if e.kind in BALLOT_KINDS), None)
    if cast is None:
        return dict.fromkeys(BALLOT_LABELS, UNKNOWN)
    return {"choice": cast.get("choice", ""), "household": cast.get("household"), "vote": cast.get("vote"),
            "channel": cast.get("channel"), "proxy": cast.get("proxy")}


def ballot_actual(ballot: Ballot) -> dict[str, Any]:
    return {"choice": ballot.choice, "household": ballot.household_id, "vote": ballot.vote_id,
            "channel": ballot.channel, "proxy": ballot.proxy_id}


def install() -> None:
    register("deliberation.ballot", expect=ballot_expect, actual=ballot_actual, labels=BALLOT_LABELS)
    for model in (Topic, Meeting, Vote):
        register_status(model)
