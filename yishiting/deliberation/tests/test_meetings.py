"""Meetings through the services: the plan checked against the template (chair by level, the 1+8+N parties,
15–25 people, venue capacity and clashes, days of notice), the invitation, cadence dates, sign-in, the exact
2/3 quorum, recorded steps and the resolution that moves its topic on."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Organization
from yishiting.areas.services import organization_create, person_create, role_assign
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_key, events_of
from yishiting.common.testing import rechain
from yishiting.deliberation.choices import EIGHT_PARTIES, MeetingStatus, Party, StepKind, TopicStatus
from yishiting.deliberation.models import (
    Meeting,
    MeetingStep,
    Participant,
    ProcessTemplate,
    Resolution,
    Topic,
    Vote,
)
from yishiting.deliberation.selectors.meetings import meeting_detail, minutes, quorum
from yishiting.deliberation.services.meetings import (
    Invitee,
    cadence_dates,
    meeting_cancel,
    meeting_check,
    meeting_close,
    meeting_notify,
    meeting_plan,
    meeting_start,
    venue_save,
)
from yishiting.deliberation.services.procedure import participant_sign_in, resolution_record, step_record
from yishiting.deliberation.services.topics import topic_propose
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db


# ---- helpers shared with the API tests ------------------------------------------------------------------

def kenli() -> ProcessTemplate:
    return ProcessTemplate.objects.get(code="kenli-345")


def round_table() -> ProcessTemplate:
    return ProcessTemplate.objects.get(code="nanchang-round-table")


def some_day(days: int = 5, hour: int = 9) -> datetime:
    """A local time `days` from now (clear of the 3 days' notice)."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def make_topic(world, level: str = "C1", actor: str = "community_secretary", title: str = "幸福苑3栋加装电梯",
               proposer: str | None = "resident") -> Topic:
    return topic_propose(actor=world.users[actor], title=title, description="居民多为老人", template=kenli(),
                         level_area=world.areas[level], proposer=world.people[proposer] if proposer else None,
                         proposal_signed=True)


def make_venue(world, capacity: int = 40, area: str = "C1", name: str = "幸福苑社区议事厅"):
    return venue_save(actor=world.users["community_secretary"], name=name, kind="hall", area=world.areas[area],
                      capacity=capacity)


# The role that makes someone one of the eight parties (selectors.parties), for `party_people`.
HOLDING_ROLE = {Party.RESIDENT: Role.RESIDENT, Party.GRID_WORKER: Role.GRID_WORKER, Party.DEPUTY: Role.DEPUTY,
                Party.LEGAL_ADVISER: Role.LAWYER, Party.DUAL_REGISTRATION: Role.INSERVICE_PARTY_MEMBER}
HOLDING_ORG = {Party.PROPERTY: (OrganizationKind.PROPERTY_COMPANY, "物业服务有限公司"),
               Party.OWNERS_COMMITTEE: (OrganizationKind.OWNERS_COMMITTEE, "业主委员会"),
               Party.SOCIAL_ORG: (OrganizationKind.SOCIAL_ORGANIZATION, "社工服务中心")}


def hold_party(person, party: str, area) -> None:
    """Make `person` a real holder of `party` at `area` (a role there, or membership of an organisation of
    the kind serving it); the free parties need nothing."""
    if party in HOLDING_ROLE:
        role_assign(actor=None, person=person, role=HOLDING_ROLE[party], area=area)
    elif party in HOLDING_ORG:
        kind, suffix = HOLDING_ORG[party]
        org = (Organization.objects.filter(area=area, kind=kind, is_active=True).first()
               or organization_create(actor=None, kind=kind, name=f"{area.name}{suffix}", area=area))
        role_assign(actor=None, person=person, role=Role.ORG_REPRESENTATIVE, area=area, organization=org)


