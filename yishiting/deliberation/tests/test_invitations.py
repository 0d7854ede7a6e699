"""Invitations beyond the planner's own register (1+8+N: the N). Who may be invited — a role × scope matrix of
planner and invitee — and what an invitation lets one do (see the meeting and its votes, sign in, speak online,
vote with the participants), while an owners' vote (Art. 278) stays with the owners of its units."""

from __future__ import annotations

import pytest

from yishiting.common.errors import DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation import rules
from yishiting.deliberation.choices import (
    EIGHT_PARTIES,
    MeetingStatus,
    Party,
    StepKind,
    TopicStatus,
    VoteMethod,
)
from yishiting.deliberation.models import Meeting, MeetingStep, Participant, Topic
from yishiting.deliberation.selectors.meetings import invitee_search, meetings_visible_to
from yishiting.deliberation.selectors.votes import votes_visible_to
from yishiting.deliberation.services.meetings import Invitee, meeting_notify, meeting_start
from yishiting.deliberation.services.procedure import participant_sign_in, step_record
from yishiting.deliberation.services.votes import vote_cast, vote_open
from yishiting.deliberation.tests import votes_world
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_meetings import meeting_day, party_people, plan
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return add_public_people(world)


# ---- who may be invited to a community meeting at C1 (幸福苑社区), by whom -----------------------------------

PLANNERS = ["community_secretary", "street_official", "district_official"]
# invitee → may the community secretary (C1), the street official (S1), the district official (D) invite them?
INVITABLE = {
    "resident": (True, True, True),             # the community's own resident
    "grid_worker": (True, True, True),
    "community_staff": (True, True, True),
    "street_official": (True, True, True),      # 街道领导: a role above the level
    "district_official": (True, True, True),    # 区级干部: above it too
    "handler": (True, True, True),              # 承办单位 (东风街道城管执法队) at the street
    "deputy_c3": (True, True, True),            # 两代表一委员 registered in another street of the district
    "lawyer_c2": (True, True, True),            # 法律顾问 of the neighbouring community
    "expert_s2": (True, True, True),            # the street pool's expert, other street
    "unit_rep_c2": (True, True, True),          # 驻区单位 representative next door
    "resident2": (False, True, True),           # another community's resident: only a common superior
    "street_resident": (False, True, True),     # someone registered at the street, no public role
    "property_rep_c2": (False, True, True),     # another estate's property company
    "secretary_c2": (False, True, True),        # another community's secretary (not above C1)
    "resident3": (False, False, True),          # another street's resident
    "deputy_d2": (False, False, False),         # a deputy of another district
}


@pytest.mark.parametrize("invitee", sorted(INVITABLE))
@pytest.mark.parametrize("planner", PLANNERS)
def test_who_may_be_invited_to_a_community_meeting(town, planner, invitee):
    expected = INVITABLE[invitee][PLANNERS.index(planner)]
    assert rules.may_invite(town.users[planner], town.areas["C1"], town.people[invitee]) is expected


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler", "deputy_c3"])
def test_only_a_planner_of_the_level_invites_anyone(town, persona):
    assert not rules.may_invite(town.users[persona], town.areas["C1"], town.people["resident"])
    assert not rules.may_invite(town.users[persona], town.areas["C1"], town.people["street_official"])


def test_a_secretary_cannot_invite_another_communitys_resident_and_nothing_changes(town):
    people = [*party_people(town), Invitee(town.people["resident2"], Party.STAKEHOLDER)]
    with pytest.raises(DomainError) as refused:
        plan(town, participants=people)
    assert refused.value.code == "invitee_not_allowed"
    assert "不在可邀请范围内" in refused.value.message
    assert refused.value.details["people"] == [town.people["resident2"].pk]
    assert not Meeting.objects.exists() and not Participant.objects.exists()
    assert Topic.objects.get().status == TopicStatus.OPEN
    assert "topic.scheduled" not in [e.kind for e in events_of(Topic.objects.get())]


