"""The plan page's help with the 1+8+N parties (docs/parties.md): for each party the check finds missing, who
could fill it — a few people in the matter's place who hold it, shown as the person picker shows them (names
masked unless the planner may unmask, audited) — each added with one tap ("添加"), which puts them on the list
with that party and checks the plan again."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict

from yishiting.areas.models import Area, Person
from yishiting.areas.pickers import PersonRow, rows_for
from yishiting.deliberation import wording
from yishiting.deliberation.choices import EIGHT_PARTIES, Party
from yishiting.deliberation.models import Topic
from yishiting.deliberation.rules import invitable_q
from yishiting.deliberation.selectors.parties import holder_candidates, party_scope


@dataclass
class MissingParty:
    """One missing party with the people who could fill it (at most a handful) and whether there are more."""

    party: str
    label: str
    holders: str  # who may fill it, in words
    rows: list[PersonRow] = field(default_factory=list)
    more: bool = False

    @property
    def none_text(self) -> str:
        return str(wording.no_holder(self.party))


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
    """For each missing party of the eight, a few people the planner may invite who hold it in the topic's
    place and are not ticked yet (`listed`); the free parties (利益相关方 …) have no candidates."""
    scope, pool = party_scope(level, [topic]), Person.objects.filter(invitable_q(request.user, level))
    found = []
    for party in missing:
        if party not in EIGHT_PARTIES:
            continue
        pairs, more = holder_candidates(party, scope, pool, exclude=listed)
        found.append(MissingParty(party, str(Party(party).label), str(wording.HOLDERS[party]),
                                  rows_for(request.user, pairs, request=request, reason="plan:party_holders"), more))
    return found
