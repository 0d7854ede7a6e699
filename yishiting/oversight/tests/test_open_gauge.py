"""The "open now" gauge (OpenCount) and the responsible units' cells equal a count of the records themselves: over random histories made through
the real services (seeded, so a failure replays), for random areas and random days called "today" (the overdue
is a sum over the cells due before it), as items enter and leave their stages; a rebuild gives the same cells,
and `yishiting verify` names a tampered gauge cell."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.common.events import event_append
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.services.topics import topic_transition
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.choices import Satisfaction
from yishiting.handling.models import Task
from yishiting.handling.selectors.evaluation import percent_text, satisfied_from
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.handling.tests.test_evaluation import close_task
from yishiting.handling.warnings import warnings_tick
from yishiting.oversight import funnel, periods
from yishiting.oversight.models import OpenCount
from yishiting.oversight.overview import by_unit, open_stages
from yishiting.oversight.projection import catch_up, rebuild, rebuild_open
from yishiting.oversight.reconcile import rollup_findings
from yishiting.oversight.selectors import open_gauge

pytestmark = pytest.mark.django_db

LEAVES = ["B1", "B2", "B3", "G1", "C1"]
REPORTER = {"B2": "resident2", "B3": "resident3"}
SCREENED_HERE = {"B1", "G1", "C1"}  # the community staff's (幸福苑社区); the others stay pending
AREAS = ["D", "S1", "S2", "C1", "C2", "G1"]


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit(world, area: str, text: str) -> Demand:
    return demand_submit(actor=world.users[REPORTER.get(area, "resident")],
                         submission=Submission(text=text, area=world.areas[area]))


def _screen(world, demand: Demand, outcome: str, rng: random.Random) -> None:
    extra = {}
    if outcome == Outcome.HANDLING:
        extra = {"handler": world.people["handler"], "organization": world.organizations["agency"],
                 "deadline": timezone.localdate() + timedelta(days=rng.randrange(1, 20))}
    elif outcome == Outcome.MEDIATION:
        extra = {"reason": "邻里纠纷，先行调解"}
    nature = {Outcome.TOPIC: Nature.PUBLIC, Outcome.MEDIATION: Nature.DISPUTE}.get(outcome, Nature.INDIVIDUAL)
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=outcome, nature=nature, topic_title=demand.text if outcome == Outcome.TOPIC else "", **extra))


def _gauge_equals_the_records(world, rng: random.Random, checks: int = 6) -> None:
    catch_up()
    today = timezone.localdate()
    for _ in range(checks):
        area, day = world.areas[rng.choice(AREAS)], today + timedelta(days=rng.randrange(-10, 25))
        live = funnel.open_counts(funnel.live_open_counts(area, day))
        assert funnel.open_counts(open_gauge(area, day)) == live, (area.name, day)
        _units_equal_the_records(area, periods.current(rng.choice(["month", "year"]), today))


def _units_equal_the_records(area, period) -> None:
    """The responsible units' ranking from the roll-ups' `unit_` cells equals the tasks and ratings themselves."""
    rolled = {row.key: (row.closed, row.on_time, row.extra["ratings"], row.satisfaction_percent)
              for row in by_unit(area, period)}
    weight = funnel.basic_weight()
    live = {key: (closed, on_time, satisfied_from(ratings, weight).valid, percent_text(satisfied_from(ratings, weight).rate))
            for key, (closed, on_time, ratings) in funnel.live_units(area, period).items()}
    assert rolled == live, (area.name, period)


def _random_history(world, rng: random.Random) -> None:
    """Demands left pending with random screening deadlines (some past) or screened to a topic, direct handling
    or mediation; topics moved on; tasks given past deadlines and warned red, some closed — checking the gauge
    against the records after each step."""
    for n in range(rng.randrange(3, 7)):
        leaf = rng.choice(LEAVES)
        demand = _submit(world, leaf, f"第{n}件事：楼道灯坏了{rng.randrange(100)}")
        Demand.objects.filter(pk=demand.pk).update(
            screening_deadline=timezone.localdate() + timedelta(days=rng.randrange(-8, 8)))  # before it is counted
        outcome = rng.choice([None, None, Outcome.TOPIC, Outcome.HANDLING, Outcome.MEDIATION])
        if outcome is not None and leaf in SCREENED_HERE:
            if rng.random() < 0.5:
                catch_up()  # counted pending first, then leaving the stage
            _screen(world, Demand.objects.get(pk=demand.pk), outcome, rng)
    _gauge_equals_the_records(world, rng)
    topic, resolution = handling_topic(world)
    tasks = [assign(world, topic, resolution, title=f"任务{n}", area=world.areas[rng.choice(["B1", "G1", "C1"])])
             for n in range(rng.randrange(2, 5))]
    _gauge_equals_the_records(world, rng)
    today = timezone.localdate()
    for task in tasks:
        if rng.random() < 0.6:  # overdue: the tick's red warning is the task's event the catch-up counts it by
            Task.objects.filter(pk=task.pk).update(deadline=today - timedelta(days=rng.randrange(1, 6)))
    warnings_tick(today=today)
    _gauge_equals_the_records(world, rng)
    for task in tasks:
        if rng.random() < 0.4:
            close_task(world, Task.objects.get(pk=task.pk))
        for r in range(rng.randrange(0, 3)):
            event_append(subject=task, kind="rating.given", payload={
                "rating": 1000 * task.pk + r, "value": rng.choice(list(Satisfaction.values)),
                "reporter": rng.random() < 0.5, "path": world.areas[rng.choice(LEAVES)].path})
    _gauge_equals_the_records(world, rng)


@pytest.mark.parametrize("seed", range(3))
def test_the_gauge_equals_the_records_for_random_areas_and_days(world, seed):
    rng = random.Random(seed)
    _random_history(world, rng)
    stages = {s.key: s for s in open_stages(world.areas["D"], timezone.localdate())}
    live = funnel.open_counts(funnel.live_open_counts(world.areas["D"], timezone.localdate()))
    assert [(s.open, s.overdue, s.red) for s in stages.values()] == [(r["open"], r["overdue"], r["red"]) for r in live]
    assert stages["tasks"].open >= 1 and list(rollup_findings()) == []


def test_topics_enter_and_leave_deliberation_and_evaluation(world):
    topic, resolution = handling_topic(world)  # handling: its tasks count, not the topic
    catch_up()
    assert "deliberation" not in open_gauge(world.areas["S1"], timezone.localdate())
    task = assign(world, topic, resolution)
    close_task(world, task)  # the last task closed: the topic goes to evaluation
    topic.refresh_from_db()
    gauge = open_gauge(world.areas["S1"], timezone.localdate())
    assert topic.status == TopicStatus.EVALUATING and gauge["evaluating"] == (1, 0) and "tasks" not in gauge
    demand = _submit(world, "B1", "小区东门路灯不亮")
    _screen(world, demand, Outcome.TOPIC, random.Random(1))
    opened = Demand.objects.get(pk=demand.pk).topic
    topic_transition(actor=world.users["community_secretary"], topic=opened, to=TopicStatus.ANALYSING)
    gauge = open_gauge(world.areas["C1"], timezone.localdate())
    assert gauge["deliberation"] == (1, 0) and "screening" not in gauge  # never overdue: it has no deadline


def test_a_rebuild_gives_the_same_gauge_and_verify_names_a_tampered_cell(world):
    _random_history(world, random.Random(11))
    catch_up()
    before = sorted(OpenCount.objects.exclude(n=0).values_list("path", "stage", "due", "n"))
    assert before
    rebuild()
    assert sorted(OpenCount.objects.exclude(n=0).values_list("path", "stage", "due", "n")) == before
    OpenCount.objects.all().delete()  # an install upgraded to the gauge: the open items are filled in alone
    call_command("rollups", "--rebuild", "--open")
    assert sorted(OpenCount.objects.exclude(n=0).values_list("path", "stage", "due", "n")) == before
    assert rebuild_open() > 0 and sorted(OpenCount.objects.exclude(n=0).values_list("path", "stage", "due", "n")) == before
    cell = OpenCount.objects.filter(path=world.areas["S1"].path).exclude(n=0).first()
    OpenCount.objects.filter(pk=cell.pk).update(n=cell.n + 2)
    found = [f for f in rollup_findings() if f.subject_type == "oversight.opencount"]
    assert len(found) == 1 and f"表中 {cell.n + 2}，按记录重新计数为 {cell.n}" in found[0].problems[0]


def test_the_gauge_is_one_query_whatever_the_number_of_items(world):
    def queries() -> int:
        catch_up()
        with CaptureQueriesContext(connection) as captured:
            open_gauge(world.areas["D"], timezone.localdate())
        return len(captured.captured_queries)

    _submit(world, "B1", "楼道灯坏了")
    few = queries()
    for n in range(10):
        _submit(world, LEAVES[n % len(LEAVES)], f"第{n}件：停车难")
    assert queries() == few == 2  # nothing new to count (one query), the gauge (one)
