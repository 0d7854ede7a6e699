"""双报到 through its services: registration rules, service records and their ratings, the quarterly 考核建议."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import Event
from yishiting.participation import services as part
from yishiting.participation.models import Assessment, MemberRegistration

pytestmark = pytest.mark.django_db


def test_a_member_reports_where_they_live_or_to_the_units_partner_community_only(cast):
    world = cast.world
    with pytest.raises(DomainError) as wrong:
        part.member_register(actor=cast.user("member"), person=world.people["member"], community=world.areas["C3"],
                             posts=["care"])
    assert wrong.value.code == "wrong_community"
    with pytest.raises(DomainError) as posts:
        part.member_register(actor=cast.user("member"), person=world.people["member"], community=world.areas["C1"],
                             posts=["nonsense"])
    assert posts.value.code == "posts_required"
    with pytest.raises(PermissionDeniedError):  # a resident is not a party member
        part.member_register(actor=cast.user("resident"), person=world.people["resident"],
                             community=world.areas["C1"], posts=["care"])
    again = part.member_register(actor=cast.user("member"), person=world.people["member"], community=world.areas["C1"],
                                 posts=["patrol"])
    assert MemberRegistration.objects.filter(person=world.people["member"], is_active=True).get() == again


def test_the_same_unit_registers_once_per_community(cast):
    with pytest.raises(DomainError) as twice:
        part.unit_register(actor=cast.user("community_staff"), organization=cast.unit.organization,
                           community=cast.world.areas["C1"], resources="a", commitments="b", contact_name="c",
                           contact_phone="1", signed_on=date(2026, 2, 1))
    assert twice.value.code == "already_registered"
    with pytest.raises(PermissionDeniedError):  # another street's community office
        part.unit_register(actor=cast.user("community_staff"), organization=cast.unit.organization,
                           community=cast.world.areas["C3"], resources="a", commitments="b", contact_name="c",
                           contact_phone="1", signed_on=date(2026, 2, 1))


def test_a_recorded_service_is_rated_once_by_the_person_served(cast):
    record = part.service_record_add(actor=cast.user("member"), member=cast.member, what="楼道清理",
                                     served_on=timezone.localdate(), hours="2", served_person=cast.world.people["resident"])
    with pytest.raises(PermissionDeniedError):
        part.service_record_rate(actor=cast.user("resident2"), record=record, stars=5)
    part.service_record_rate(actor=cast.user("resident"), record=record, stars=4)
    with pytest.raises(DomainError):
        part.service_record_rate(actor=cast.user("resident"), record=record, stars=5)
    assert Event.objects.get(kind="participation.service_rated").payload["earners"][0]["rating"] == 4


def test_the_quarterly_assessment_is_written_by_the_community_and_rewritten_in_place(cast):
    year, quarter = part.quarter_of(timezone.localdate())
    with pytest.raises(PermissionDeniedError):
        part.assessment_write(actor=cast.user("liaison"), year=year, quarter=quarter, grade="good", reasons="x",
                              unit=cast.unit)
    part.assessment_write(actor=cast.user("community_staff"), year=year, quarter=quarter, grade="good",
                          reasons="义诊按时", unit=cast.unit)
    part.assessment_write(actor=cast.user("community_secretary"), year=year, quarter=quarter, grade="fairly_good",
                          reasons="少了一次", unit=cast.unit)
    assert Assessment.objects.get(unit=cast.unit).grade == "fairly_good"
    with pytest.raises(DomainError) as future:
        part.assessment_write(actor=cast.user("community_staff"), year=year + 1, quarter=quarter, grade="good",
                              reasons="x", member=cast.member)
    assert future.value.code == "future_quarter"


def test_quarter_bounds():
    assert part.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert part.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
