"""Founding a body and changing its members: every change an event on the body, terms and seats validated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from yishiting.areas.choices import OrganizationKind
from yishiting.areas.services import organization_create
from yishiting.bodies import services
from yishiting.bodies.models import Membership
from yishiting.bodies.selectors import current_members, current_seat_people, history, past_members
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError

from .conftest import add_person, kind

pytestmark = pytest.mark.django_db


def _kinds(body) -> list[str]:
    return [e.kind for e in reversed(history(body))]


def test_founding_and_every_membership_change_is_an_event(world, body):
    staff = world.users["community_staff"]
    seat = current_members(body).get(person=world.people["resident"])
    services.membership_change_role(actor=staff, membership=seat, role="secretary")
    services.membership_end(actor=staff, membership=seat, reason="迁出本社区")
    assert _kinds(body) == ["body.created", "body.member_joined", "body.member_joined", "body.member_joined",
                            "body.member_role_changed", "body.member_left"]
    left = history(body)[0]
    assert left.actor == staff and left.payload["reason"] == "迁出本社区"
    assert world.people["resident"] not in current_seat_people(body)
    assert [m.person for m in past_members(body)] == [world.people["resident"]]


def test_the_same_role_again_changes_nothing(world, body):
    seat = current_members(body).get(person=world.people["resident"])
    services.membership_change_role(actor=world.users["community_staff"], membership=seat, role="member")
    assert _kinds(body).count("body.member_role_changed") == 0


def test_one_active_body_of_a_kind_per_area(world, body):
    with pytest.raises(Conflict) as exc:
        services.body_create(actor=world.users["community_staff"], area=world.areas["C1"], kind=kind("party_mass_council"))
    assert exc.value.code == "body_exists" and "幸福苑社区" in exc.value.message


def test_a_kind_sits_at_its_level(world):
    with pytest.raises(DomainError) as exc:
        services.body_create(actor=world.users["community_staff"], area=world.areas["G1"], kind=kind("party_mass_council"))
    assert exc.value.code == "wrong_level" and "社区" in exc.value.message
    estate = services.body_create(actor=world.users["community_staff"], area=world.areas["G1"], kind=kind("estate_council"))
    assert estate.name == "幸福苑小区小区居民议事会" and estate.path == world.areas["G1"].path


@pytest.mark.parametrize(("start", "end", "code"), [
    (0, -1, "term_order"), (-800, -400, "term_over"), (0, 366 * 6, "term_long")])
def test_terms_are_validated(world, body, start, end, code):
    today = timezone.localdate()
    person = add_person(world, "newbie", "黄新", "13900000021")
    with pytest.raises(DomainError) as exc:
        services.membership_add(actor=world.users["community_staff"], body=body, person=person,
                                term_start=today + timedelta(days=start), term_end=today + timedelta(days=end))
    assert exc.value.code == code


def test_a_seat_is_a_person_or_an_organization_never_both_nor_neither(world, body):
    staff, prop = world.users["community_staff"], world.organizations["property"]
    for kwargs in ({}, {"person": world.people["resident2"], "organization": prop}):
        with pytest.raises(DomainError) as exc:
            services.membership_add(actor=staff, body=body, **kwargs)
        assert exc.value.code == "one_of"
    with pytest.raises(DomainError) as exc:
        services.membership_add(actor=staff, body=body, person=world.people["resident2"],
                                representative=world.people["resident2"])
    assert exc.value.code == "representative_for_org"
    seat = services.membership_add(actor=staff, body=body, organization=prop, representative=world.people["grid_worker"])
    assert seat.seat_person == world.people["grid_worker"] and seat.person is None
    with pytest.raises(IntegrityError):  # the database holds the rule too
        Membership.objects.create(body=body, path=body.path, person=world.people["resident2"], organization=prop,
                                  term_start=timezone.localdate())


def test_members_come_from_the_community_or_above(world, body):
    staff = world.users["community_staff"]
    with pytest.raises(DomainError) as exc:  # 王五 lives in another street's community
        services.membership_add(actor=staff, body=body, person=world.people["resident3"])
    assert exc.value.code == "person_outside"
    services.membership_add(actor=staff, body=body, person=world.people["street_official"])  # a leader above
    other = organization_create(actor=None, kind=OrganizationKind.PROPERTY_COMPANY, name="湖滨物业",
                                area=world.areas["C3"])
    with pytest.raises(DomainError) as exc:
        services.membership_add(actor=staff, body=body, organization=other)
    assert exc.value.code == "organization_outside"


def test_seated_once_and_one_convener(world, body):
    staff = world.users["community_staff"]
    with pytest.raises(Conflict) as exc:
        services.membership_add(actor=staff, body=body, person=world.people["resident"])
    assert exc.value.code == "already_member"
    with pytest.raises(Conflict) as exc:
        services.membership_add(actor=staff, body=body, person=world.people["grid_worker"], role="convener")
    assert exc.value.code == "convener_taken"


def test_ending_a_seat(world, body):
    staff, today = world.users["community_staff"], timezone.localdate()
    seat = current_members(body).get(person=world.people["resident"])
    with pytest.raises(DomainError) as exc:
        services.membership_end(actor=staff, membership=seat, on=today + timedelta(days=1))
    assert exc.value.code == "future"
    services.membership_end(actor=staff, membership=seat)
    with pytest.raises(Conflict) as exc:
        services.membership_end(actor=staff, membership=seat)
    assert exc.value.code == "already_ended"


def test_a_term_that_ran_out_is_no_longer_current_and_ends_as_term_over(world, body):
    staff, today = world.users["community_staff"], timezone.localdate()
    person = add_person(world, "termer", "林任期", "13900000022")
    seat = services.membership_add(actor=staff, body=body, person=person, term_start=today - timedelta(days=30),
                                   term_end=today)
    assert person in current_seat_people(body)
    Membership.objects.filter(pk=seat.pk).update(term_end=today - timedelta(days=1))
    assert person not in current_seat_people(body)
    ended = services.membership_end(actor=staff, membership=seat, on=today)
    assert ended.end_reason == "任期届满" and history(body)[0].payload["term_end"] is True


def test_only_the_community_office_changes_members(world, body):
    newcomer = add_person(world, "newcomer", "何新", "13900000023")
    for name in ("resident", "grid_worker", "street_official"):
        with pytest.raises(PermissionDeniedError):
            services.membership_add(actor=world.users[name], body=body, person=newcomer)
    services.membership_add(actor=world.users["community_secretary"], body=body, person=newcomer)
