"""Races on the assembly's vote, on PostgreSQL (SQLite serializes every write): a unit's liaison taps twice while
the office enters the same unit's show of hands — exactly one ballot, and the tally equals the ballots; two
staff close the same vote at once — it closes once and the unit is admitted once."""

from __future__ import annotations

import pytest

from yishiting.alliances import services
from yishiting.alliances.choices import MemberStatus
from yishiting.alliances.models import AssemblyBallot, Member
from yishiting.common.errors import DomainError
from yishiting.common.events import events_of
from yishiting.common.testing import race

from .conftest import found

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]


def _admission_vote(world):
    setup = found(world)
    member = services.member_apply(actor=world.users["unit_d"], alliance=setup.alliance,
                                   organization=setup.orgs["unit_d"], liaison=setup.people["unit_d"],
                                   application="", accepts_covenant=True)
    services.member_review(actor=world.users["community_staff"], member=member, approve=True)
    return setup, member, member.admission_votes.get()


def test_one_ballot_per_unit_whoever_taps(world):
    setup, _member, vote = _admission_vote(world)
    unit_a = setup.members["unit_a"]
    outcomes = race([lambda: services.ballot_cast(actor=world.users["unit_a"], vote=vote, choice="yes"),
                     lambda: services.ballot_cast(actor=world.users["unit_a"], vote=vote, choice="yes"),
                     lambda: services.ballot_cast(actor=world.users["community_staff"], vote=vote, choice="no",
                                                  member=unit_a)])
    won = [o for o in outcomes if isinstance(o, AssemblyBallot)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, DomainError) and o.code == "already_voted" for o in outcomes if o not in won)
    vote.refresh_from_db()
    assert vote.yes + vote.no + vote.abstain == AssemblyBallot.objects.filter(vote=vote).count() == 1


def test_a_vote_closes_once(world):
    _setup, member, vote = _admission_vote(world)
    for key in ("unit_a", "unit_b", "unit_c"):
        services.ballot_cast(actor=world.users[key], vote=vote, choice="yes")
    outcomes = race([lambda: services.vote_close(actor=world.users["community_staff"], vote=vote),
                     lambda: services.vote_close(actor=world.users["community_secretary"], vote=vote)])
    assert sorted(type(o).__name__ for o in outcomes) == ["AssemblyVote", "Conflict"], outcomes
    member = Member.objects.get(pk=member.pk)
    assert member.status == MemberStatus.ADMITTED
    assert [e.kind for e in events_of(member)].count("member.admitted") == 1
