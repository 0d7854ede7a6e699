"""The roll-ups equal the live count from the event log: through the real services, over random histories
(seeded, so a failure replays), after a rebuild, and `yishiting verify` names a tampered cell."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.common.events import event_append
from yishiting.common.models import Event
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling import kpis
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.handling.tests.test_evaluation import B, D, S, close_task, rate_all, residents
from yishiting.oversight import selectors
from yishiting.oversight.models import DailyCount, DistrictRates, MonthlyCount
from yishiting.oversight.projection import catch_up, rebuild
from yishiting.oversight.reconcile import rollup_findings

KEYS = ["response", "on_time", "satisfaction"]
LEAVES = ["C1", "G1", "B1", "U1", "B2", "B3"]
REPORTER = {"B2": "resident2", "B3": "resident3"}
SCREEN = ["demand.topic", "demand.handling", "demand.escalate", "demand.reject", "demand.merged",
          "demand.mediation_accepted", "demand.mediation_closed"]


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _plain(figures) -> dict:
    """What a reader compares: numerator, denominator, percent and the extra counts of each rate."""
    return {f.key: (f.numerator, f.denominator, f.percent, {k: v for k, v in f.extra.items() if k != "counts"},
                    f.extra.get("counts")) for f in figures}


def _same(area, start, end) -> None:
    live = _plain(kpis.rates(area, start, end).figures)
    rolled = _plain(selectors.rates(area, start, end, keys=KEYS, samples=False).figures)
    assert rolled == live, (area.name, start, end)


def _at(day_offset: int, rng: random.Random) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return datetime.combine(day, time(rng.randrange(24), rng.randrange(60)), tzinfo=timezone.get_current_timezone())


def _submit(world, area: str, text: str = "楼道灯坏了") -> Demand:
    return demand_submit(actor=world.users[REPORTER.get(area, "resident")],
                         submission=Submission(text=text, area=world.areas[area]))


def _random_history(world, rng: random.Random, span: int = 70) -> None:
    """Demands submitted on random days, screened (or not) on random later days against random deadlines;
    tasks closed once or twice, some extended; ratings of random grades by reporters and others."""
    for n in range(rng.randrange(4, 9)):
        demand = _submit(world, rng.choice(LEAVES), f"第{n}件事")
        submitted = rng.randrange(-span, 1)
        Event.objects.filter(subject_id=str(demand.pk), subject_type="demands.demand").update(at=_at(submitted, rng))
        deadline = timezone.localdate() + timedelta(days=submitted + rng.randrange(0, 6))
        Demand.objects.filter(pk=demand.pk).update(screening_deadline=deadline)
        for _ in range(rng.choice([0, 1, 1, 2])):
            event = event_append(subject=demand, kind=rng.choice(SCREEN))
            Event.objects.filter(pk=event.pk).update(at=_at(min(0, submitted + rng.randrange(0, 9)), rng))
    for n in range(rng.randrange(2, 5)):
        task = assign(world, title=f"任务{n}", area=world.areas[rng.choice(["B1", "G1", "C1"])])
        for _ in range(rng.choice([0, 1, 1, 2])):
            if rng.random() < 0.3:
                event_append(subject=task, kind="task.extended")
            deadline = timezone.localdate() + timedelta(days=rng.randrange(-span, 5))
            event = event_append(subject=task, kind="task.closed", payload={"deadline": deadline.isoformat()})
            Event.objects.filter(pk=event.pk).update(at=_at(rng.randrange(-span, 1), rng))
        for r in range(rng.randrange(0, 4)):
            event = event_append(subject=task, kind="rating.given", payload={
                "rating": 1000 * n + r, "value": rng.choice([S, B, D]), "reporter": rng.random() < 0.5,
                "path": world.areas[rng.choice(LEAVES)].path})
            Event.objects.filter(pk=event.pk).update(at=_at(rng.randrange(-span, 1), rng))


@pytest.mark.parametrize("seed", range(4))
def test_random_histories_roll_up_to_the_live_count(world, seed):
    rng = random.Random(seed)
    _random_history(world, rng)
    catch_up()
    today = timezone.localdate()
    for _ in range(12):
        area = world.areas[rng.choice(["D", "S1", "S2", "C1", "G1", "C2"])]
        start = today - timedelta(days=rng.randrange(0, 80))
        _same(area, start, start + timedelta(days=rng.randrange(0, 80)))
    _same(world.areas["D"], today - timedelta(days=400), today)  # whole months and partial ones


def test_what_the_services_record_rolls_up(world):
    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution))
    rate_all(topic.evaluation_rounds.get(), residents(world, 5), [S, S, B, D, S])
    demand = _submit(world, "C1")
    demand_screen(actor=world.users["community_staff"], demand=demand,
                  decision=Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="楼道灯"))
    today = timezone.localdate()
    for name in ("D", "S1", "C1", "C2"):
        _same(world.areas[name], today, today)
    funnel = selectors.funnel_counts(world.areas["D"], today, today)
    assert funnel["submitted"] >= 1 and funnel["tasks_closed"] == 1 and funnel["to_topic"] == 1


def test_rebuild_is_idempotent_and_equals_the_catch_up(world):
    rng = random.Random(7)
    _random_history(world, rng)
    catch_up()
    before = sorted(DailyCount.objects.exclude(n=0).values_list("path", "category_id", "day", "measure", "n"))
    rebuild()
    rebuild()
    assert sorted(DailyCount.objects.exclude(n=0).values_list("path", "category_id", "day", "measure", "n")) == before
    call_command("rollups", "--rebuild", "--district", world.areas["D"].code)
    assert sorted(DailyCount.objects.exclude(n=0).values_list("path", "category_id", "day", "measure", "n")) == before
    assert list(rollup_findings()) == []


def test_verify_names_a_tampered_cell_and_exits_non_zero(world):
    _submit(world, "C1")
    catch_up()
    cell = DailyCount.objects.get(path=world.areas["C1"].path, measure="submitted")
    DailyCount.objects.filter(pk=cell.pk).update(n=cell.n + 3)
    found = list(rollup_findings())
    assert len(found) == 1 and "幸福苑社区" in found[0].problems[0] and "submitted" in found[0].problems[0]
    assert f"表中 {cell.n + 3}，按事件重新计数为 {cell.n}" in found[0].problems[0]
    with pytest.raises(CommandError, match="共 3 个统计单元，1 份校验失败"):  # `yishiting verify` exits 1
        call_command("verify")


def test_a_missed_event_is_counted_by_the_next_catch_up_not_twice(world):
    demand = _submit(world, "C1")
    catch_up()
    catch_up()
    day = timezone.localdate()
    assert MonthlyCount.objects.get(path=world.areas["D"].path, measure="submitted", month=day.replace(day=1)).n == 1
    assert selectors.rates(world.areas["D"], day, day, keys=["response"]).figures[0].denominator == 1
    assert demand.number in selectors.rates(world.areas["D"], day, day, keys=["response"]).figures[0].not_counted


def test_the_district_chooses_its_rates_and_their_order(world):
    DistrictRates.objects.create(district=world.areas["D"], rates="resolved,response")
    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution))
    rate_all(topic.evaluation_rounds.get(), residents(world, 3), [S, B, D])
    today = timezone.localdate()
    figures = selectors.rates(world.areas["C1"], today, today).figures
    assert [f.key for f in figures] == ["resolved", "response"]
    assert "诉求人评为满意或基本满意" in figures[0].rule


def _query_counts(area, start, end) -> dict[str, int]:
    counts = {}
    for fn in (selectors.by_child_area, selectors.by_category, selectors.monthly_rates, selectors.funnel_counts,
               selectors.rates):
        with CaptureQueriesContext(connection) as queries:
            fn(area, start, end)
        counts[fn.__name__] = len(queries)
    return counts


def test_rankings_and_trend_read_a_constant_number_of_queries(world, django_assert_max_num_queries):
    today = timezone.localdate()
    start = today - timedelta(days=365)
    _random_history(world, random.Random(3))
    catch_up()
    _query_counts(world.areas["D"], start, today)  # the first also fills per-process caches (rates, weight)
    few = _query_counts(world.areas["D"], start, today)
    _random_history(world, random.Random(4))
    _random_history(world, random.Random(5))
    catch_up()
    assert _query_counts(world.areas["D"], start, today) == few  # the same whatever the volume
    for fn in (selectors.by_child_area, selectors.by_category, selectors.monthly_rates, selectors.funnel_counts):
        with django_assert_max_num_queries(8):
            fn(world.areas["D"], start, today)
    with django_assert_max_num_queries(20):  # 7 of them the drill-down's first 20 records
        selectors.rates(world.areas["D"], start, today)
    children = selectors.by_child_area(world.areas["D"], start, today)
    assert [c["area"]["name"] for c in children] == ["东风街道", "西湖街道"]
    months = selectors.monthly_rates(world.areas["D"], start, today)
    assert len(months) in (12, 13)
    assert sum(m["counts"].get("submitted", 0) for m in months) == \
        kpis.rates(world.areas["D"], start, today).figures[0].denominator


def test_a_district_sets_its_rates_through_the_service_and_bad_keys_change_nothing(world):
    from yishiting.common.errors import DomainError
    from yishiting.oversight.services import district_rates_set

    setting = district_rates_set(actor=world.users["district_official"],
                                 district=world.areas["D"], rates="response， resolved")
    assert setting.keys() == ["response", "resolved"]
    for bad in ("response,response", "speed", ""):
        with pytest.raises(DomainError, match="每项只写一次"):
            district_rates_set(actor=None, district=world.areas["D"], rates=bad)
    with pytest.raises(DomainError, match="只能为区"):
        district_rates_set(actor=None, district=world.areas["S1"], rates="response")
    assert DistrictRates.objects.get().rates == "response,resolved"


@pytest.fixture
def as_persona(world):
    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


def test_the_kpis_page_reads_the_roll_ups_states_when_and_shows_the_districts_rates(world, as_persona):
    from yishiting.web.tests.pages import main

    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution))
    rate_all(topic.evaluation_rounds.get(), residents(world, 4), [S, S, B, D])
    today = timezone.localdate().isoformat()
    official = as_persona("district_official")
    page = main(official.get("/kpis/", {"area": world.areas["D"].pk, "start": today, "end": today}))
    assert "统计截至" in page and "满意率" in page and "解决率" not in page
    assert "期限内销号的任务和结案的调解案件 1 ÷ 期间销号的任务和结案的调解案件 1" in page
    DistrictRates.objects.create(district=world.areas["D"], rates="resolved,satisfaction")
    page = main(official.get("/kpis/", {"area": world.areas["D"].pk, "start": today, "end": today}))
    assert page.index("解决率") < page.index("满意率") and "按期办结率" not in page
    assert "诉求人评为满意或基本满意的事项" in page
    assert as_persona("resident").get("/kpis/").status_code == 403


def test_an_event_committed_late_below_the_cursor_is_still_counted(world):
    """A transaction that took its event id early and committed after a later one was counted: the id was
    remembered as a gap and looked for again."""
    _submit(world, "C1")
    catch_up()
    late, later = _submit(world, "C1", "第二件"), _submit(world, "B1", "第三件")
    held = Event.objects.get(subject_type="demands.demand", subject_id=str(late.pk), kind="demand.submitted")
    row = {f.attname: getattr(held, f.attname) for f in Event._meta.concrete_fields}
    Event.objects.filter(pk=held.pk).delete()  # not yet committed when the catch-up reads
    catch_up()
    today = timezone.localdate()
    assert selectors.funnel_counts(world.areas["D"], today, today)["submitted"] == 2
    Event.objects.bulk_create([Event(**row)])  # … commits now, below the cursor
    catch_up()
    assert selectors.funnel_counts(world.areas["D"], today, today)["submitted"] == 3
    assert later.number in selectors.rates(world.areas["D"], today, today, keys=["response"]).figures[0].not_counted