def test_the_picker_lists_public_capacities_beyond_the_view_and_never_other_residents(town):
    secretary, c1 = town.users["community_secretary"], town.areas["C1"]

    def found(term: str) -> set[str]:
        names = {p.name for p, _ in invitee_search(secretary, c1, term)}
        return {key for key, person in town.people.items() if person.name in names}

    assert found("人大代表") == {"deputy_c3"}                  # by title; not the other district's deputy
    assert found("两代表一委员") == {"deputy_c3"}              # by role
    assert found("法律顾问") == {"lawyer_c2"}
    assert found("律师") == {"lawyer_c2"}                      # the everyday word for the role
    assert found("政协委员") == {"deputy_c3"}                  # a deputy whose title says otherwise
    assert found("驻区单位") == {"unit_rep_c2"}                # by the organization's kind
    assert found("hdb") == {"deputy_c3"}                      # 何代表 by pinyin initials
    assert found("zhouzhuren") == {"street_official"}         # 周主任 by full pinyin
    assert found("13900000102") == {"lawyer_c2"}              # by mobile
    assert found("李四") == set() and found("13800000002") == set()  # another community's resident: never
    assert found("和平里") == {"lawyer_c2", "unit_rep_c2"}     # by area: the public roles there, not its people
    assert found("张三") == {"resident"}                       # the own community: by whole name
    assert found("张") == set()                                # …and never letter by letter
    person, role = invitee_search(secretary, c1, "何代表")[0]
    assert role.title == "区人大代表" and str(person) == "何**"  # callers show it masked


# ---- what an invitation lets one do ---------------------------------------------------------------------

INVITED = ["street_official", "deputy_c3", "handler", "resident"]


def invited_meeting(town, form: str = "round_table") -> Meeting:
    """A C1 meeting planned by the community secretary with the eight parties and INVITED, under way, the
    eight parties signed in by the clerk (the invitees sign in themselves)."""
    extra = [Invitee(town.people[key], Party.LEADER if key == "street_official" else Party.STAKEHOLDER)
             for key in INVITED]
    meeting = meeting_day(plan(town, participants=[*party_people(town, EIGHT_PARTIES), *extra], form=form,
                               venue=None if form == "online" else "default"))
    clerk = town.users["community_staff"]
    for participant in meeting.participants.exclude(person__in=[town.people[k] for k in INVITED]):
        participant_sign_in(actor=clerk, meeting=meeting, code=participant.sign_in_code)
    return meeting_start(actor=clerk, meeting=meeting)


def code_of(meeting: Meeting, person) -> str:
    return Participant.objects.get(meeting=meeting, person=person).sign_in_code


# persona → (sees the meeting and its participants' votes, signs in: "self" / as "clerk" for others / None,
# may vote)
ACCESS = {
    "street_official": (True, "self", True),     # invited (and in scope anyway)
    "deputy_c3": (True, "self", True),           # invited from another street
    "handler": (True, "self", True),             # invited, holds no deliberation role at all
    "resident": (True, "self", True),            # invited from the community
    "district_official": (True, "clerk", False),  # in scope and above, not invited: may clerk, not vote
    "resident2": (False, None, False),           # neither
    "deputy_d2": (False, None, False),
}


@pytest.mark.parametrize("persona", sorted(ACCESS))
def test_who_sees_signs_in_and_votes_at_a_meeting(town, persona):
    sees, signs_in, votes = ACCESS[persona]
    meeting = invited_meeting(town)
    user, person = town.users[persona], town.people[persona]
    named = vote_open(actor=town.users["community_secretary"], topic=meeting.agenda.get().topic,
                      question="同意加装电梯方案吗？", method=VoteMethod.NAMED, rule="majority", meeting=meeting)
    assert meetings_visible_to(user).filter(pk=meeting.pk).exists() is sees
    assert votes_visible_to(user).filter(pk=named.pk).exists() is sees
    assert rules.may_attend(user, meeting) is sees
    invited = Participant.objects.filter(meeting=meeting, person=person).first()
    code = invited.sign_in_code if invited else code_of(meeting, town.people["street_official"])
    if signs_in:  # themself, or (the clerk) somebody else
        if signs_in == "self":
            with pytest.raises(PermissionDeniedError, match="请先签到"):  # at the table: sign in first
                vote_cast(actor=user, vote=named, choice="同意")
        assert participant_sign_in(actor=user, meeting=meeting, code=code).signed_in_at is not None
    else:  # somebody else's code signs nobody in
        with pytest.raises(PermissionDeniedError):
            participant_sign_in(actor=user, meeting=meeting, code=code)
    if votes:
        assert vote_cast(actor=user, vote=named, choice="同意").voter == person
        assert rules.ballot_refusal(named, person) is None
    else:
        with pytest.raises(PermissionDeniedError if sees else NotFound):
            vote_cast(actor=user, vote=named, choice="同意")
        assert not named.ballots.exists()


