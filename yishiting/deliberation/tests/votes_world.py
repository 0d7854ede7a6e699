"""Factories for the vote tests: owners of units, a topic, a meeting under way with signed-in participants.

Meetings are created directly (their own service belongs to the meetings part); owners through the areas
services, so roles and paths are what the application itself writes.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.areas.models import Area, AreaLevel, Household, Person
from yishiting.common.testing import World, make_user
from yishiting.deliberation.choices import MeetingForm, MeetingStatus, Party
from yishiting.deliberation.models import AgendaItem, Meeting, Participant, ProcessTemplate, Topic
from yishiting.deliberation.services.topics import topic_propose

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
    now = timezone.now()
    held = Meeting.objects.create(
        title="幸福苑社区圆桌会", form=form, template=ProcessTemplate.objects.order_by("code").first(),
        level_area=on.level_area, path=on.path, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2),
        chair=world.people["community_secretary"], status=status)
    AgendaItem.objects.create(meeting=held, topic=on, order=1)
    return held


def participant(held: Meeting, person: Person, *, signed_in: bool = True, party: str = Party.RESIDENT) -> Participant:
    return Participant.objects.create(meeting=held, person=person, party=party, sign_in_code=f"c{next(_serial)}",
                                      signed_in_at=timezone.now() if signed_in else None)
