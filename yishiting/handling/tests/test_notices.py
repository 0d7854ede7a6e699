"""Publicity (公): notices drafted from a resolution with personal data masked, their window on the working-day
calendar (holidays, 调休, an uncovered year), objections and answers, completion, the legality review of major
matters, and the scheduled tick — through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.common.testing import make_user, race
from yishiting.deliberation.choices import TopicStatus, VoteMethod, VoteRule
from yishiting.deliberation.models import Topic, Vote
from yishiting.handling.choices import NoticeStatus, ReviewStatus
from yishiting.handling.models import LegalReview, Notice, Objection
from yishiting.handling.selectors.notices import legal_reviews_for, notices_visible_to, public_notices_of
from yishiting.handling.services import notices as services
from yishiting.notifications.models import Notification

from .world import resolved_topic

PLAN = [{"when": "12月1日—12月5日", "what": "采购声控LED灯", "who": "幸福苑物业 钱经理"},
        {"when": "12月6日—12月20日", "what": "逐层更换并验收", "who": "社区 孙书记"}]


def set_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)


def told(person, fragment: str) -> bool:
    return Notification.objects.filter(person=person, text__contains=fragment).exists()


def draft(world, **kwargs) -> Notice:
    topic, resolution = resolved_topic(world, **kwargs.pop("topic", {}))
    return services.notice_draft(actor=world.users["community_secretary"], resolution=resolution, plan=PLAN,
                                 responsible="孙书记", **kwargs)


def published(world, monkeypatch, start: date = date(2026, 11, 2), **kwargs) -> Notice:
    set_today(monkeypatch, start)
    notice = draft(world, **kwargs)
    return services.notice_publish(actor=world.users["community_secretary"], notice=notice, starts_on=start)


def topic_status(notice: Notice) -> str:
    return Topic.objects.get(pk=notice.topic_id).status


# ---- drafting ----

def test_draft_masks_phones_ids_and_the_residents_named(world):
    world.people["resident"].save()
    topic, resolution = resolved_topic(world, text="按张三（13812345678，身份证110101199003071234）的提议，更换楼道灯。")
    topic.proposer = world.people["resident"]
    topic.save(update_fields=["proposer"])
    notice = services.notice_draft(actor=world.users["community_secretary"], resolution=resolution, plan=PLAN)
    assert "张*" in notice.decision and "张三" not in notice.decision
    assert "138****5678" in notice.decision and "13812345678" not in notice.decision
    assert "1***************34" in notice.decision
    assert notice.working_days == 5 and notice.status == NoticeStatus.DRAFT and not notice.is_major
    assert notice.plan[0] == PLAN[0]
    assert [e.kind for e in events_of(notice)] == ["notice.drafted"]


def test_an_official_proposer_is_named_in_full_in_the_notice(world):
    topic, resolution = resolved_topic(world, text="孙书记提议，张三附议：更换楼道灯，联系电话0755-12345678。")
    topic.proposer = world.people["community_secretary"]
    topic.save(update_fields=["proposer"])
    notice = services.notice_draft(actor=world.users["community_secretary"], resolution=resolution, plan=PLAN)
    assert "孙书记提议" in notice.decision and "0755-******78" in notice.decision


@pytest.mark.parametrize("plan, fragment", [
    ([{"when": "12月", "what": "", "who": "物业"}], "第 1 项缺少事项"),
    ([{"when": "12月", "what": "换灯", "who": "物业", "cost": 5}], "只能有时间、事项、责任人"),
    ("换灯", "最多 50 项"),
])
def test_bad_plan_is_refused_and_nothing_saved(world, plan, fragment):
    topic, resolution = resolved_topic(world)
    with pytest.raises(DomainError, match=fragment):
        services.notice_draft(actor=world.users["community_secretary"], resolution=resolution, plan=plan)
    assert not Notice.objects.exists()


def test_only_a_resolution_going_to_publicity_and_only_once(world):
    notice = draft(world)
    with pytest.raises(Conflict) as caught:
        services.notice_draft(actor=world.users["community_secretary"], resolution=notice.resolution)
    assert caught.value.code == "notice_exists"
    Topic.objects.filter(pk=notice.topic_id).update(status=TopicStatus.ANALYSING)
    notice.resolution.notices.all().delete()
    with pytest.raises(Conflict, match="已形成决议"):
        services.notice_draft(actor=world.users["community_secretary"], resolution=notice.resolution)


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler"])
def test_who_may_not_draft(world, persona):
    topic, resolution = resolved_topic(world)
    with pytest.raises(PermissionDeniedError):
        services.notice_draft(actor=world.users[persona], resolution=resolution)


def other_community_staff(world):
    person = area_services.person_create(actor=None, name="和平里社工", mobile="13800000099", area=world.areas["C2"])
    area_services.role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=world.areas["C2"])
    return make_user(world, "staff_c2", person)


def test_staff_of_another_community_may_not_draft_but_the_street_may(world):
    topic, resolution = resolved_topic(world)
    with pytest.raises(PermissionDeniedError):
        services.notice_draft(actor=other_community_staff(world), resolution=resolution)
    assert services.notice_draft(actor=world.users["street_official"], resolution=resolution).pk


def test_major_by_the_template_rule_keywords_and_owners_matter(world):
    notice = draft(world, topic={"title": "幸福苑3栋加装电梯"})
    assert notice.is_major and "加装电梯" in notice.major_reason
    topic, resolution = resolved_topic(world, title="幸福苑绿地调整")
    Vote.objects.create(topic=topic, question="是否改变绿地用途", method=VoteMethod.OWNERS, rule=VoteRule.ART278,
                        matter="common_use", path=topic.path)
    other = services.notice_draft(actor=world.users["community_secretary"], resolution=resolution)
    assert other.is_major and "第二百七十八条" in other.major_reason


def test_staff_mark_major_needs_a_reason(world):
    topic, resolution = resolved_topic(world)
    with pytest.raises(DomainError, match="说明依据"):
        services.notice_draft(actor=world.users["community_secretary"], resolution=resolution, is_major=True)
    notice = services.notice_draft(actor=world.users["community_secretary"], resolution=resolution,
                                   is_major=True, major_reason="涉及公共安全")
    assert notice.is_major and notice.major_reason == "工作人员认定：涉及公共安全"


# ---- the window on the working-day calendar ----

@pytest.mark.parametrize("start, ends", [
    (date(2026, 11, 2), date(2026, 11, 6)),    # Mon: an ordinary week, Mon–Fri
    (date(2026, 11, 7), date(2026, 11, 13)),   # Sat: day one is the Monday after
    (date(2026, 9, 28), date(2026, 10, 9)),    # 9-28..30, then 国庆 10-1..7, then 10-8 and 10-9
    (date(2026, 9, 30), date(2026, 10, 12)),   # 9-30, 10-8, 10-9, Saturday 10-10 (调休上班), 10-12
    (date(2026, 2, 12), date(2026, 2, 25)),    # 2-12, 2-13, Saturday 2-14 (调休), 春节 2-15..23, 2-24, 2-25
])
def test_window_counts_the_start_day_holidays_and_adjusted_workdays(db, start, ends):
    assert services.window_end(start, 5) == (ends, [])


def test_publish_fixes_the_window_and_moves_the_topic(world, monkeypatch):
    notice = published(world, monkeypatch, start=date(2026, 9, 28))
    assert (notice.status, notice.starts_on, notice.ends_on) == (NoticeStatus.PUBLISHED, date(2026, 9, 28),
                                                                 date(2026, 10, 9))
    assert topic_status(notice) == TopicStatus.PUBLICISING
    assert services.days_left(notice, date(2026, 10, 3)) == 2   # holidays do not count down
    assert services.days_left(notice, date(2026, 10, 10)) == 0


def test_a_start_in_a_year_the_calendar_lacks_counts_statutory_holidays_and_warns(world, monkeypatch):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    notice = published(world, monkeypatch, start=date(2026, 12, 28))
    # 12-28..31, then 元旦 (statutory every year, entered or not) and the weekend, then Monday 01-04: a warning.
    assert notice.ends_on == date(2027, 1, 4)
    assert notice.calendar_warnings and "2027 年的节假日安排尚未录入" in notice.calendar_warnings[0]
    assert Notice.objects.get(pk=notice.pk).calendar_warnings == notice.calendar_warnings


def test_publish_twice_is_one_publication(world, monkeypatch):
    notice = published(world, monkeypatch)
    again = services.notice_publish(actor=world.users["community_secretary"], notice=notice)
    assert again.ends_on == notice.ends_on
    assert [e.kind for e in events_of(notice)].count("notice.published") == 1


def test_publish_tells_the_proposer_and_the_reporters(world, monkeypatch):
    set_today(monkeypatch, date(2026, 11, 2))
    notice = draft(world)
    Topic.objects.filter(pk=notice.topic_id).update(proposer=world.people["resident2"])
    services.notice_publish(actor=world.users["community_secretary"], notice=notice)
    assert told(world.people["resident2"], "开始公示，至 11月6日 止")


def test_publish_in_the_past_is_refused(world, monkeypatch):
    set_today(monkeypatch, date(2026, 11, 2))
    notice = draft(world)
    with pytest.raises(DomainError, match="不能早于今天"):
        services.notice_publish(actor=world.users["community_secretary"], notice=notice, starts_on=date(2026, 11, 1))
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT
    assert topic_status(notice) == TopicStatus.RESOLVED


# ---- objections ----

def test_resident_in_scope_objects_during_the_window_and_staff_are_told(world, monkeypatch):
    notice = published(world, monkeypatch)
    objection = services.objection_raise(actor=world.users["resident"], notice=notice, text="灯太亮影响休息")
    assert objection.person == world.people["resident"]
    assert told(world.people["community_secretary"], "收到居民异议")
    assert "objection.raised" in [e.kind for e in events_of(notice)]


@pytest.mark.parametrize("persona", ["resident2", "resident3", "handler"])
def test_people_outside_the_scope_may_not_object(world, monkeypatch, persona):
    notice = published(world, monkeypatch)  # scope G1: resident2 lives in C2, resident3 in another street
    with pytest.raises(PermissionDeniedError, match="涉及范围内的居民"):
        services.objection_raise(actor=world.users[persona], notice=notice, text="反对")
    assert not Objection.objects.exists()


def test_no_objection_after_the_window(world, monkeypatch):
    notice = published(world, monkeypatch)
    set_today(monkeypatch, date(2026, 11, 7))
    with pytest.raises(Conflict, match="不在公示期内"):
        services.objection_raise(actor=world.users["resident"], notice=notice, text="反对")


def test_answer_tells_the_objector_and_blocks_completion_until_answered(world, monkeypatch):
    notice = published(world, monkeypatch)
    objection = services.objection_raise(actor=world.users["resident"], notice=notice, text="施工时间太早")
    set_today(monkeypatch, date(2026, 11, 9))
    with pytest.raises(Conflict, match="1 条异议未答复"):
        services.notice_complete(actor=world.users["community_secretary"], notice=notice)
    services.objection_answer(actor=world.users["community_staff"], objection=objection,
                              answer="施工安排在9点以后", substantial=False)
    assert told(world.people["resident"], "施工安排在9点以后")
    with pytest.raises(Conflict, match="已答复"):
        services.objection_answer(actor=world.users["community_staff"], objection=objection, answer="再答",
                                  substantial=True)
    done = services.notice_complete(actor=world.users["community_secretary"], notice=notice)
    assert done.status == NoticeStatus.COMPLETED and topic_status(notice) == TopicStatus.HANDLING


def test_substantial_objection_sends_the_topic_back_to_deliberation(world, monkeypatch):
    notice = published(world, monkeypatch)
    objection = services.objection_raise(actor=world.users["resident"], notice=notice, text="方案未征求3栋意见")
    services.objection_answer(actor=world.users["community_secretary"], objection=objection,
                              answer="确有遗漏，退回重新协商", substantial=True)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.WITHDRAWN
    topic = Topic.objects.get(pk=notice.topic_id)
    assert topic.status == TopicStatus.ANALYSING
    assert "实质性异议" in [e for e in events_of(topic)][-1].payload["reason"]


def test_answer_needs_text_and_office_scope(world, monkeypatch):
    notice = published(world, monkeypatch)
    objection = services.objection_raise(actor=world.users["resident"], notice=notice, text="反对")
    with pytest.raises(DomainError, match="请填写答复"):
        services.objection_answer(actor=world.users["community_staff"], objection=objection, answer=" ",
                                  substantial=False)
    with pytest.raises(PermissionDeniedError):
        services.objection_answer(actor=world.users["grid_worker"], objection=objection, answer="好",
                                  substantial=False)
    assert Objection.objects.get(pk=objection.pk).answered_at is None


# ---- completion, legality review ----

def test_complete_waits_for_the_window(world, monkeypatch):
    notice = published(world, monkeypatch)
    set_today(monkeypatch, date(2026, 11, 6))
    with pytest.raises(Conflict, match="期满后才能结束"):
        services.notice_complete(actor=world.users["community_secretary"], notice=notice)


def test_major_matter_waits_for_the_street_review(world, monkeypatch):
    notice = published(world, monkeypatch, topic={"title": "幸福苑3栋加装电梯"})
    review = LegalReview.objects.get(notice=notice)
    assert (review.status, review.reviewer_area) == (ReviewStatus.PENDING, world.areas["S1"])
    assert told(world.people["street_official"], "待合法性审核")
    assert list(legal_reviews_for(world.users["street_official"])) == [review]
    assert not legal_reviews_for(world.users["community_secretary"]).exists()
    set_today(monkeypatch, date(2026, 11, 9))
    services.notice_complete(actor=world.users["community_secretary"], notice=notice)
    assert topic_status(notice) == TopicStatus.PUBLICISING  # completed, but the review is not done
    with pytest.raises(PermissionDeniedError):
        services.legal_review_decide(actor=world.users["community_secretary"], review=review, approve=True,
                                     opinion="同意")
    services.legal_review_decide(actor=world.users["street_official"], review=review, approve=True,
                                 opinion="符合法律法规，同意实施")
    assert topic_status(notice) == TopicStatus.HANDLING
    with pytest.raises(Conflict):
        services.legal_review_decide(actor=world.users["street_official"], review=review, approve=False,
                                     opinion="改主意")


def test_review_approved_before_the_window_ends_then_completion_moves_the_topic(world, monkeypatch):
    notice = published(world, monkeypatch, topic={"title": "幸福苑3栋加装电梯"})
    services.legal_review_decide(actor=world.users["district_official"], review=LegalReview.objects.get(),
                                 approve=True, opinion="同意")
    assert topic_status(notice) == TopicStatus.PUBLICISING
    assert services.notices_tick(today=date(2026, 11, 9)) == 1
    assert topic_status(notice) == TopicStatus.HANDLING


def test_rejected_review_sends_the_topic_back_with_the_opinion(world, monkeypatch):
    notice = published(world, monkeypatch)
    services.notice_mark_major(actor=world.users["community_staff"], notice=notice, reason="涉及消防通道")
    review = LegalReview.objects.get(notice=notice)
    services.legal_review_decide(actor=world.users["street_official"], review=review, approve=False,
                                 opinion="占用消防通道，不合规")
    topic = Topic.objects.get(pk=notice.topic_id)
    assert topic.status == TopicStatus.ANALYSING
    assert "占用消防通道" in list(events_of(topic))[-1].payload["reason"]


def test_review_needs_an_opinion(world, monkeypatch):
    notice = published(world, monkeypatch, topic={"title": "幸福苑3栋加装电梯"})
    review = LegalReview.objects.get(notice=notice)
    with pytest.raises(DomainError, match="审核意见"):
        services.legal_review_decide(actor=world.users["street_official"], review=review, approve=True, opinion="")
    assert LegalReview.objects.get(pk=review.pk).status == ReviewStatus.PENDING


def test_nanchang_reviews_at_the_district(world, monkeypatch):
    notice = published(world, monkeypatch, topic={"title": "加装电梯", "template": "nanchang-round-table"})
    assert LegalReview.objects.get(notice=notice).reviewer_area == world.areas["D"]


def test_tick_completes_due_notices_once_and_reports_the_blocked(world, monkeypatch):
    first = published(world, monkeypatch)
    second = published(world, monkeypatch, topic={"title": "幸福苑健身器材更新"})
    services.objection_raise(actor=world.users["resident"], notice=second, text="位置不合适")
    assert services.notices_tick(today=date(2026, 11, 6)) == 0   # the last day still runs
    assert services.notices_tick(today=date(2026, 11, 9)) == 1
    assert services.notices_tick(today=date(2026, 11, 9)) == 0
    assert Notice.objects.get(pk=first.pk).status == NoticeStatus.COMPLETED
    assert Notice.objects.get(pk=second.pk).status == NoticeStatus.PUBLISHED
    assert [e.kind for e in events_of(second)].count("notice.blocked") == 1
    assert told(world.people["community_secretary"], "1 条异议未答复")


# ---- reads ----

def test_residents_see_published_notices_of_their_community_never_drafts(world, monkeypatch):
    running = published(world, monkeypatch)
    waiting = draft(world, topic={"title": "幸福苑停车位划线"})
    assert set(notices_visible_to(world.users["community_staff"])) == {running, waiting}
    assert list(notices_visible_to(world.users["resident"])) == [running]
    assert not notices_visible_to(world.users["resident3"]).exists()
    assert list(public_notices_of(world.areas["C1"])) == [running]
    assert not public_notices_of(world.areas["C2"]).exists()


# ---- concurrency (PostgreSQL: SQLite serializes every write, so there is no race to test there) ----



@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_approve_and_reject_at_once_exactly_one_wins(world, monkeypatch):
    notice = published(world, monkeypatch, topic={"title": "幸福苑3栋加装电梯"})
    review = LegalReview.objects.get(notice=notice)
    street, district = world.users["street_official"], world.users["district_official"]
    results = race([
        lambda: services.legal_review_decide(actor=street, review=LegalReview.objects.get(pk=review.pk),
                                             approve=True, opinion="同意"),
        lambda: services.legal_review_decide(actor=district, review=LegalReview.objects.get(pk=review.pk),
                                             approve=False, opinion="不同意")])
    assert sum(isinstance(r, Conflict) for r in results) == 1
    kinds = [e.kind for e in events_of(review)]
    assert kinds[0] == "legal_review.requested" and len(kinds) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_substantial_answer_racing_completion_leaves_one_outcome(world, monkeypatch):
    notice = published(world, monkeypatch)
    objection = services.objection_raise(actor=world.users["resident"], notice=notice, text="反对")
    services.objection_answer(actor=world.users["community_staff"], objection=objection, answer="已说明",
                              substantial=False)
    late = services.objection_raise(actor=world.users["resident"], notice=notice, text="再反对")
    Objection.objects.filter(pk=late.pk).update(answer="", answered_at=None)
    set_today(monkeypatch, date(2026, 11, 9))
    staff, secretary = world.users["community_staff"], world.users["community_secretary"]
    results = race([
        lambda: services.objection_answer(actor=staff, objection=Objection.objects.get(pk=late.pk), answer="退回",
                                          substantial=True),
        lambda: services.notice_complete(actor=secretary, notice=Notice.objects.get(pk=notice.pk))])
    # Completion holds the notice's row lock while it counts: it either sees the objection still unanswered or
    # the notice already withdrawn. Never a completed notice with an unanswered (or substantial) objection.
    assert isinstance(results[0], Objection) and isinstance(results[1], Conflict)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.WITHDRAWN
    assert Topic.objects.get(pk=notice.topic_id).status == TopicStatus.ANALYSING
