"""Bodies in deliberation: the quorum counted from the level's body's current membership (not from whoever the
plan marked), the plan page inviting the body's members by default, and the estate and building chairs."""

from __future__ import annotations

import re

import pytest

from yishiting.areas.choices import Role
from yishiting.areas.services import role_assign
from yishiting.deliberation.selectors.meetings import quorum
from yishiting.deliberation.services.meetings import Invitee, meeting_check
from yishiting.deliberation.services.procedure import participant_sign_in
from yishiting.deliberation.tests.test_meetings import (
    kenli,
    make_topic,
    make_venue,
    meeting_day,
    party_people,
    plan,
    some_day,
)

from ..services import body_create, membership_add
from .conftest import add_person, council, kind

pytestmark = pytest.mark.django_db


def _sign(world, meeting, people) -> None:
    clerk = world.users["community_staff"]
    for participant in meeting.participants.filter(person__in=people):
        participant_sign_in(actor=clerk, meeting=meeting, code=participant.sign_in_code)


def test_the_quorum_is_counted_from_the_bodys_current_members(world):
    council(world)  # 孙书记 convener, 钱社工 secretary, 张三 member: 3 seats, 2 needed
    parties = party_people(world)  # eight people the plan marks as council members: they do not count
    meeting = meeting_day(plan(world, participants=[*parties, Invitee(world.people["resident"], "resident", False)]))
    _sign(world, meeting, [p.person for p in parties] + [world.people["community_secretary"]])
    found = quorum(meeting)
    assert (found.council_members, found.council_present, found.required, found.met) == (3, 1, 2, False)
    _sign(world, meeting, [world.people["resident"]])
    assert quorum(meeting).met is True


def test_a_meeting_planned_before_the_body_keeps_its_council_members(world):
    parties = party_people(world)
    meeting = meeting_day(plan(world, participants=parties))
    council(world)
    _sign(world, meeting, [p.person for p in parties[:6]])
    found = quorum(meeting)
    assert (found.council_members, found.council_present, found.met) == (8, 6, True)


def test_the_plan_page_invites_the_bodys_members_by_default(world, client):
    body = council(world)
    neighbour = add_person(world, "neighbour", "欧阳明", "13900000031")
    membership_add(actor=world.users["community_staff"], body=body, person=neighbour)
    topic = make_topic(world)
    client.force_login(world.users["community_secretary"])
    page = client.get(f"/meetings/new/?topic={topic.pk}").content.decode()
    for person in (world.people["resident"], neighbour):  # residents, listed only because they sit in the body
        assert re.search(rf'name="invite-{person.pk}"[^>]*checked', page), person
        assert re.search(rf'name="council-{person.pk}"[^>]*checked', page), person
    assert "幸福苑社区社区党群议事会成员" in page


def test_estate_meetings_are_chaired_by_the_estate_branch_secretary(world):
    body_create(actor=None, area=world.areas["G1"], kind=kind("estate_council"))
    branch = add_person(world, "branch", "田支书", "13900000032", area="G1")
    role_assign(actor=None, person=branch, role=Role.ESTATE_BRANCH_SECRETARY, area=world.areas["G1"])
    start = some_day()
    args = (kenli(), world.areas["G1"], "round_table")
    venue, people = make_venue(world), party_people(world, area="G1")
    refused = meeting_check(*args, world.people["community_secretary"], venue, start, start, people, [])
    assert "chair_not_eligible" in [p.code for p in refused.errors]
    assert "小区党支部书记" in " ".join(p.message for p in refused.errors)
    accepted = meeting_check(*args, branch, venue, start, start, people, [])
    assert "chair_not_eligible" not in [p.code for p in accepted.errors]
