"""The overview's figures from records built through the real services: the funnel follows each demand to its
stage, open items put the red-warned and overdue on top, rankings split by child area, category and unit, the
comparisons say which way a figure moved in words, the rates are the district's choice read from the roll-ups,
recurrences are counted, and the query count does not grow with the records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.services.topics import topic_transition
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling import kpis
from yishiting.handling.models import Task
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.handling.tests.test_evaluation import close_task
from yishiting.handling.warnings import warnings_tick
from yishiting.oversight import funnel, overview, periods, records
from yishiting.oversight.models import DistrictRates
from yishiting.oversight.projection import catch_up

from .clusters_world import report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


RESIDENT_OF = {"B1": "resident", "B2": "resident2", "B3": "resident3"}


def _submit(world, area: str, text: str) -> Demand:
    return demand_submit(actor=world.users[RESIDENT_OF[area]], submission=Submission(text=text, area=world.areas[area]))


def _screen(world, demand: Demand, outcome: str) -> None:
    nature = Nature.PUBLIC if outcome == Outcome.TOPIC else Nature.INDIVIDUAL
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=outcome, nature=nature, topic_title=demand.text if outcome == Outcome.TOPIC else ""))


def _month() -> periods.Period:
    return periods.current("month", timezone.localdate())


def test_the_funnel_follows_each_demand_collected_in_the_period_to_its_stage(world):
    topic_demand = _submit(world, "B1", "3栋楼道灯不亮，晚上看不见")
    _screen(world, topic_demand, Outcome.TOPIC)
    _submit(world, "B1", "小区垃圾桶太少，经常满出来")
    _submit(world, "B3", "湖滨花园路面破损，下雨积水")  # another street
    stages = {s.key: s for s in overview.funnel(world.areas["S1"], _month())}
    assert (stages["collected"].count, stages["topic"].count, stages["met"].count) == (2, 1, 0)
    assert stages["collected"].vs_previous.arrow == "↑" and stages["collected"].vs_previous.words == "比上期增加 2"
    assert stages["handling"].branch and not stages["collected"].branch
    district = {s.key: s.count for s in overview.funnel(world.areas["D"], _month())}
    assert district["collected"] == 3
    found = records.drill("funnel.topic", world.areas["S1"], _month())
    assert [d.number for d in found.rows] == [topic_demand.number]
    assert [c.value(found.rows[0]) for c in found.columns][3] == "张*"  # the reporter, masked


def test_rates_compare_with_the_previous_period_and_last_year_in_words(world):
    lines = overview.rate_lines(world.areas["S1"], _month())
    assert [line.key for line in lines] == ["response", "on_time", "satisfaction"]
    assert lines[0].vs_previous.arrow == "" and lines[0].vs_previous.words == "上期无可比数据"
    delta = overview.Delta.of(overview.Decimal("97.5"), overview.Decimal("98"), points=True, against="previous")
    assert (delta.arrow, delta.words) == ("↓", "比上期下降 0.50 个百分点")


def test_open_items_put_red_warned_and_overdue_tasks_on_top(world):
    topic, resolution = handling_topic(world)
    late = assign(world, topic, resolution, title="修复3栋单元门禁")
    assign(world, topic, resolution, title="更换楼道声控灯")
    today = timezone.localdate()
    Task.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=3))
    warnings_tick(today=today)
    stages = {s.key: s for s in overview.open_stages(world.areas["S1"], today)}
    assert (stages["tasks"].open, stages["tasks"].overdue, stages["tasks"].red) == (2, 1, 1)
    items = overview.open_items(world.areas["S1"], today)
    assert items[0]["title"] == "修复3栋单元门禁" and items[0]["red"] and items[0]["days"] == 3
    assert overview.open_stages(world.areas["S2"], today)[2].open == 0  # another street sees none of it
    drilled = records.drill("open.tasks", world.areas["S1"], _month(), today)
    assert [t.title for t in drilled.rows][0] == "修复3栋单元门禁"


def test_rankings_split_by_child_area_category_and_unit(world):
    _submit(world, "B1", "3栋楼道灯不亮，晚上看不见")
    _submit(world, "B2", "和平里1栋门口堆放杂物")
    _submit(world, "B2", "和平里小区停车难")
    children = {r.name: r for r in overview.by_child_area(world.areas["S1"], _month())}
    assert (children["幸福苑社区"].collected, children["和平里社区"].collected) == (1, 2)
    categories = overview.by_category(world.areas["S1"], _month())
    assert sum(r.collected for r in categories) == 3
    topic, resolution = handling_topic(world)
    close_task(world, assign(world, topic, resolution))
    units = overview.by_unit(world.areas["S1"], _month())
    assert [(u.name, u.closed, u.on_time_percent) for u in units] == [("东风街道城管执法队", 1, "100.00")]
    drilled = records.drill(f"unit.{world.organizations['agency'].pk}", world.areas["S1"], _month())
    assert drilled.rows.count() == 1


def _live_and_rolled_up(world, area: str) -> tuple[tuple, tuple]:
    """(live count over the demands, the overview's roll-up figures): the funnel and the category columns."""
    period, place = _month(), world.areas[area]
    live = (funnel.counts(place, period), sorted(
        (str(r["category"]), r["collected"], r["topic"], r["handling"], r["mediation"], r["done"])
        for r in funnel.by_category(place, period)))
    catch_up()
    rolled = ({s.key: s.count for s in overview.funnel(place, period)}, sorted(
        (r.key, r.collected, r.extra["topic"], r.extra["handling"], r.extra["mediation"], r.closed)
        for r in overview.by_category(place, period)))
    return live, rolled


def test_the_funnel_and_categories_read_from_the_roll_ups_equal_the_live_count_as_matters_move(world):
    """Where each demand of the period stands today is kept in the roll-ups (its cohort cells) and moves when
    its topic moves — a topic's event, not the demand's."""
    first = _submit(world, "B1", "3栋楼道灯不亮，晚上看不见")
    _screen(world, first, Outcome.TOPIC)
    demand_screen(actor=world.users["community_staff"], demand=_submit(world, "B1", "5栋门口路灯不亮"),
                  decision=Decision(outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
                                    organization=world.organizations["agency"],
                                    deadline=timezone.localdate() + timedelta(days=10)))
    demand_screen(actor=world.users["community_staff"], demand=_submit(world, "B1", "楼上邻居半夜装修噪音很大"),
                  decision=Decision(outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="邻里噪音纠纷，先行调解"))
    _submit(world, "B3", "湖滨花园路面破损，下雨积水")
    topic = Demand.objects.get(pk=first.pk).topic
    for step in ([], [TopicStatus.SCHEDULED, TopicStatus.DELIBERATING],
                 [TopicStatus.RESOLVED, TopicStatus.PUBLICISING, TopicStatus.HANDLING]):
        for status in step:
            topic = topic_transition(actor=world.users["community_secretary"], topic=topic, to=status)
        for area in ("D", "S1", "C1"):
            live, rolled = _live_and_rolled_up(world, area)
            assert rolled == live, (area, step)
    stages = {s.key: s.count for s in overview.funnel(world.areas["D"], _month())}
    assert [stages[key] for key in ("collected", "topic", "met", "resolved", "handling", "mediation")] == [4, 1, 1, 1, 1, 1]


OVERVIEW_QUERIES = 16  # was 134 with live kpis.rates per period, month and child area; 44 before one roll-up read


def test_each_column_of_the_category_ranking_drills_down_to_the_demands_it_counted(world):
    lit = _submit(world, "B1", "3栋楼道灯不亮，晚上看不见")
    _screen(world, lit, Outcome.TOPIC)
    direct = _submit(world, "B1", "3栋楼道灯又坏了一盏，晚上看不见")
    demand_screen(actor=world.users["community_staff"], demand=direct, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        organization=world.organizations["agency"], deadline=timezone.localdate() + timedelta(days=10)))
    row = next(r for r in overview.by_category(world.areas["S1"], _month()) if r.key == str(lit.category_id))
    assert (row.collected, row.extra["topic"], row.extra["handling"]) == (2, 1, 1)
    for column, expected in [("topic", [lit]), ("handling", [direct]), ("mediation", []), ("done", [])]:
        found = records.drill(f"category.{lit.category_id}.{column}", world.areas["S1"], _month())
        assert list(found.rows) == expected, column
    with pytest.raises(DomainError):
        records.drill(f"category.{lit.category_id}.nothing", world.areas["S1"], _month())


