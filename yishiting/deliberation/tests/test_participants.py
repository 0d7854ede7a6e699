"""Changing the list of a meeting already planned: the street leader confirms late, a lawyer is asked to come, an
invitation is withdrawn. Who may (role × scope × phase), whom (the plan's own invitable rule), the template's
bounds, too little notice (allowed, with a warning kept on the meeting), the 1+8+N list of missing parties,
and what the people concerned notice: one invitation with their own code, one message when it is withdrawn, a
code that no longer works, and the meeting's timeline in plain Chinese."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation import rules
from yishiting.deliberation.choices import EIGHT_PARTIES, MeetingStatus, Party
from yishiting.deliberation.models import Meeting, Participant
from yishiting.deliberation.selectors.meetings import meeting_timeline, missing_parties
from yishiting.deliberation.services.assignments import topic_template_change
from yishiting.deliberation.services.consultations import consultation_record
from yishiting.deliberation.services.meetings import meeting_cancel, meeting_notify, meeting_start
from yishiting.deliberation.services.participants import participant_invite, participant_withdraw
from yishiting.deliberation.services.procedure import participant_sign_in
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_meetings import (
    make_topic,
    meeting_day,
    party_people,
    plan,
    round_table,
)
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db
WITHOUT_DEPUTY = [p for p in EIGHT_PARTIES if p != Party.DEPUTY]


@pytest.fixture
def town(world):
    return add_public_people(world)


@pytest.fixture
def meeting(town) -> Meeting:
    """A C1 round table in five days, planned by the secretary without a 两代表一委员 (a warning says so)."""
    return plan(town, participants=party_people(town, WITHOUT_DEPUTY))


def notified(town, meeting: Meeting) -> Meeting:
    return meeting_notify(actor=town.users["community_secretary"], meeting=meeting)


def invite(town, meeting, key: str, party=Party.LEADER, actor: str = "community_secretary") -> Participant:
    return participant_invite(actor=town.users[actor], meeting=meeting, person=town.people[key], party=party)


def notes_of(town, key: str) -> list[Notification]:
    return list(Notification.objects.filter(person=town.people[key]).order_by("pk"))


# ---- inviting late ----------------------------------------------------------------------------------------

def test_a_late_street_leader_gets_their_own_code_at_once_and_is_told_once(
        town, meeting, messages_outbox, django_capture_on_commit_callbacks):
    notified(town, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        added = invite(town, meeting, "street_official")
    assert added.created and added.warnings == [] and added.party == Party.LEADER
    assert len(added.sign_in_code) >= 16 and Participant.objects.filter(sign_in_code=added.sign_in_code).count() == 1
    [note] = notes_of(town, "street_official")
    assert added.sign_in_code in note.text and "上级领导干部" in note.text and "加装电梯协商会" in note.text
    assert [m.to for m in messages_outbox] == [town.people["street_official"].mobile]
    with django_capture_on_commit_callbacks(execute=True):  # a retry (double click, network): nothing new
        again = invite(town, meeting, "street_official", party=Party.STAKEHOLDER)
    assert again.pk == added.pk and not again.created and again.party == Party.LEADER
    assert len(notes_of(town, "street_official")) == 1 and len(messages_outbox) == 1
    kinds = [e.kind for e in events_of(meeting)]
    assert kinds.count("meeting.participant_invited") == 1
    assert meeting_timeline(meeting)[-1].what == "追加邀请周**以上级领导干部身份参会，已发出通知"
    assert "社区书记 孙书记" in meeting_timeline(meeting)[-1].sentence


def test_before_the_notice_the_invitee_is_told_with_everyone_once(town, meeting):
    invite(town, meeting, "lawyer_c2", Party.LEGAL_ADVISER)
    assert notes_of(town, "lawyer_c2") == []
    notified(town, meeting)
    [note] = notes_of(town, "lawyer_c2")
    assert meeting.participants.get(person=town.people["lawyer_c2"]).sign_in_code in note.text


def test_the_missing_party_list_follows_the_changes(town, meeting):
    assert missing_parties(meeting) == [Party.DEPUTY]
    assert "两代表一委员" in Meeting.objects.get(pk=meeting.pk).warnings[0]["message"]
    elsewhere = invite(town, meeting, "deputy_c3", Party.DEPUTY)  # a deputy of another community: not counted
    meeting.refresh_from_db()
    assert missing_parties(meeting) == [Party.DEPUTY] and [w.code for w in elsewhere.warnings] == ["party_unverified"]
    assert "何**不是本区域或上级登记的两代表一委员" in elsewhere.warnings[0].message
    assert sorted(w["code"] for w in meeting.warnings) == ["parties_missing", "party_unverified"]
    [local] = party_people(town, [Party.DEPUTY])  # a deputy registered at the community
    deputy = participant_invite(actor=town.users["community_secretary"], meeting=meeting, person=local.person,
                                party=Party.DEPUTY)
    meeting.refresh_from_db()
    assert missing_parties(meeting) == [] and [w["code"] for w in meeting.warnings] == ["party_unverified"]
    assert deputy.warnings == []
    participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=deputy, reason="外出")
    participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=elsewhere, reason="外出")
    meeting.refresh_from_db()
    assert missing_parties(meeting) == [Party.DEPUTY]
    assert [w["code"] for w in meeting.warnings] == ["parties_missing"]


def test_too_little_notice_is_allowed_with_a_warning_kept_until_withdrawn(town, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=1),
                                                 ends_at=timezone.now() + timedelta(days=1, hours=2))
    added = invite(town, meeting, "street_official")
    assert [w.code for w in added.warnings] == ["notice_too_short"]
    assert "通知时间不足 3 天" in added.warnings[0].message and "周**" in added.warnings[0].message
    meeting.refresh_from_db()
    assert any("通知时间不足 3 天" in w["message"] for w in meeting.warnings)
    assert invite(town, meeting, "street_official").warnings == added.warnings  # the retry says it again
    assert "通知时间不足 3 天" in meeting_timeline(meeting)[-1].what
    participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=added, reason="不来了")
    meeting.refresh_from_db()
    assert not any(w["code"] == "notice_too_short" for w in meeting.warnings)


def test_someone_beyond_the_planners_reach_is_refused_and_nothing_changes(town, meeting):
    before = meeting.participants.count()
    with pytest.raises(DomainError) as refused:
        invite(town, meeting, "resident2", Party.STAKEHOLDER)  # another community's resident
    assert refused.value.code == "invitee_not_allowed" and refused.value.details["people"] == [town.people["resident2"].pk]
    assert meeting.participants.count() == before and notes_of(town, "resident2") == []
    assert "meeting.participant_invited" not in [e.kind for e in events_of(meeting)]
    # the street above both communities may bring them to the table
    assert invite(town, meeting, "resident2", Party.STAKEHOLDER, actor="street_official").created


def test_a_round_table_of_25_takes_no_26th(town):
    parties = [Party.RESIDENT, Party.DEPUTY, Party.PROPERTY, Party.STAKEHOLDER]
    topic = make_topic(town)  # a topic under the area's template; this one is a 幸福圆桌会 (the meeting runs under it)
    topic_template_change(actor=town.users["admin"], topic=topic, template=round_table(), reason="幸福圆桌会试点")
    from yishiting.areas.models import Household
    from yishiting.areas.services import household_create

    homes = list(Household.objects.filter(path__startswith=topic.scope.path).order_by("pk")[:3])
    while len(homes) < 3:
        homes.append(household_create(actor=None, unit=homes[0].unit, number=f"9{len(homes)}1",
                                     exclusive_area=Decimal("80.00")))
    for home in homes:  # the round table's rule: three households consulted before the meeting
        consultation_record(actor=town.users["grid_worker"], topic=topic, household=home,
                            visited_on=timezone.localdate(), said="同意")
    full = plan(town, topics=[topic], template=round_table(),
                participants=party_people(town, [parties[i % 4] for i in range(24)]))
    assert full.participants.count() == 25
    with pytest.raises(DomainError) as refused:
        invite(town, full, "street_official")
    assert refused.value.code == "too_many" and "至多 25 人" in refused.value.message
    assert full.participants.count() == 25


def test_the_venue_must_still_hold_everyone(town):
    from yishiting.deliberation.tests.test_meetings import make_venue

    small = plan(town, venue=make_venue(town, capacity=9))  # the eight parties and the chair: full
    with pytest.raises(DomainError) as refused:
        invite(town, small, "street_official")
    assert refused.value.code == "venue_too_small"


@pytest.mark.parametrize("status", [MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED, MeetingStatus.CANCELLED])
def test_a_meeting_under_way_or_over_keeps_its_list(town, meeting, status):
    signed = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    if status == MeetingStatus.CANCELLED:
        meeting_cancel(actor=town.users["community_secretary"], meeting=meeting, reason="改期")
    else:
        meeting_start(actor=town.users["community_secretary"], meeting=meeting_day(meeting))
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    with pytest.raises(Conflict) as refused:
        invite(town, meeting, "street_official")
    assert refused.value.code == "invalid_state"
    with pytest.raises(Conflict) as withdrawn:
        participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=signed, reason="x")
    assert withdrawn.value.code == "invalid_state"
    assert not meeting.participants.filter(person=town.people["street_official"]).exists()


# ---- withdrawing ------------------------------------------------------------------------------------------

def test_a_withdrawn_invitee_is_told_once_and_their_code_stops_working(
        town, meeting, messages_outbox, django_capture_on_commit_callbacks):
    notified(town, meeting)
    lawyer = invite(town, meeting, "lawyer_c2", Party.LEGAL_ADVISER)
    code = lawyer.sign_in_code
    messages_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gone = participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=lawyer,
                                    reason="该事项不涉及法律问题")
    assert gone.pk == lawyer.pk and not Participant.objects.filter(pk=lawyer.pk).exists()
    last = notes_of(town, "lawyer_c2")[-1]
    assert "已撤回对您的邀请" in last.text and "该事项不涉及法律问题" in last.text and "签到码作废" in last.text
    assert len(messages_outbox) == 1 and "已撤回" in messages_outbox[0].text
    meeting_day(meeting)
    with pytest.raises(DomainError) as refused:
        participant_sign_in(actor=town.users["lawyer_c2"], meeting=meeting, code=code)
    assert refused.value.code == "invalid_code"
    assert meeting_timeline(meeting)[-1].what == "撤回罗**（法律顾问）的参会邀请，理由：该事项不涉及法律问题"
    with pytest.raises(NotFound):  # withdrawn twice: it is gone
        participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=lawyer, reason="x")


def test_an_invitation_not_yet_sent_is_withdrawn_quietly(town, meeting):
    lawyer = invite(town, meeting, "lawyer_c2", Party.LEGAL_ADVISER)
    participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=lawyer, reason="重复")
    notified(town, meeting)
    assert notes_of(town, "lawyer_c2") == []  # never invited by the platform, so nothing to take back


def test_a_signed_in_participant_and_the_chair_cannot_be_withdrawn(town, meeting):
    meeting_day(meeting)
    resident = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    participant_sign_in(actor=town.users["community_staff"], meeting=meeting, code=resident.sign_in_code)
    secretary = town.users["community_secretary"]
    with pytest.raises(Conflict) as refused:
        participant_withdraw(actor=secretary, meeting=meeting, participant=resident, reason="弄错了")
    assert refused.value.code == "already_signed_in" and "已于" in refused.value.message and "签到" in refused.value.message
    chair = meeting.participants.get(person=town.people["community_secretary"])
    with pytest.raises(Conflict) as chair_refused:
        participant_withdraw(actor=secretary, meeting=meeting, participant=chair, reason="换人")
    assert chair_refused.value.code == "chair_not_withdrawable"
    assert Participant.objects.filter(pk__in=[resident.pk, chair.pk]).count() == 2


def test_a_withdrawal_needs_a_reason(town, meeting):
    someone = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    with pytest.raises(DomainError) as refused:
        participant_withdraw(actor=town.users["community_secretary"], meeting=meeting, participant=someone, reason=" ")
    assert refused.value.code == "reason_required"


# ---- who may change the list: role × scope × phase ---------------------------------------------------------

# persona → may they add to / withdraw from a C1 meeting while it is planned?
CHANGERS = {
    "community_secretary": True, "community_staff": True,    # the community's office (plans at its level)
    "street_official": True, "district_official": True,       # above it
    "secretary_c2": False,                                     # the neighbouring community's secretary
    "resident": False, "grid_worker": False, "handler": False,
    "deputy_c3": False,                                        # invited or not, a guest does not change the list
}


@pytest.mark.parametrize("persona", sorted(CHANGERS))
def test_who_may_change_a_planned_meetings_list(town, meeting, persona):
    user, allowed = town.users[persona], CHANGERS[persona]
    invite(town, meeting, "deputy_c3", Party.DEPUTY)
    lawyer = invite(town, meeting, "lawyer_c2", Party.LEGAL_ADVISER)
    assert rules.may_change_participants(user, meeting) is allowed
    assert rules.may_withdraw(user, lawyer) is allowed
    if allowed:
        assert participant_invite(actor=user, meeting=meeting, person=town.people["expert_s2"],
                                  party=Party.PROFESSIONAL).created
        participant_withdraw(actor=user, meeting=meeting, participant=lawyer, reason="不需要了")
        return
    with pytest.raises(PermissionDeniedError):
        participant_invite(actor=user, meeting=meeting, person=town.people["expert_s2"], party=Party.PROFESSIONAL)
    with pytest.raises(PermissionDeniedError):
        participant_withdraw(actor=user, meeting=meeting, participant=lawyer, reason="不需要了")
    assert Participant.objects.filter(pk=lawyer.pk).exists()


@pytest.mark.parametrize(("status", "allowed"), [(MeetingStatus.PLANNED, True), (MeetingStatus.IN_PROGRESS, False),
                                                 (MeetingStatus.CLOSED, False), (MeetingStatus.CANCELLED, False)])
def test_only_a_planned_meeting_changes_its_list(town, meeting, status, allowed):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    lawyer = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    for persona in ("community_secretary", "district_official"):
        assert rules.may_change_participants(town.users[persona], meeting) is allowed
        assert rules.may_withdraw(town.users[persona], lawyer) is allowed


def test_the_withdraw_rule_spares_the_signed_in_and_the_chair(town, meeting):
    meeting_day(meeting)
    secretary = town.users["community_secretary"]
    someone = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    chair = meeting.participants.get(person=town.people["community_secretary"])
    assert rules.may_withdraw(secretary, someone) and not rules.may_withdraw(secretary, chair)
    participant_sign_in(actor=secretary, meeting=meeting, code=someone.sign_in_code)
    someone.refresh_from_db()
    assert rules.withdraw_refusal(someone) == "signed_in" and not rules.may_withdraw(secretary, someone)
    assert rules.PARTICIPATION["deliberation.withdraw"] is rules.may_withdraw