def party_people(world, parties=EIGHT_PARTIES, *, council: bool = True, area: str = "C1",
                 real: bool = True) -> list[Invitee]:
    """One new person for each party, living (registered) at `area`; `real`: each holds their party there
    (a role, or membership of the estate's organisation), else they are ordinary people labelled so."""
    people = []
    for i, party in enumerate(parties):
        person = person_create(actor=None, name=f"参会{i}号", mobile=f"139{i:08d}", area=world.areas[area])
        if real:
            hold_party(person, str(party), world.areas[area])
        people.append(Invitee(person, str(party), council))
    return people


def plan(world, *, topics=None, participants=None, chair: str = "community_secretary", level: str = "C1",
         template=None, venue="default", starts=None, hours: int = 2, actor: str = "community_secretary",
         form: str = "round_table") -> Meeting:
    starts = starts or some_day()
    return meeting_plan(
        actor=world.users[actor], title="加装电梯协商会", form=form, template=template or kenli(),
        level_area=world.areas[level], venue=make_venue(world) if venue == "default" else venue,
        starts_at=starts, ends_at=starts + timedelta(hours=hours), chair=world.people[chair],
        topics=topics if topics is not None else [make_topic(world, level=level)],
        participants=participants if participants is not None else party_people(world))


def meeting_day(meeting: Meeting) -> Meeting:
    """Move the meeting to now (the notice days have passed): the row and its meeting.planned event alike, as
    if it had been planned for now (the chain re-hashed under the configured key), so `verify` stays clean."""
    now = timezone.now()
    starts, ends = now - timedelta(minutes=30), now + timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=ends)
    moved = json.loads(json.dumps({"starts_at": starts, "ends_at": ends}, cls=DjangoJSONEncoder))
    rechain("deliberation.meeting", meeting.pk, key=event_key(),
            edit=lambda e: {**e.payload, **moved} if e.kind == "meeting.planned" else None)
    meeting.refresh_from_db()
    return meeting


def running(world, **kwargs) -> Meeting:
    """A meeting under way with every council member signed in."""
    meeting = meeting_day(plan(world, **kwargs))
    clerk = world.users["community_staff"]
    for participant in meeting.participants.all():
        participant_sign_in(actor=clerk, meeting=meeting, code=participant.sign_in_code)
    return meeting_start(actor=clerk, meeting=meeting)


def codes(error: DomainError) -> list[str]:
    return [p["code"] for p in error.details["errors"]]


# ---- the plan -------------------------------------------------------------------------------------------

def test_a_plan_creates_agenda_participants_with_codes_and_schedules_its_topics(world):
    meeting = plan(world)
    assert meeting.status == MeetingStatus.PLANNED and meeting.warnings == []
    topic = meeting.agenda.get().topic
    assert topic.status == TopicStatus.SCHEDULED
    people = list(meeting.participants.all())
    assert len(people) == 9  # the eight parties and the chair, added as 召集人
    assert meeting.participants.get(person=world.people["community_secretary"]).party == Party.CHAIR
    assert len({p.sign_in_code for p in people}) == 9 and all(len(p.sign_in_code) >= 16 for p in people)
    assert [e.kind for e in events_of(meeting)] == ["meeting.planned"]
    assert "topic.scheduled" in [e.kind for e in events_of(topic)]


def test_a_community_topic_is_chaired_by_the_community_secretary_not_the_staff(world):
    template, c1 = kenli(), world.areas["C1"]
    args = (make_venue(world), some_day(), some_day(hour=11), party_people(world), [make_topic(world)])
    assert meeting_check(template, c1, "round_table", world.people["community_secretary"], *args).ok
    report = meeting_check(template, c1, "round_table", world.people["community_staff"], *args)
    assert [p.code for p in report.errors] == ["chair_not_eligible"]
    assert "社区书记" in next(p.message for p in report.errors if p.code == "chair_not_eligible")


def test_a_district_level_topic_is_chaired_by_a_district_leader(world):
    topic = make_topic(world, level="D", actor="district_official")
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[topic], level="D", chair="community_secretary", actor="district_official")
    assert "chair_not_eligible" in [refused.value.code, *codes(refused.value)]
    assert not Meeting.objects.exists() and Topic.objects.get(pk=topic.pk).status == TopicStatus.OPEN
    meeting = plan(world, topics=[topic], level="D", chair="district_official", actor="district_official")
    assert meeting.chair == world.people["district_official"]