def test_the_overview_costs_the_same_number_of_queries_whatever_the_volume(world):
    def queries(area: str = "S1") -> int:
        catch_up()  # the page's steady state: the roll-ups are kept each minute; counting new events is extra
        with CaptureQueriesContext(connection) as captured:
            overview.overview(world.areas[area], _month(), timezone.localdate())
        return len(captured.captured_queries)

    _submit(world, "B1", "3栋楼道灯不亮，晚上看不见")
    queries()  # the first also fills per-process caches (the district's rates, the basic weight)
    few = queries()
    for n in range(8):
        _screen(world, _submit(world, "B1", f"幸福苑停车难第{n}次反映"), Outcome.TOPIC)
    assert queries() == few <= OVERVIEW_QUERIES
    assert queries("D") == few  # nor with the number of child areas or months


def test_the_rates_and_trend_are_the_districts_choice_and_match_the_event_log(world):
    DistrictRates.objects.create(district=world.areas["D"], rates="response,resolved,satisfaction")
    _screen(world, _submit(world, "B1", "3栋楼道灯不亮，晚上看不见"), Outcome.TOPIC)
    _submit(world, "B2", "和平里小区停车难")
    data = overview.overview(world.areas["S1"], _month(), timezone.localdate())
    assert [line.key for line in data.rates] == ["response", "resolved", "satisfaction"]
    assert data.rates[1].label == "解决率" and data.as_of is not None
    live = {f.key: f for f in kpis.rates(world.areas["S1"], _month().start, _month().end).figures}
    assert (data.rates[0].percent, data.rates[0].denominator) == (live["response"].percent, 2)
    assert set(data.trend[-1].percents) == {"response", "resolved", "satisfaction"}
    assert data.trend[-1].percents["response"] == live["response"].percent
    children = {r.name: r for r in data.children}
    assert children["幸福苑社区"].extra["response"] == "100.00" and children["和平里社区"].collected == 1


