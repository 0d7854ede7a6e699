"""可约请状态: who may set it, what bad input does (nothing), 繁忙 ending by itself after its date, and what an
unavailable lawyer or adviser is spared: no new questions offered or told, escalation to the office instead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import RoleAssignment
from yishiting.common.errors import DomainError
from yishiting.common.events import events_of
from yishiting.legal.choices import Availability as A
from yishiting.legal.choices import ConsultationStatus as C
from yishiting.legal.models import Expert
from yishiting.legal.services import (
    Question,
    consultation_answer,
    consultation_ask,
    consultation_claim,
    consultations_tick,
    expert_set_availability,
)
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def ask(pool, who="resident"):
    return consultation_ask(actor=pool.user(who), question=Question(
        field=pool.field("law"), title="", text="物业擅自涨价，我能拒交吗？"))


def fresh(pool, name: str):
    """The user as a new request sees it (rules.expert_of caches the pool record on the user object)."""
    user = pool.user(name)
    return type(user).objects.get(pk=user.pk)


def told(c) -> set[str]:
    return set(Notification.objects.filter(subject_id=str(c.pk)).values_list("person__name", flat=True))


def test_the_expert_sets_their_own_and_busy_ends_by_itself_after_its_date(pool):
    until = TODAY() + timedelta(days=3)
    expert = expert_set_availability(actor=pool.user("lawyer"), expert=pool.lawyer, availability="busy", busy_until=until)
    assert (expert.availability, expert.busy_until) == (A.BUSY, until)
    assert list(events_of(expert))[-1].kind == "expert.availability"
    assert not expert.takes_questions() and expert.availability_on(until) == A.BUSY
    assert expert.availability_on(until + timedelta(days=1)) == A.AVAILABLE  # computed on read, no tick needed
    expert = expert_set_availability(actor=pool.user("lawyer"), expert=pool.lawyer, availability="away")
    assert (expert.availability, expert.busy_until) == (A.AWAY, None)


@pytest.mark.parametrize("who", ["district_official", "community_staff"])
def test_the_pools_managers_set_it_for_an_expert_of_their_area(pool, who):
    expert_set_availability(actor=pool.user(who), expert=pool.adviser, availability="away")
    assert Expert.objects.get(pk=pool.adviser.pk).availability == A.AWAY


@pytest.mark.parametrize("who", ["resident", "lawyer2", "community_staff"])
def test_nobody_else_changes_someone_elses(pool, who):
    # community_staff manages 幸福苑社区's pool, not the district's lawyers above it
    with pytest.raises(DomainError) as refused:
        expert_set_availability(actor=pool.user(who), expert=pool.lawyer, availability="away")
    assert refused.value.status == 403
    assert Expert.objects.get(pk=pool.lawyer.pk).availability == A.AVAILABLE


@pytest.mark.parametrize(("state", "until", "code"), [
    ("busy", -1, "busy_until_past"), ("busy", None, "busy_until_required"), ("holiday", 3, "invalid_choice")])
def test_bad_input_is_refused_in_chinese_and_changes_nothing(pool, state, until, code):
    day = None if until is None else TODAY() + timedelta(days=until)
    with pytest.raises(DomainError) as refused:
        expert_set_availability(actor=pool.user("lawyer"), expert=pool.lawyer, availability=state, busy_until=day)
    assert refused.value.code == code and any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    fresh = Expert.objects.get(pk=pool.lawyer.pk)
    assert (fresh.availability, fresh.busy_until) == (A.AVAILABLE, None)
    assert not [e for e in events_of(fresh) if e.kind == "expert.availability"]


def test_an_unavailable_lawyer_is_not_told_nor_may_claim_but_keeps_what_they_claimed(pool):
    mine = consultation_claim(actor=pool.user("lawyer"), consultation=ask(pool))
    expert_set_availability(actor=pool.user("lawyer"), expert=pool.lawyer, availability="busy",
                            busy_until=TODAY() + timedelta(days=2))
    expert_set_availability(actor=pool.user("lawyer2"), expert=pool.lawyer2, availability="away")
    c = ask(pool)
    assert told(c) == {"顾律师"}  # 林律师 busy, 韩律师 away
    for who in ("lawyer", "lawyer2"):
        with pytest.raises(DomainError) as refused:
            consultation_claim(actor=fresh(pool, who), consultation=c)
        assert refused.value.status == 403
    assert consultation_answer(actor=fresh(pool, "lawyer"), consultation=mine, text="可以拒交，并要求物业说明。").status == C.ANSWERED


def test_busy_until_yesterday_is_available_again(pool):
    expert_set_availability(actor=pool.user("lawyer"), expert=pool.lawyer, availability="busy", busy_until=TODAY())
    Expert.objects.filter(pk=pool.lawyer.pk).update(busy_until=TODAY() - timedelta(days=1))  # a day has passed
    c = ask(pool)
    assert "林律师" in told(c)
    assert consultation_claim(actor=fresh(pool, "lawyer"), consultation=c).lawyer == pool.lawyer


def test_an_away_adviser_is_skipped_and_the_community_office_is_told(pool):
    expert_set_availability(actor=pool.user("adviser"), expert=pool.adviser, availability="away")
    c = ask(pool)
    assert consultations_tick(today=c.due_on + timedelta(days=1)) == 1
    c.refresh_from_db()
    assert c.status == C.ESCALATED and c.adviser is None
    assert list(events_of(c))[-1].payload["adviser_unavailable"] is True
    office = set(RoleAssignment.objects.filter(is_active=True, path=c.path, role__in=[
        Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF]).values_list("person__name", flat=True))
    notes = Notification.objects.filter(subject_id=str(c.pk), text__contains="暂不可约请")
    assert office and set(notes.values_list("person__name", flat=True)) == office
    assert not Notification.objects.filter(subject_id=str(c.pk), person=pool.adviser.person, text__contains="逾期").exists()


def test_the_admin_changes_the_state_through_the_service_and_refuses_a_past_date(pool, client):
    client.force_login(pool.user("admin"))
    e = pool.builder
    data = {"person": e.person_id, "level": e.level, "area": e.area_id, "fields": [f.pk for f in e.fields.all()],
            "title": e.title, "note": "", "availability": "busy"}
    past = client.post(f"/admin/legal/expert/{e.pk}/change/", {**data, "busy_until": "2020-01-01"}, follow=True)
    assert "繁忙截止日期不能早于今天" in past.content.decode()
    assert Expert.objects.get(pk=e.pk).availability == A.AVAILABLE
    until = TODAY() + timedelta(days=2)
    done = client.post(f"/admin/legal/expert/{e.pk}/change/", {**data, "busy_until": until.isoformat()})
    assert done.status_code == 302
    assert (Expert.objects.get(pk=e.pk).availability, Expert.objects.get(pk=e.pk).busy_until) == (A.BUSY, until)
    assert list(events_of(e))[-1].kind == "expert.availability"