@pytest.mark.parametrize("persona", ["street_official", "deputy_c3"])
def test_an_invitee_has_no_say_in_an_owners_vote_outside_their_own_units(town, persona):
    owner = votes_world.owner(town, town.households["H1"], "业主甲", mobile="13700000001")
    meeting = invited_meeting(town)
    participant_sign_in(actor=town.users[persona], meeting=meeting, code=code_of(meeting, town.people[persona]))
    topic = meeting.agenda.get().topic
    owners = vote_open(actor=town.users["community_secretary"], topic=topic, question="同意加装电梯吗？",
                       method=VoteMethod.OWNERS, rule="art278", matter="rebuild", meeting=meeting,
                       scope_area=town.areas["U1"])
    with pytest.raises((PermissionDeniedError, NotFound)):
        vote_cast(actor=town.users[persona], vote=owners, choice="同意", household_id=town.households["H1"].pk)
    assert rules.ballot_refusal(owners, town.people[persona]) == "owners_vote"
    assert votes_visible_to(town.users["deputy_c3"]).filter(pk=owners.pk).exists() is False
    assert vote_cast(actor=owner.user, vote=owners, choice="同意").household_id == town.households["H1"].pk


def test_invitees_from_elsewhere_are_told_in_app_and_by_text(town, messages_outbox,
                                                             django_capture_on_commit_callbacks):
    meeting = plan(town, participants=[*party_people(town), Invitee(town.people["deputy_c3"], Party.DEPUTY),
                                       Invitee(town.people["street_official"], Party.LEADER)])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_notify(actor=town.users["community_secretary"], meeting=meeting)
    for key in ("deputy_c3", "street_official"):
        note = Notification.objects.get(person=town.people[key])
        assert note.link == f"/meetings/{meeting.pk}" and code_of(meeting, town.people[key]) in note.text
    assert {m.to for m in messages_outbox} >= {"13900000101", "13800000007"}


def test_an_invitee_from_another_street_speaks_online_and_an_outsider_cannot(town):
    meeting = invited_meeting(town, form="online")
    topic = meeting.agenda.get().topic
    step = step_record(actor=town.users["deputy_c3"], meeting=meeting, kind=StepKind.SPEECH, text="建议分摊按楼层",
                       speaker=town.people["deputy_c3"], topic=topic)
    assert step.party == Party.STAKEHOLDER and rules.may_speak(town.users["deputy_c3"], meeting)
    for outsider in ("resident2", "deputy_d2"):  # not invited (the district official could, as the clerk)
        with pytest.raises(PermissionDeniedError):
            step_record(actor=town.users[outsider], meeting=meeting, kind=StepKind.SPEECH, text="我也说两句",
                        speaker=town.people[outsider], topic=topic)
    with pytest.raises(PermissionDeniedError):  # nor in somebody else's name
        step_record(actor=town.users["deputy_c3"], meeting=meeting, kind=StepKind.SPEECH, text="代别人说",
                    speaker=town.people["resident"], topic=topic)
    assert MeetingStep.objects.filter(meeting=meeting, kind=StepKind.SPEECH).count() == 1
    assert meeting.status == MeetingStatus.IN_PROGRESS
