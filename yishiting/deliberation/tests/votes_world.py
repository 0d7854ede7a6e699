"""Factories for the vote tests: owners of units, a topic, a meeting under way with signed-in participants.

Meetings are created directly (their own service belongs to the meetings part) with the events the services
write, so `yishiting verify` over a test world is clean; owners through the areas services, so roles and paths
are what the application itself writes.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.areas.models import Area, AreaLevel, Household, Person
from yishiting.common.events import event_append
from yishiting.common.testing import World, make_user
from yishiting.common.transitions import transition
from yishiting.deliberation.choices import MeetingForm, MeetingStatus, Party
from yishiting.deliberation.models import AgendaItem, Meeting, Participant, ProcessTemplate, Topic
from yishiting.deliberation.services.meetings import roster
from yishiting.deliberation.services.topics import topic_propose
from yishiting.deliberation.transitions import MEETING_TRANSITIONS

_serial = count(1)


def owner(world: World, household: Household, name: str, *, mobile: str = "", login: bool = True) -> Person:
    """A person registered at the household holding an active owner role (with a login unless told not)."""
    person = areas.person_create(actor=None, name=name, mobile=mobile, household=household)
    areas.role_assign(actor=None, person=person, role=Role.OWNER, area=household.unit)
    if login:
        make_user(world, f"owner{next(_serial)}", person)
    return person


def building(world: World, estate: Area, code: str) -> Area:
    return areas.area_create(actor=None, name=f"{code}栋", level=AreaLevel.objects.get(code="building"), code=code,
                             parent=estate)


def unit(world: World, building: Area, code: str) -> Area:
    return areas.area_create(actor=None, name=f"{code}单元", level=AreaLevel.objects.get(code="unit"), code=code,
                             parent=building)


def household(unit_area: Area, number: str, size: str) -> Household:
    return areas.household_create(actor=None, unit=unit_area, number=number, exclusive_area=Decimal(size))


def topic(world: World, *, level: str = "C1", scope: str | None = "G1", title: str = "3栋1单元加装电梯") -> Topic:
    return topic_propose(actor=world.users["community_secretary"], title=title, description="",
                         level_area=world.areas[level], scope_area=world.areas[scope] if scope else None)


def meeting(world: World, on: Topic, *, form: str = MeetingForm.ROUND_TABLE,
            status: str = MeetingStatus.IN_PROGRESS) -> Meeting:
    """A meeting already under way (the plan's checks — notice days, the eight parties — are the meetings
    tests' business), with the chain the services write: meeting.planned, then meeting.started, so that
    `yishiting verify` over a test world is clean."""
    now = timezone.now()
    secretary = world.users["community_secretary"]
    held = Meeting.objects.create(
        title="幸福苑社区圆桌会", form=form, template=ProcessTemplate.objects.get(code="kenli-345"),
        level_area=on.level_area, path=on.path, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2),
        chair=world.people["community_secretary"])
    AgendaItem.objects.create(meeting=held, topic=on, order=1)
    event_append(subject=held, kind="meeting.planned", actor=secretary, new_subject=True, payload=planned(held))
    if status != MeetingStatus.PLANNED:
        held = transition(held, to=MeetingStatus.IN_PROGRESS, actor=secretary, table=MEETING_TRANSITIONS,
                          kind="meeting.started")
    if status not in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS):
        held = transition(held, to=status, actor=secretary, table=MEETING_TRANSITIONS, kind=f"meeting.{status}")
    return held


def planned(held: Meeting) -> dict:
    """The meeting.planned payload meeting_plan writes for this row (its agenda and roster as they are now)."""
    return {"title": held.title, "form": held.form, "template": held.template.code, "level": held.level_area.code,
            "venue": held.venue_id, "starts_at": held.starts_at, "ends_at": held.ends_at, "chair": held.chair_id,
            "topics": list(held.agenda.order_by("order").values_list("topic_id", flat=True)), "size": 0,
            "warnings": [], "participants": roster(held)}


def participant(held: Meeting, person: Person, *, signed_in: bool = True, party: str = Party.RESIDENT) -> Participant:
    """Invited (and signed in, unless told not), with the events participant_invite and participant_sign_in write."""
    joined = Participant.objects.create(meeting=held, person=person, party=party, sign_in_code=f"c{next(_serial)}")
    event_append(subject=held, kind="meeting.participant_invited", actor=None, payload={
        "participant": joined.pk, "person": person.pk, "party": party, "council": False, "notified": False,
        "warnings": []})
    return sign_in(joined) if signed_in else joined


def sign_in(joined: Participant, actor=None) -> Participant:
    """Signed in by the clerk, with the meeting.signed_in event participant_sign_in writes."""
    joined.signed_in_at = timezone.now()
    joined.save(update_fields=["signed_in_at"])
    event_append(subject=joined.meeting, kind="meeting.signed_in", actor=actor,
                 payload={"participant": joined.pk, "party": joined.party, "by": "clerk"})
    return joined


def bulk_owners(unit_area: Area, count_: int, *, prefix: str = "b", sizes: list[str] | None = None,
                tokens: bool = True) -> list[tuple[Household, Person, str]]:
    """Many owners at once (concurrency tests, benchmarks): `count_` households under a unit, one owner each
    with a login and, if asked, an API token — a handful of bulk INSERTs instead of thousands of services.
    Returns (household, owner, token secret) per unit; sizes cycle through `sizes`."""
    import secrets as random_secrets

    from yishiting.accounts.models import ApiToken, User
    from yishiting.accounts.services import TOKEN_PREFIX, _digest
    from yishiting.areas.models import RoleAssignment
    from yishiting.common.testing import persona_password_hash

    sizes = sizes or ["89.50", "120.25", "75.00", "98.10", "143.37"]
    homes = Household.objects.bulk_create([
        Household(unit=unit_area, number=f"{prefix}{i:05d}", exclusive_area=Decimal(sizes[i % len(sizes)]),
                  path=unit_area.path) for i in range(count_)], batch_size=2000)
    users = User.objects.bulk_create([User(username=f"{prefix}owner{i:05d}", password=persona_password_hash())
                                      for i in range(count_)], batch_size=2000)
    people = Person.objects.bulk_create([
        Person(name=f"业主{i:05d}", household=home, area=unit_area, path=unit_area.path, user=user)
        for i, (home, user) in enumerate(zip(homes, users, strict=True))], batch_size=2000)
    RoleAssignment.objects.bulk_create([RoleAssignment(person=p, role=Role.OWNER, area=unit_area, path=unit_area.path)
                                        for p in people], batch_size=2000)
    secrets_ = [TOKEN_PREFIX + random_secrets.token_urlsafe(32) if tokens else "" for _ in people]
    if tokens:
        now = timezone.now()
        ApiToken.objects.bulk_create([ApiToken(user=u, name="bulk", prefix=s[:12], digest=_digest(s), last_used_at=now)
                                      for u, s in zip(users, secrets_, strict=True)], batch_size=2000)
    return list(zip(homes, people, secrets_, strict=True))
