"""The cadres services: credits, ranking with ties, 优秀学员 and 约谈, reports reviewed and published, pledges
published, updated, completed and flagged by the tick — and the refusals, with nothing changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.common.events import Event
from yishiting.notifications.models import Notification

from .. import selectors, services
from ..models import Attendance, Cadre, Pledge, Report
from ..overdue import STALE_AFTER, pledges_run
from .world import first_of_month

pytestmark = pytest.mark.django_db


def test_attendance_earns_credits_and_the_ranking_is_deterministic_with_ties(world, training):
    office = world.users["street_official"]
    services.attendance_record(actor=office, activity=training.course, cadre=training.cadre)
    rows = selectors.ranking(training.programme, first_of_month())
    assert [(r.cadre.person.name, r.rank, r.credits, r.bottom) for r in rows] == [
        ("赵网格", 1, Decimal("2.0"), False), ("孙书记", 2, Decimal("0"), True)]
    services.attendance_record(actor=office, activity=training.course, cadre=training.secretary,
                               credits=Decimal("2.0"))
    rows = selectors.ranking(training.programme, first_of_month())
    # equal credits: the same rank, listed by name (孙 before 赵 by code point), nobody flagged
    assert [(r.cadre.person.name, r.rank, r.bottom) for r in rows] == [("孙书记", 1, False), ("赵网格", 1, False)]
    assert selectors.credits_of(training.cadre)[0].credits == Decimal("2.0")


def test_attendance_refusals_change_nothing(world, training):
    office = world.users["street_official"]
    with pytest.raises(DomainError) as exc:
        services.attendance_record(actor=office, activity=training.course, cadre=training.cadre, credits=Decimal("3"))
    assert exc.value.code == "bad_credits" and "学分" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.attendance_record(actor=office, activity=training.course, cadre=training.outsider)
    assert exc.value.code == "not_enrolled"
    with pytest.raises(DomainError) as exc:
        services.attendance_record(actor=world.users["community_staff"], activity=training.course,
                                   cadre=training.cadre)
    assert exc.value.code == "permission_denied"
    services.attendance_record(actor=office, activity=training.course, cadre=training.cadre)
    with pytest.raises(DomainError) as exc:
        services.attendance_record(actor=office, activity=training.course, cadre=training.cadre)
    assert exc.value.code == "already_recorded"
    assert Attendance.objects.count() == 1


def test_honour_and_talk_for_the_month(world, training):
    office = world.users["street_official"]
    services.attendance_record(actor=office, activity=training.course, cadre=training.cadre)
    services.honour_award(actor=office, programme=training.programme, cadre=training.cadre, month=timezone.localdate())
    services.talk_record(actor=office, programme=training.programme, cadre=training.secretary,
                         month=timezone.localdate(), note="本月学分偏低，提醒按时参训")
    with pytest.raises(DomainError) as exc:
        services.talk_record(actor=office, programme=training.programme, cadre=training.secretary,
                             month=timezone.localdate(), note="再谈一次")
    assert exc.value.code == "already_talked"
    rows = {r.cadre.pk: r for r in selectors.ranking(training.programme, first_of_month())}
    assert rows[training.cadre.pk].honoured and rows[training.secretary.pk].talked


def test_a_report_is_reviewed_by_an_expert_of_the_area_and_published_by_the_office(world, training):
    report = services.report_submit(actor=world.users["grid_worker"], title="老旧小区停车难",
                                    problem="车位缺口两百个", plan="错时共享单位车位")
    with pytest.raises(DomainError) as exc:
        services.report_publish(actor=world.users["street_official"], report=report)
    assert exc.value.code == "not_reviewed"
    with pytest.raises(DomainError):
        services.report_review(actor=world.users["grid_worker"], report=report, score=90, comment="自评")
    services.report_review(actor=world.users["cadre_mentor"], report=report, score=88, comment="问题找得准")
    services.report_publish(actor=world.users["street_official"], report=report)
    assert Report.objects.get(pk=report.pk).status == "published"
    assert report in selectors.reports_visible_to(world.users["resident"])  # an example for everyone signed in


def test_a_pledge_is_published_updated_and_completed(world, training):
    cadre_user = world.users["grid_worker"]
    due = timezone.localdate() + timedelta(days=30)
    pledge = services.pledge_publish(actor=cadre_user, what="建立网格微信群", measure="覆盖全部住户", due_on=due)
    services.pledge_update(actor=cadre_user, pledge=pledge, progress=40, note="已覆盖三栋楼")
    with pytest.raises(DomainError) as exc:
        services.pledge_update(actor=cadre_user, pledge=pledge, progress=20, note="倒退")
    assert exc.value.code == "progress_back"
    with pytest.raises(DomainError) as exc:
        services.pledge_update(actor=world.users["community_secretary"], pledge=pledge, progress=50, note="代填")
    assert exc.value.code == "permission_denied"
    done = services.pledge_complete(actor=cadre_user, pledge=pledge, result="全部住户已入群")
    assert (done.status, done.progress, done.is_overdue) == ("done", 100, False)
    with pytest.raises(DomainError) as exc:
        services.pledge_update(actor=cadre_user, pledge=pledge, progress=100, note="再更新")
    assert exc.value.code == "not_active"
    kinds = list(Event.objects.filter(subject_type="cadres.pledge", subject_id=str(pledge.pk))
                 .order_by("seq").values_list("kind", flat=True))
    assert kinds == ["cadres.pledge_published", "cadres.pledge_updated", "cadres.pledge_completed"]


def test_a_pledge_with_a_past_deadline_is_refused(world, training):
    with pytest.raises(DomainError) as exc:
        services.pledge_publish(actor=world.users["grid_worker"], what="x", measure="y",
                                due_on=timezone.localdate() - timedelta(days=1))
    assert exc.value.code == "past_due" and not Pledge.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.pledge_publish(actor=world.users["resident"], what="x", measure="y", due_on=timezone.localdate())
    assert exc.value.code == "permission_denied"


def test_the_tick_flags_overdue_and_stale_pledges_once(world, training):
    cadre = training.cadre
    today = timezone.localdate()
    late = services.pledge_publish(actor=None, cadre=cadre, what="整治楼道堆物", measure="三栋楼清零",
                                   due_on=today - timedelta(days=3))
    Pledge.objects.filter(pk=late.pk).update(is_overdue=False, last_update_on=today - timedelta(days=60))
    fresh_one = services.pledge_publish(actor=None, cadre=cadre, what="走访独居老人", measure="每周一次",
                                        due_on=today + timedelta(days=60))
    counts = pledges_run(today=today)
    assert (counts.overdue, counts.stale) == (1, 1)
    late.refresh_from_db()
    fresh_one.refresh_from_db()
    assert late.is_overdue and late.is_stale and not fresh_one.is_overdue and not fresh_one.is_stale
    again = pledges_run(today=today)
    assert (again.overdue, again.stale) == (0, 0)
    assert Notification.objects.filter(person=cadre.person, text__contains="践诺逾期").count() == 1
    assert STALE_AFTER > 5


def test_registering_twice_is_refused(world, training):
    with pytest.raises(DomainError) as exc:
        services.cadre_register(actor=world.users["street_official"], person=world.people["grid_worker"],
                                kind="grid_worker", area=world.areas["G1"], post="网格员")
    assert exc.value.code == "already_registered" and Cadre.objects.count() == 3