def test_a_district_topic_cannot_go_on_a_community_meeting(world):
    topic = make_topic(world, level="D", actor="district_official")
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[topic])
    assert refused.value.code == "topic_outside_level"


def test_missing_parties_are_listed_as_a_warning_or_block_when_the_template_says_so(world):
    few = party_people(world, [Party.RESIDENT, Party.GRID_WORKER])
    meeting = plan(world, participants=few)
    warning = meeting.warnings[0]
    assert warning["code"] == "parties_missing"
    for label in ["两代表一委员", "物业公司", "业委会", "社会组织", "法律顾问", "“双报到”单位"]:
        assert label in warning["message"]
    assert "居民群众" not in warning["message"]
    strict = kenli()
    strict.parties_block = True
    strict.save()
    with pytest.raises(DomainError) as refused:
        plan(world, participants=party_people(world, [Party.RESIDENT]), template=strict,
             topics=[make_topic(world, title="另一个议题")], venue=make_venue(world, name="二号厅"))
    assert refused.value.code == "parties_missing"
    assert len(refused.value.details["missing_parties"]) == 7


@pytest.mark.parametrize(("invited", "outcome"), [(13, "too_few"), (14, None), (24, None), (25, "too_many")])
def test_a_round_table_takes_15_to_25_people_counting_the_chair(world, invited, outcome):
    parties = [Party.RESIDENT, Party.DEPUTY, Party.PROPERTY, Party.STAKEHOLDER]
    people = party_people(world, [parties[i % 4] for i in range(invited)])
    report = meeting_check(round_table(), world.areas["C1"], "round_table", world.people["community_secretary"],
                           None, some_day(), some_day(hour=11), people)
    assert report.size == invited + 1
    assert [p.code for p in report.errors if p.code != "required"] == ([outcome] if outcome else [])


def test_a_round_table_allows_no_other_form(world):
    report = meeting_check(round_table(), world.areas["C1"], "hearing", world.people["community_secretary"],
                           None, some_day(), some_day(hour=11), [])
    assert "form_not_allowed" in [p.code for p in report.errors]


def test_the_venue_must_hold_everyone(world):
    with pytest.raises(DomainError) as refused:
        plan(world, venue=make_venue(world, capacity=5))
    assert refused.value.code == "venue_too_small" and "5 人" in refused.value.message


def test_a_venue_cannot_be_double_booked(world):
    venue = make_venue(world)
    first = plan(world, venue=venue, starts=some_day(hour=9))
    with pytest.raises(Conflict) as refused:
        plan(world, venue=venue, starts=some_day(hour=10), topics=[make_topic(world, title="停车难")])
    assert refused.value.code == "venue_clash" and "加装电梯协商会" in refused.value.message
    assert Meeting.objects.count() == 1 and Topic.objects.get(title="停车难").status == TopicStatus.OPEN
    back_to_back = plan(world, venue=venue, starts=some_day(hour=11), topics=[make_topic(world, title="停车难")])
    assert back_to_back.pk != first.pk  # [9:00, 11:00) and [11:00, 13:00) do not overlap
    meeting_cancel(actor=world.users["community_secretary"], meeting=first, reason="改期")
    assert plan(world, venue=venue, starts=some_day(hour=9), topics=[make_topic(world, title="绿化")])


def test_participants_must_be_notified_days_ahead(world):
    with pytest.raises(DomainError) as refused:
        plan(world, starts=timezone.now() + timedelta(days=2))
    assert refused.value.code == "notice_too_short" and "3 天" in refused.value.message
    assert not Meeting.objects.exists()


