"""A home visit (an activity with a served person): the organiser checks the volunteer out with the hours but
no rating; nothing is confirmed until the served person — or the community's staff for them — rates; that rating
is the one in `volunteers.hours_confirmed`, appended once; nobody else may rate, and a second rating is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import Event
from yishiting.common.testing import race
from yishiting.volunteers import services as vol
from yishiting.volunteers.models import Attendance
from yishiting.volunteers.selectors import awaiting_my_rating

from .conftest import add_resident, build_vol

pytestmark = pytest.mark.django_db


def _visit(v, served) -> Attendance:
    now = timezone.now()
    visit = vol.activity_create(actor=v.user("community_staff"), area=v.world.areas["C1"], title="上门陪伴",
                                place="幸福苑5栋", starts_at=now - timedelta(minutes=30),
                                ends_at=now + timedelta(hours=2), capacity=2, served=served)
    vol.activity_sign_up(actor=v.user("resident"), activity=visit)
    attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=visit,
                                               token=vol.checkin_token(visit))
    return vol.attendance_check_out(actor=v.user("community_staff"), attendance=attendance, rating=None, hours="2",
                                    reason="约定陪伴两小时")


def _confirmed(attendance) -> list[Event]:
    return list(Event.objects.filter(kind="volunteers.hours_confirmed", subject_id=str(attendance.pk)))


@pytest.fixture
def elder(v):
    return add_resident(v.world, "elder", "王奶奶", "13900000009", household="H1")


def test_check_out_waits_for_the_served_persons_rating_which_confirms_once(v, elder):
    attendance = _visit(v, elder)
    assert attendance.rating is None and not _confirmed(attendance)
    assert list(awaiting_my_rating(elder)) == [attendance]
    vol.attendance_rate(actor=v.user("elder"), attendance=attendance, rating=4)
    [event] = _confirmed(attendance)
    assert event.payload["earners"] == [{"person": v.person("resident").pk, "hours": "2.0", "rating": 4}]
    attendance.refresh_from_db()
    assert attendance.rating == 4 and attendance.rated_by == elder and not awaiting_my_rating(elder).exists()
    with pytest.raises(Conflict) as again:
        vol.attendance_rate(actor=v.user("elder"), attendance=attendance, rating=5)
    assert again.value.message == "这次服务已评价过了。" and len(_confirmed(attendance)) == 1


def test_the_served_person_does_not_sign_up_for_their_own_visit(v, elder):
    attendance = _visit(v, elder)
    page = v.client("elder").get(f"/volunteers/{attendance.activity_id}/").content.decode()
    assert "请评价志愿者的服务" in page and "我要报名" not in page
    with pytest.raises(DomainError) as refused:
        vol.activity_sign_up(actor=v.user("elder"), activity=attendance.activity)
    assert refused.value.message == "您是这次上门服务的服务对象，不用报名。"


def test_staff_rate_for_an_elder_without_a_phone_others_may_not(v, elder):
    attendance = _visit(v, elder)
    for who in ("leader", "resident", "resident2"):
        with pytest.raises(PermissionDeniedError):
            vol.attendance_rate(actor=v.user(who), attendance=attendance, rating=5)
    vol.attendance_rate(actor=v.user("community_staff"), attendance=attendance, rating=5)
    attendance.refresh_from_db()
    assert attendance.rated_by == elder  # the served person's rating, told to the staff


def test_a_rating_is_one_to_five_stars(v, elder):
    attendance = _visit(v, elder)
    with pytest.raises(DomainError) as bad:
        vol.attendance_rate(actor=v.user("elder"), attendance=attendance, rating=6)
    assert bad.value.message == "请选择 1 到 5 星的评价。"


def test_the_served_person_lives_in_the_activitys_community(v):
    with pytest.raises(DomainError) as outside:
        _visit(v, v.person("resident2"))
    assert outside.value.message == "服务对象不是该社区的居民。"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_two_ratings_at_once_confirm_once(world):
    v = build_vol(world)
    attendance = _visit(v, add_resident(world, "elder", "王奶奶", "13900000009", household="H1"))
    outcomes = race([lambda who=who: vol.attendance_rate(actor=v.user(who), attendance=attendance, rating=5)
                     for who in ("elder", "community_staff")])
    assert sorted(type(o).__name__ for o in outcomes) == ["Attendance", "Conflict"], outcomes
    assert len(_confirmed(attendance)) == 1
