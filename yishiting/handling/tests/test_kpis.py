"""The three rates (响应率、按期办结率、满意率) from the event log: built through the real services, the figures
equal the hand counts, each names what it counted, and an area counts its subtree only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.kpis import rates
from yishiting.handling.models import Task
from yishiting.handling.services import evaluation
from yishiting.handling.services import tasks as tasks_services

from .tasks_world import assign, handling_topic
from .test_evaluation import B, D, S, close_task, rate_all, residents


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _figures(area, **kwargs) -> dict:
    today = timezone.localdate()
    return {f.key: f for f in rates(area, kwargs.get("start", today), kwargs.get("end", today)).figures}


def _submit(world, username: str, area: str, text: str) -> Demand:
    return demand_submit(actor=world.users[username], submission=Submission(text=text, area=world.areas[area]))


def test_response_rate_counts_decisions_within_the_deadline(world):
    on_time = _submit(world, "resident", "B1", "3栋楼道灯不亮")
    late = _submit(world, "resident", "B1", "小区垃圾桶太少")
    _submit(world, "resident", "B1", "健身器材损坏")  # not screened yet
    _submit(world, "resident3", "B3", "湖滨花园路面破损")  # another street: not in 幸福苑's figures
    Demand.objects.filter(pk=late.pk).update(screening_deadline=timezone.localdate() - timedelta(days=1))
    for demand in (on_time, late):
        demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
            outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title=demand.text))
    figure = _figures(world.areas["C1"])["response"]
    assert (figure.numerator, figure.denominator, figure.percent) == ("1", 3, "33.33")
    assert figure.counted == [on_time.number] and figure.extra == {"late": 1, "waiting": 1}
    assert late.number in figure.not_counted and "期间收到的诉求 3" in figure.rule
    assert _figures(world.areas["D"])["response"].denominator == 4  # the district counts its whole subtree
    yesterday = timezone.localdate() - timedelta(days=1)
    assert _figures(world.areas["C1"], start=yesterday, end=yesterday)["response"].denominator == 0


def test_on_time_rate_counts_the_deadline_in_force_and_reports_extensions(world):
    topic, resolution = handling_topic(world)
    plain, extended, late = (assign(world, topic, resolution, title=t) for t in ("换灯", "修门", "刷墙"))
    request = tasks_services.extension_request(actor=world.users["handler"], task=extended,
                                               new_deadline=extended.deadline + timedelta(days=5), reason="缺材料")
    tasks_services.extension_decide(actor=world.users["community_staff"], extension=request, approve=True)
    Task.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    for task in (plain, extended, late):
        task.refresh_from_db()
        close_task(world, task)
    figure = _figures(world.areas["C1"])["on_time"]
    assert (figure.numerator, figure.denominator, figure.percent) == ("2", 3, "66.67")
    assert figure.extra == {"late": 1, "extended": 1}
    assert figure.counted == [f"任务 {plain.pk}", f"任务 {extended.pk}"] and figure.not_counted == [f"任务 {late.pk}"]
    assert "延过期的 1 项" in figure.rule
    assert _figures(world.areas["C2"])["on_time"].denominator == 0  # 和平里 has none


def test_a_task_reopened_and_closed_again_counts_once(world):
    topic, resolution = handling_topic(world)
    task = assign(world, topic, resolution)
    close_task(world, task)
    round_ = topic.evaluation_rounds.get()
    rate_all(round_, residents(world, 3), [D, D, D])
    evaluation.round_close(actor=world.users["community_staff"], round=round_)  # 重办
    task.refresh_from_db()
    close_task(world, task)
    assert _figures(world.areas["C1"])["on_time"].denominator == 1


def test_satisfaction_rate_uses_the_formula_over_ratings_in_the_period(world, django_assert_max_num_queries):
    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution))
    rate_all(topic.evaluation_rounds.get(), residents(world, 10), [S] * 7 + [B] * 2 + [D])
    with django_assert_max_num_queries(10):
        figures = _figures(world.areas["S1"])
    figure = figures["satisfaction"]
    assert (figure.numerator, figure.denominator, figure.percent) == ("8.80", 10, "88.00")
    assert figure.extra["counts"] == {"satisfied": 7, "basic": 2, "dissatisfied": 1}
    assert len(figure.counted) == 10 and figure.rule.startswith("（满意 7 + 0.90 × 基本满意 2）÷ 有效评价 10")
    assert _figures(world.areas["S2"])["satisfaction"].denominator == 0


def test_a_period_ending_before_it_starts_is_refused(world):
    from yishiting.common.errors import DomainError

    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        rates(world.areas["C1"], today, today - timedelta(days=1))
    assert error.value.code == "invalid_period"