def test_every_blocking_problem_is_reported_at_once(world):
    topic = make_topic(world)
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[topic], chair="street_official", venue=make_venue(world, capacity=2),
             starts=timezone.now() + timedelta(days=1))
    assert refused.value.code == "plan_invalid"
    assert set(codes(refused.value)) == {"chair_not_eligible", "venue_too_small", "notice_too_short"}


def test_only_the_office_plans_meetings(world):
    with pytest.raises(PermissionDeniedError):
        plan(world, actor="grid_worker")


def test_a_topic_on_one_meeting_cannot_be_put_on_another(world):
    topic = make_topic(world)
    plan(world, topics=[topic])
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[topic], venue=make_venue(world, name="二号厅"))
    assert refused.value.code == "topic_on_other_meeting"


# ---- notice and cadence ---------------------------------------------------------------------------------

def test_notify_invites_everyone_once_with_time_venue_agenda(world, messages_outbox,
                                                               django_capture_on_commit_callbacks):
    meeting = plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_notify(actor=world.users["community_staff"], meeting=meeting)
        meeting_notify(actor=world.users["community_staff"], meeting=meeting)
    sent = Notification.objects.filter(subject_id=str(meeting.pk))
    assert sent.count() == 9 and len(messages_outbox) == 9
    text = sent.first().text
    assert "幸福苑社区议事厅" in text and "1. 幸福苑3栋加装电梯" in text and "签到码" in text
    assert Meeting.objects.get(pk=meeting.pk).notified_at is not None
    assert [e.kind for e in events_of(meeting)].count("meeting.notified") == 1


@pytest.mark.parametrize(("cadence", "start", "expected"), [
    ("monthly", date(2026, 1, 31), [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]),
    ("monthly", date(2026, 11, 15), [date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]),
    ("tens", date(2026, 2, 15), [date(2026, 2, 20), date(2026, 2, 28), date(2026, 3, 10)]),
    ("tens", date(2028, 2, 20), [date(2028, 2, 29), date(2028, 3, 10), date(2028, 3, 20)]),
    ("tens", date(2026, 1, 30), [date(2026, 2, 10), date(2026, 2, 20), date(2026, 2, 28)]),
    ("none", date(2026, 1, 1), []),
])
def test_cadence_proposes_the_next_dates(cadence, start, expected):
    assert cadence_dates(ProcessTemplate(cadence=cadence), start, 3) == expected


# ---- the meeting ----------------------------------------------------------------------------------------

def test_sign_in_by_code_self_or_clerk_once_and_only_on_the_day(world):
    resident = world.people["resident"]
    invitees = [Invitee(resident, Party.RESIDENT, True), *party_people(world, EIGHT_PARTIES[1:])]
    meeting = plan(world, participants=invitees)
    mine = meeting.participants.get(person=resident)
    with pytest.raises(Conflict) as early:
        participant_sign_in(actor=world.users["resident"], meeting=meeting, code=mine.sign_in_code)
    assert early.value.code == "sign_in_closed"
    meeting_day(meeting)
    signed = participant_sign_in(actor=world.users["resident"], meeting=meeting, code=mine.sign_in_code)
    again = participant_sign_in(actor=world.users["resident"], meeting=meeting, code=mine.sign_in_code)
    assert signed.signed_in_at == again.signed_in_at
    other = meeting.participants.exclude(person=resident).exclude(party=Party.CHAIR).first()
    with pytest.raises(PermissionDeniedError):
        participant_sign_in(actor=world.users["resident"], meeting=meeting, code=other.sign_in_code)
    with pytest.raises(DomainError) as wrong:
        participant_sign_in(actor=world.users["community_staff"], meeting=meeting, code="nope")
    assert wrong.value.code == "invalid_code"
    participant_sign_in(actor=world.users["community_staff"], meeting=meeting, code=other.sign_in_code)
    assert [e.payload["by"] for e in events_of(meeting) if e.kind == "meeting.signed_in"] == ["self", "clerk"]


@pytest.mark.parametrize(("members", "present", "required", "met"),
                         [(9, 6, 6, True), (9, 5, 6, False), (3, 2, 2, True), (4, 2, 3, False), (4, 3, 3, True)])