def test_the_overview_counts_recurrences_of_archived_matters(world):
    topic = evaluating_topic(world)
    dossier_archive(actor=world.users["community_secretary"], topic=topic)
    earlier = Demand.objects.get(topic=topic)
    report(world, "3栋楼道灯又坏了，晚上很黑", "B1", category_code=earlier.category.code)
    assert overview.overview(world.areas["S1"], _month(), timezone.localdate()).recurrences == 1
    assert overview.overview(world.areas["S2"], _month(), timezone.localdate()).recurrences == 0


def test_an_unknown_figure_or_an_area_outside_the_subtree_is_refused(world):
    with pytest.raises(DomainError):
        records.drill("funnel.nothing", world.areas["S1"], _month())
    with pytest.raises(DomainError):
        records.drill(f"area.{world.areas['S2'].pk}", world.areas["S1"], _month())


@pytest.mark.parametrize(("key", "start", "end", "previous", "last_year"), [
    ("2026-03", date(2026, 3, 1), date(2026, 3, 31), "2026-02", "2025-03"),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4", "2025-Q1"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "2025", "2025"),
    ("2026-03-01..2026-03-10", date(2026, 3, 1), date(2026, 3, 10), "2026-02-19..2026-02-28",
     "2025-03-01..2025-03-10"),
])
def test_periods_and_the_periods_they_are_compared_with(key, start, end, previous, last_year):
    period = periods.parse(key, date(2026, 11, 5))
    assert (period.start, period.end, period.key) == (start, end, key)
    assert (period.previous().key, period.last_year().key) == (previous, last_year)


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "abc", "2026-03-10..2026-03-01", "1899", "2026-01-01..2030-01-01"])
def test_a_bad_period_is_a_clear_error(key):
    with pytest.raises(DomainError) as error:
        periods.parse(key, date(2026, 11, 5))
    assert "统计期间格式不正确" in error.value.message
