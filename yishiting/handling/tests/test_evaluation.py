"""Evaluation (评): opening a round when the last task closes, who may rate, one rating each, 五方互评, 组织考评,
the exact tally, and 重办 above the threshold — through the services, on the real calendar and database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.calendar import add_working_days
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.common.testing import World, make_user
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.handling.choices import RoundStatus, Satisfaction, TaskStatus
from yishiting.handling.models import EvaluationRound, Rating
from yishiting.handling.services import evaluation as services
from yishiting.handling.services import tasks as tasks_services
from yishiting.notifications.models import Notification

from .tasks_world import assign, handling_topic, photo

S, B, D = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def close_task(world: World, task) -> None:
    if task.status == "assigned":
        tasks_services.task_accept(actor=world.users["handler"], task=task)
    tasks_services.task_submit(actor=world.users["handler"], task=task, evidence="已全部更换", files=[("a.jpg", photo())])
    tasks_services.task_verify(actor=world.users["community_staff"], task=task, approve=True)


def evaluating_topic(world: World, **kwargs) -> tuple[Topic, EvaluationRound]:
    """A topic whose one task was verified closed: the tasks stage calls evaluation_start, round 1 opens."""
    topic, resolution = handling_topic(world, **kwargs)
    close_task(world, assign(world, topic, resolution))
    topic.refresh_from_db()
    return topic, topic.evaluation_rounds.get()


def residents(world: World, n: int, household: str = "H2") -> list:
    """n more residents living in 幸福苑 (U1), each with a login."""
    users = []
    for i in range(n):
        person = areas.person_create(actor=None, name=f"居民{i}", mobile=f"139{i:08d}",
                                     household=world.households[household])
        areas.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
        users.append(make_user(world, f"r{household}{i}", person))
    return users


def rate_all(round_: EvaluationRound, users: list, values: list[str]) -> None:
    for user, value in zip(users, values, strict=True):
        services.rating_give(actor=user, round=round_, value=value, comment="还有问题" if value == D else "")


# ---- opening ----

def test_last_task_closed_opens_round_1_and_invites(world, messages_outbox, django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=True):
        topic, resolution = handling_topic(world)
        reporter = world.people["resident2"]  # lives in 和平里, outside the scope: invited as a reporter
        _demand_on(world, topic, "resident2", "B2")
        close_task(world, assign(world, topic, resolution))
    topic.refresh_from_db()
    round_ = topic.evaluation_rounds.get()
    assert topic.status == TopicStatus.EVALUATING and round_.number == 1 and round_.status == RoundStatus.OPEN
    assert round_.closes_on == add_working_days(timezone.localdate(), topic.template.evaluation_days).date
    invite = Notification.objects.filter(subject_type="handling.evaluationround", subject_id=str(round_.pk))
    assert invite.filter(person=reporter, sent_by_sms=True).exists()
    assert invite.filter(person=world.people["resident"], sent_by_sms=False).exists()  # in scope: in-app only
    assert not invite.filter(person=world.people["resident3"]).exists()  # 湖滨: neither
    invitations = [m for m in messages_outbox if "评价办理结果" in m.text]
    assert [m.to for m in invitations] == [reporter.mobile]  # one SMS: the reporter's
    assert events_of(round_).first().kind == "evaluation.opened"


def _demand_on(world: World, topic: Topic, username: str, area: str = "B1"):
    """A demand by `username` gathered into the topic (as screening into an existing topic leaves it)."""
    from yishiting.demands.services import Submission, demand_submit

    demand = demand_submit(actor=world.users[username], submission=Submission(text="楼道灯不亮",
                                                                              area=world.areas[area]))
    type(demand).objects.filter(pk=demand.pk).update(topic=topic)
    return demand


# ---- residents' ratings ----

def test_one_rating_per_person_final_and_only_in_scope(world):
    topic, round_ = evaluating_topic(world)
    rating = services.rating_give(actor=world.users["resident"], round=round_, value=S, comment="灯都亮了")
    assert (rating.value, rating.is_reporter) == (S, False)
    with pytest.raises(Conflict) as second:
        services.rating_give(actor=world.users["resident"], round=round_, value=D, comment="改主意")
    assert second.value.code == "already_rated"
    assert Rating.objects.get(round=round_).value == S  # not changed
    with pytest.raises(PermissionDeniedError):  # 和平里 resident, not a reporter of this topic
        services.rating_give(actor=world.users["resident2"], round=round_, value=S)
    assert events_of(round_).filter(kind="rating.given").count() == 1


@pytest.mark.parametrize("value, comment, code", [
    ("great", "", "invalid_choice"), (D, "", "required"), (S, "字" * 1001, "too_long")])
def test_bad_ratings_are_refused_and_nothing_is_saved(world, value, comment, code):
    _, round_ = evaluating_topic(world)
    with pytest.raises(DomainError) as error:
        services.rating_give(actor=world.users["resident"], round=round_, value=value, comment=comment)
    assert error.value.code == code and not Rating.objects.exists()


def test_no_rating_after_the_period(world):
    _, round_ = evaluating_topic(world)
    EvaluationRound.objects.filter(pk=round_.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Conflict) as error:
        services.rating_give(actor=world.users["resident"], round=round_, value=S)
    assert error.value.code == "round_closed" and not Rating.objects.exists()


def test_direct_handling_task_rated_by_its_reporter_once_closed(world):
    from yishiting.demands.choices import Nature, Outcome
    from yishiting.demands.screening import Decision, demand_screen
    from yishiting.demands.services import Submission, demand_submit

    demand = demand_submit(actor=world.users["resident"], submission=Submission(text="家门口路灯不亮",
                                                                                area=world.areas["B1"]))
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    with pytest.raises(Conflict):
        services.rating_give(actor=world.users["resident"], task=demand.task, value=S)
    close_task(world, demand.task)
    with pytest.raises(PermissionDeniedError):
        services.rating_give(actor=world.users["grid_worker"], task=demand.task, value=S)
    rating = services.rating_give(actor=world.users["resident"], task=demand.task, value=B)
    assert rating.is_reporter and rating.task_id == demand.task.pk
    with pytest.raises(DomainError):
        services.rating_give(actor=world.users["resident"], value=S)  # neither a round nor a task


# ---- 五方互评 and 组织考评 ----

def test_party_rating_by_a_representative_once_per_pair(world):
    _, round_ = evaluating_topic(world, template="shuangyashan-5fang")
    property_rep = areas.person_create(actor=None, name="物业经理", mobile="13700000001", area=world.areas["C1"])
    areas.role_assign(actor=None, person=property_rep, role=Role.ORG_REPRESENTATIVE, area=world.areas["C1"],
                      organization=world.organizations["property"])
    user = make_user(world, "property_rep", property_rep)
    rating = services.party_rating_give(actor=user, round=round_, rater_party="property",
                                        ratee_party="residents_committee", score=92, comment="配合及时")
    assert rating.score == 92
    with pytest.raises(Conflict):
        services.party_rating_give(actor=user, round=round_, rater_party="property",
                                   ratee_party="residents_committee", score=50)
    with pytest.raises(PermissionDeniedError):  # the property company does not speak for the police
        services.party_rating_give(actor=user, round=round_, rater_party="police", ratee_party="property", score=80)
    with pytest.raises(DomainError) as own:
        services.party_rating_give(actor=user, round=round_, rater_party="property", ratee_party="property",
                                   score=80)
    assert own.value.code == "self_rating"
    with pytest.raises(DomainError) as bad:
        services.party_rating_give(actor=user, round=round_, rater_party="property", ratee_party="police",
                                   score=101)
    assert bad.value.code == "invalid_score"
    # The secretary speaks for the 居委会; staff enter the police's paper form, naming who filled it in.
    services.party_rating_give(actor=world.users["community_secretary"], round=round_,
                               rater_party="residents_committee", ratee_party="property", score=85)
    services.party_rating_give(actor=world.users["community_staff"], round=round_, rater_party="police",
                               ratee_party="property", score=90, entered_for="社区民警 王警官")
    paper = events_of(round_).filter(kind="party_rating.given").last()
    assert paper.payload["entered_for"] == "社区民警 王警官"
    with pytest.raises(PermissionDeniedError):  # a resident cannot enter for anyone
        services.party_rating_give(actor=world.users["resident"], round=round_, rater_party="police",
                                   ratee_party="owners_committee", score=90, entered_for="某人")


@pytest.mark.parametrize("persona, allowed", [
    ("street_official", True), ("district_official", True), ("community_secretary", False),
    ("community_staff", False), ("resident", False), ("handler", False)])
def test_org_assessment_by_street_and_district_only(world, persona, allowed):
    _, round_ = evaluating_topic(world)
    if allowed:
        assert services.org_assess(actor=world.users[persona], round=round_, score=95).score == 95
        with pytest.raises(Conflict):
            services.org_assess(actor=world.users[persona], round=round_, score=80)
    else:
        with pytest.raises(PermissionDeniedError):
            services.org_assess(actor=world.users[persona], round=round_, score=95)


def test_a_street_official_of_another_street_may_not_assess(world):
    _, round_ = evaluating_topic(world)
    other = areas.person_create(actor=None, name="西湖主任", mobile="13700000002", area=world.areas["S2"])
    areas.role_assign(actor=None, person=other, role=Role.STREET_OFFICIAL, area=world.areas["S2"])
    with pytest.raises(PermissionDeniedError):
        services.org_assess(actor=make_user(world, "s2", other), round=round_, score=95)


# ---- the tally ----

def test_exact_satisfaction_7_2_1_is_88_percent(world):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 10), [S] * 7 + [B] * 2 + [D])
    services.org_assess(actor=world.users["street_official"], round=round_, score=90)
    closed = services.round_close(actor=world.users["community_staff"], round=round_)
    result = closed.result
    assert result["satisfaction"]["numerator"] == "8.80" and result["satisfaction"]["denominator"] == 10
    assert result["satisfaction"]["percent"] == "88.00"
    assert "（满意 7 + 0.90 × 基本满意 2）÷ 有效评价 10" in result["satisfaction"]["rule"]
    assert result["dissatisfied"]["percent"] == "10.00" and not closed.reopened
    # kenli-345 weights residents 70, parties 0, organization 30: (88 × 70 + 90 × 30) ÷ 100 = 88.6
    assert topic.template.evaluation_weights == {"residents": 70, "parties": 0, "organization": 30}
    assert result["total"]["value"] == "88.60" and result["total"]["weight_sum"] == 100
    topic.refresh_from_db()
    assert topic.status == TopicStatus.EVALUATING  # the archive stage takes it from here
    assert Notification.objects.filter(person=world.people["community_staff"], text__contains="可以归档").exists()


def test_template_basic_weight_is_used(world):
    topic, round_ = evaluating_topic(world)
    type(topic.template).objects.filter(pk=topic.template_id).update(basic_weight=Decimal("0.50"))
    rate_all(round_, residents(world, 4), [S, B, B, B])
    closed = services.round_close(actor=world.users["community_staff"], round=round_)
    assert closed.result["satisfaction"]["percent"] == "62.50"  # (1 + 0.5 × 3) / 4


def _with_threshold(topic: Topic, percent: int, minimum: int = 3) -> None:
    type(topic.template).objects.filter(pk=topic.template_id).update(reopen_threshold_percent=percent,
                                                                     reopen_min_ratings=minimum)


def test_exactly_at_the_threshold_does_not_reopen(world):
    topic, round_ = evaluating_topic(world)
    _with_threshold(topic, 30)
    rate_all(round_, residents(world, 10), [S] * 7 + [D] * 3)  # 3/10 = 30% (0.3 × 100 is 30.000…04 in floats)
    closed = services.round_close(actor=world.users["community_staff"], round=round_)
    assert not closed.reopened and closed.result["reopen"]["decided"] is False
    topic.refresh_from_db()
    assert topic.status == TopicStatus.EVALUATING


def test_a_hair_above_the_threshold_reopens_once_with_a_reason(world):
    topic, round_ = evaluating_topic(world)
    _with_threshold(topic, 33)
    rate_all(round_, residents(world, 3), [S, S, D])  # 1/3 = 33.33…% > 33%
    closed = services.round_close(actor=world.users["community_staff"], round=round_)
    assert closed.reopened and "33.33%" in closed.reopen_reason and "超过重办阈值 33%" in closed.reopen_reason
    topic.refresh_from_db()
    task = topic.tasks.get()
    assert topic.status == TopicStatus.HANDLING and task.status == TaskStatus.IN_PROGRESS
    assert Notification.objects.filter(person=world.people["handler"], text__contains="须重办").exists()
    assert Notification.objects.filter(person=world.people["community_staff"], text__contains="重办").exists()
    # The redone task closes again: round 2 opens, and even all-dissatisfied it never reopens again.
    close_task(world, task)
    topic.refresh_from_db()
    second = topic.evaluation_rounds.get(number=2)
    assert topic.status == TopicStatus.EVALUATING
    rate_all(second, residents(world, 3, household="H1"), [D, D, D])
    closed2 = services.round_close(actor=world.users["community_staff"], round=second)
    assert not closed2.reopened and closed2.result["dissatisfied"]["percent"] == "100.00"
    topic.refresh_from_db()
    assert topic.status == TopicStatus.EVALUATING


def test_too_few_ratings_never_reopen(world):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 2), [D, D])  # 100% but fewer than reopen_min_ratings (3)
    assert not services.round_close(actor=world.users["community_staff"], round=round_).reopened


# ---- closing ----

def test_who_may_close_early_and_a_second_close_is_a_conflict(world):
    _, round_ = evaluating_topic(world)
    for persona in ("resident", "handler", "grid_worker"):
        with pytest.raises(PermissionDeniedError):
            services.round_close(actor=world.users[persona], round=round_)
    services.round_close(actor=world.users["community_secretary"], round=round_)
    with pytest.raises(Conflict):
        services.round_close(actor=world.users["community_staff"], round=round_)
    with pytest.raises(Conflict):
        services.rating_give(actor=world.users["resident"], round=round_, value=S)


def test_tick_closes_rounds_past_their_period_once(world):
    _, round_ = evaluating_topic(world)
    services.rating_give(actor=world.users["resident"], round=round_, value=S)
    assert services.rounds_tick(today=round_.closes_on) == 0  # the last day still takes ratings
    assert services.rounds_tick(today=round_.closes_on + timedelta(days=1)) == 1
    assert services.rounds_tick(today=round_.closes_on + timedelta(days=1)) == 0
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.result["satisfaction"]["percent"] == "100.00"
    assert events_of(round_).filter(kind="evaluation.closed").count() == 1


def test_tick_reopens_without_an_actor(world):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 3), [D, D, S])
    assert services.rounds_tick(today=round_.closes_on + timedelta(days=1)) == 1
    topic.refresh_from_db()
    assert topic.status == TopicStatus.HANDLING and topic.tasks.get().status == TaskStatus.IN_PROGRESS


def test_party_codes_map_to_kinds_that_exist():
    for roles, kinds in services.PARTY_REPRESENTATIVES.values():
        assert set(roles) <= set(Role.values) and set(kinds) <= set(OrganizationKind.values)