def test_quorum_is_exactly_two_thirds_of_council_members(world, members, present, required, met):
    people = party_people(world, [Party.RESIDENT] * members) + party_people(world, [Party.STAKEHOLDER], council=False)
    meeting = meeting_day(plan(world, participants=people))
    for participant in meeting.participants.filter(is_council_member=True)[:present]:
        participant_sign_in(actor=world.users["community_staff"], meeting=meeting, code=participant.sign_in_code)
    found = quorum(meeting)
    assert (found.council_members, found.council_present, found.required, found.met) == \
        (members, present, required, met)
    assert found.by_party[Party.STAKEHOLDER] == {"invited": 1, "present": 0}


def test_start_moves_topics_to_deliberating_and_steps_are_numbered_in_order(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.DELIBERATING
    clerk, speaker = world.users["community_staff"], meeting.participants.get(party=Party.PROPERTY).person
    step_record(actor=clerk, meeting=meeting, kind=StepKind.OPENING, text="议题来源：3栋居民联名提出", topic=topic)
    step = step_record(actor=clerk, meeting=meeting, kind=StepKind.SPEECH, text="物业愿意配合施工",
                       speaker=speaker, topic=topic)
    assert step.party == Party.PROPERTY  # a participant speaks for the party they were invited as
    with pytest.raises(DomainError) as nameless:
        step_record(actor=clerk, meeting=meeting, kind=StepKind.SPEECH, text="匿名意见")
    assert nameless.value.code == "speaker_required"
    step_record(actor=clerk, meeting=meeting, kind=StepKind.SUMMARY, text="同意推进", topic=topic)
    assert list(MeetingStep.objects.values_list("seq", "kind")) == [(1, "opening"), (2, "speech"), (3, "summary")]


def test_steps_are_recorded_only_while_the_meeting_runs(world):
    meeting = plan(world)
    with pytest.raises(Conflict) as refused:
        step_record(actor=world.users["community_staff"], meeting=meeting, kind=StepKind.OPENING, text="开始")
    assert refused.value.code == "meeting_not_running" and not MeetingStep.objects.exists()


def test_a_resolution_sends_its_topic_to_publicity_and_tells_the_proposer(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    resolution = resolution_record(actor=world.users["community_secretary"], meeting=meeting, topic=topic,
                                   text="同意加装电梯，费用按楼层分摊", next_step="publicity")
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.RESOLVED
    assert Notification.objects.filter(person=world.people["resident"], text__contains="已形成协商决议").exists()
    with pytest.raises(Conflict) as twice:
        resolution_record(actor=world.users["community_secretary"], meeting=meeting, topic=topic, text="再来一次",
                          next_step="publicity")
    assert twice.value.code == "already_resolved" and Resolution.objects.get() == resolution
    meeting_close(actor=world.users["community_secretary"], meeting=meeting)
    data = minutes(meeting_detail(meeting.pk, world.users["community_staff"]))
    assert data.topics[0].resolution == resolution and data.chair == "孙书记"  # the chair acts in office: named in full
    assert sum(len(row.present) for row in data.attendance) == 9


def test_dropping_a_topic_needs_a_reason_and_redeliberation_goes_back_to_analysis(world):
    topics = [make_topic(world), make_topic(world, title="停车难")]
    meeting = running(world, topics=topics)
    secretary = world.users["community_secretary"]
    with pytest.raises(DomainError) as refused:
        resolution_record(actor=secretary, meeting=meeting, topic=topics[0], text="不再推进", next_step="dropped")
    assert refused.value.code == "reason_required"
    resolution_record(actor=secretary, meeting=meeting, topic=topics[0], text="不再推进", next_step="dropped",
                      reason="多数住户反对")
    resolution_record(actor=secretary, meeting=meeting, topic=topics[1], text="补充调查后再议",
                      next_step="redeliberate")
    assert [Topic.objects.get(pk=t.pk).status for t in topics] == [TopicStatus.DROPPED, TopicStatus.ANALYSING]


def test_a_resolution_needs_the_quorum_and_an_agenda_topic(world):
    meeting = meeting_day(plan(world))
    meeting_start(actor=world.users["community_staff"], meeting=meeting)
    topic = meeting.agenda.get().topic
    with pytest.raises(Conflict) as no_quorum:
        resolution_record(actor=world.users["community_secretary"], meeting=meeting, topic=topic, text="同意",
                          next_step="publicity")
    assert no_quorum.value.code == "no_quorum" and "不足法定人数 6 人" in no_quorum.value.message
    with pytest.raises(DomainError) as off_agenda:
        resolution_record(actor=world.users["community_secretary"], meeting=meeting,
                          topic=make_topic(world, title="别的事"), text="同意", next_step="publicity")
    assert off_agenda.value.code == "not_on_agenda"
    assert not Resolution.objects.exists() and Topic.objects.get(pk=topic.pk).status == TopicStatus.DELIBERATING


def test_closing_without_a_resolution_sends_the_topic_back_and_cancel_frees_the_topics(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    meeting_close(actor=world.users["community_secretary"], meeting=meeting)
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.ANALYSING
    other = plan(world, topics=[topic], venue=make_venue(world, name="二号厅"))
    with pytest.raises(DomainError):
        meeting_cancel(actor=world.users["community_secretary"], meeting=other, reason=" ")
    meeting_cancel(actor=world.users["community_secretary"], meeting=other, reason="天气原因")
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.ANALYSING
    with pytest.raises(Conflict):
        meeting_start(actor=world.users["community_secretary"], meeting=other)


def test_online_participants_post_their_own_speech_until_the_closing_time(world):
    resident = world.people["resident"]
    invitees = [Invitee(resident, Party.RESIDENT, True), *party_people(world, EIGHT_PARTIES[1:])]
    meeting = running(world, participants=invitees, form="online", venue=None)
    step = step_record(actor=world.users["resident"], meeting=meeting, kind=StepKind.SPEECH, text="支持",
                       speaker=resident)
    assert step.party == Party.RESIDENT
    with pytest.raises(PermissionDeniedError):
        step_record(actor=world.users["resident"], meeting=meeting, kind=StepKind.SUMMARY, text="总结")
    Meeting.objects.filter(pk=meeting.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict):
        step_record(actor=world.users["resident"], meeting=meeting, kind=StepKind.SPEECH, text="晚了",
                    speaker=resident)
    assert Participant.objects.filter(meeting=meeting).count() == 9


def test_an_open_vote_holds_back_the_resolution_and_the_close(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    Vote.objects.create(topic=topic, meeting=meeting, question="是否同意加装电梯", method="hands",
                        options=["同意", "反对", "弃权"], rule="majority", path=meeting.path)
    secretary = world.users["community_secretary"]
    with pytest.raises(Conflict) as refused:
        resolution_record(actor=secretary, meeting=meeting, topic=topic, text="同意", next_step="publicity")
    assert refused.value.code == "vote_open" and not Resolution.objects.exists()
    with pytest.raises(Conflict) as not_closed:
        meeting_close(actor=secretary, meeting=meeting)
    assert not_closed.value.code == "vote_open"
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.IN_PROGRESS


def test_the_resolution_carries_the_closed_votes_results_into_the_minutes(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    result = {"passed": True, "counts": {"同意": 7, "反对": 1, "弃权": 1}}
    Vote.objects.create(topic=topic, meeting=meeting, question="是否同意加装电梯", method="hands", status="closed",
                        options=["同意", "反对", "弃权"], rule="majority", path=meeting.path, result=result)
    resolution = resolution_record(actor=world.users["community_secretary"], meeting=meeting, topic=topic,
                                   text="同意加装", next_step="publicity")
    assert resolution.votes[0]["question"] == "是否同意加装电梯" and resolution.votes[0]["result"] == result
    data = minutes(meeting_detail(meeting.pk, world.users["community_staff"]))
    assert data.topics[0].votes[0].result == result
