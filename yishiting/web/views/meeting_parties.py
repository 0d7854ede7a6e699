"""The plan page's help with the 1+8+N parties (docs/parties.md): for each party the check finds missing, who
could fill it — a few people in the matter's place who hold it, shown as the person picker shows them (names
masked unless the planner may unmask, audited) — each added with one tap ("添加"), which puts them on the list
with that party and checks the plan again."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from yishiting.areas.models import Area
from yishiting.deliberation.choices import EIGHT_PARTIES
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors.party_holders import MissingParty, missing_party_holders

__all__ = ["MissingParty", "missing_holders", "with_holder"]


def with_holder(data: QueryDict) -> QueryDict | None:
    """The posted plan with the person of an "添加" button (`add_holder` = "<person id>:<party>") put on the list,
    ticked and labelled with that party; None when no such button was pressed or its value is not one."""
    pk, _sep, party = str(data.get("add_holder", "")).partition(":")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19 and party in EIGHT_PARTIES):
        return None
    data = data.copy()
    if pk not in data.getlist("extra"):
        data.appendlist("extra", pk)
    data[f"invite-{pk}"], data[f"party-{pk}"] = "on", party
    return data


def missing_holders(request: HttpRequest, level: Area, topic: Topic, listed: list[int],
                    missing: list[str]) -> list[MissingParty]:
    """For each missing party of the eight, a few people the planner may invite who hold it (the API's check
    answers with the same list)."""
    return missing_party_holders(request.user, level, [topic], listed, missing, request=request)
