"""Who could fill each missing 1+8+N party of a plan (docs/parties.md): a few people in the matter's place who
hold it and whom the planner may invite, shown as the person picker shows them (names clear only where the
planner may unmask, one audit entry; else masked). The plan page and the API's check both ask here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from yishiting.areas.models import Area, Person
from yishiting.areas.pickers import PersonRow, rows_for

from .. import wording
from ..choices import EIGHT_PARTIES, Party
from ..rules import invitable_q
from .parties import holder_candidates, party_scope


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


def missing_party_holders(user, level: Area, topics: Iterable, listed: Iterable[int], missing: Iterable[str], *,
                          request=None, reason: str = "plan:party_holders") -> list[MissingParty]:
    """For each missing party of the eight, a few people the planner may invite who hold it in the topics'
    place and are not on the list yet (`listed`); the free parties (利益相关方 …) have no candidates."""
    scope, pool = party_scope(level, list(topics)), Person.objects.filter(invitable_q(user, level))
    found, listed = [], list(listed)
    for party in missing:
        if party not in EIGHT_PARTIES:
            continue
        pairs, more = holder_candidates(party, scope, pool, exclude=listed)
        found.append(MissingParty(party, str(Party(party).label), str(wording.HOLDERS[party]),
                                  rows_for(user, pairs, request=request, reason=reason), more))
    return found
