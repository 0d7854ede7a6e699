"""Public figures: counts per community × category × month read from the roll-ups in a constant number of
queries, equal to a recount from the demand rows, and suppression that leaves no hidden figure recoverable — not
directly, not by subtracting from any total or combination of totals, not by bounding it between 0 and a total."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.common.models import Event
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Category, Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.services.tasks import task_accept, task_submit, task_verify
from yishiting.handling.tests.tasks_world import photo
from yishiting.handling.tests.test_evaluation import close_task
from yishiting.oversight.projection import catch_up, rebuild
from yishiting.oversight.public import monthly_counts, recount
from yishiting.oversight.selectors.public_stats import open_data_page, open_data_rows, public_stats
from yishiting.oversight.suppression import COMPLEMENTARY, SMALL, TOTAL, build


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def backdate(demand: Demand, moment: datetime) -> None:
    """Move a demand's submission to `moment`, its row and its submission event (as history would be)."""
    Demand.objects.filter(pk=demand.pk).update(created_at=moment)
    Event.objects.filter(subject_type="demands.demand", subject_id=str(demand.pk)).update(at=moment)


def file(world, persona: str, area: str, n: int, category: Category, month: date, day: int = 10) -> list[Demand]:
    """`n` demands in `area` in the given month (their submission day moved there, as history would be)."""
    filed = []
    for i in range(n):
        demand = demand_submit(actor=world.users[persona], submission=Submission(
            text=f"第{i}件：楼道里堆满了杂物，消防通道被堵，希望清理 {area}{month}", area=world.areas[area],
            category=category))
        backdate(demand, timezone.make_aware(datetime(month.year, month.month, day, 9, 0)))
        filed.append(demand)
    return filed


def file_two_communities(world) -> tuple[Category, Category]:
    """Two categories' demands in C1 and C2 over March and April 2026 (some cells under 5): (env, safety)."""
    env, safety = Category.objects.order_by("pk")[:2]
    file(world, "resident", "B1", 7, env, date(2026, 3, 1))
    file(world, "resident", "B1", 2, safety, date(2026, 3, 1))
    file(world, "resident2", "B2", 6, env, date(2026, 3, 1))
    file(world, "resident2", "B2", 5, safety, date(2026, 4, 1))
    return env, safety


@pytest.fixture
def history(world):
    env, safety = file_two_communities(world)
    file(world, "resident3", "B3", 1, env, date(2026, 4, 1))
    return env, safety


def test_monthly_counts_group_by_community_category_and_month(world, history, django_assert_max_num_queries):
    env, safety = history
    catch_up()
    with django_assert_max_num_queries(3):
        counts = monthly_counts(world.areas["D"], date(2026, 1, 1), date(2026, 6, 30))
    got = {(c.area_id, c.category_id, c.month): (c.received, c.done) for c in counts}
    a = world.areas
    assert got == {(a["C1"].pk, env.pk, date(2026, 3, 1)): (7, 0), (a["C1"].pk, safety.pk, date(2026, 3, 1)): (2, 0),
                   (a["C2"].pk, env.pk, date(2026, 3, 1)): (6, 0), (a["C2"].pk, safety.pk, date(2026, 4, 1)): (5, 0),
                   (a["C3"].pk, env.pk, date(2026, 4, 1)): (1, 0)}
    street = monthly_counts(a["S1"], date(2026, 4, 1), date(2026, 4, 30))
    assert [(c.area_id, c.received) for c in street] == [(a["C2"].pk, 5)]


def _queries(fn) -> int:
    catch_up()  # what is pending is counted first (its cost follows the new events, not the table)
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_demands(world, history, django_assert_max_num_queries):
    def read():
        public_stats(world.areas["D"], date(2026, 1, 1), date(2026, 6, 30))
        open_data_page(world.areas["S1"], date(2026, 1, 1), date(2026, 6, 30), ("received", "done"), 30, 50)

    few = _queries(read)
    env, safety = history
    for month in (1, 2, 5, 6):
        file(world, "resident", "B1", 6, env, date(2026, month, 1))
        file(world, "resident3", "B3", 4, safety, date(2026, month, 1))
    assert Demand.objects.count() == 61
    assert _queries(read) == few  # the same at 21 demands and at 61
    with django_assert_max_num_queries(16):
        read()


def test_a_demand_counts_as_done_once_its_task_is_closed_and_the_month_stays_its_submission_month(world):
    demand = demand_submit(actor=world.users["resident"], submission=Submission(text="家门口路灯不亮",
                                                                                area=world.areas["B1"]))
    month = timezone.localdate().replace(day=1)
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    (before,) = monthly_counts(world.areas["D"], month, month)
    assert (before.area_id, before.received, before.done) == (world.areas["C1"].pk, 1, 0)
    close_task(world, demand.task)  # events on the task, none on the demand: the catch-up follows the task
    (after,) = monthly_counts(world.areas["D"], month, month)
    assert (after.month, after.received, after.done) == (month, 1, 1)
    assert after == recount(world.areas["D"], month, month)[0]


LEAVES = {"resident": ["U1", "B1", "G1", "C1"], "resident2": ["B2", "G2", "C2"], "resident3": ["B3", "C3"]}


def _random_history(world, rng: random.Random) -> None:
    """Demands of random categories filed in random places over 14 months, at random hours (the first and last
    of a month included); some go to direct handling, some of those are closed, a few go to a topic."""
    categories = list(Category.objects.order_by("pk")[:4])
    for n in range(rng.randrange(10, 22)):
        persona = rng.choice(list(LEAVES))
        month = date(2025, 1 + rng.randrange(12), 1) if rng.random() < 0.6 else date(2026, 1 + rng.randrange(2), 1)
        day = rng.choice([1, 2, 15, 28])
        demand = demand_submit(actor=world.users[persona], submission=Submission(
            text=f"第{n}件：{rng.choice(['电梯坏了', '路灯不亮', '垃圾没清'])}", area=world.areas[rng.choice(LEAVES[persona])],
            category=rng.choice(categories)))
        backdate(demand, timezone.make_aware(datetime(month.year, month.month, day, rng.choice([0, 9, 23]), 30)))
        if persona != "resident3" and rng.random() < 0.6:  # the handler's unit serves 东风街道 (S1)
            demand = demand_screen(actor=world.users["street_official"], demand=demand, decision=Decision(
                outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
                deadline=timezone.localdate() + timedelta(days=3)))
            if rng.random() < 0.6:
                _close(world, demand.task)


def _close(world, task) -> None:
    """销号 by the handler, verified by the street official who assigned it (the screening level)."""
    task_accept(actor=world.users["handler"], task=task)
    task_submit(actor=world.users["handler"], task=task, evidence="已处理", files=[("a.jpg", photo())])
    task_verify(actor=world.users["street_official"], task=task, approve=True)


def _key(counts) -> list[tuple]:
    return sorted((c.area_id, c.month, c.category_id, c.received, c.done) for c in counts if c.received or c.done)


@pytest.mark.parametrize("seed", range(3))
def test_public_figures_equal_a_recount_from_the_rows_for_random_areas_and_months(world, seed):
    rng = random.Random(seed)
    _random_history(world, rng)
    places = ["D", "S1", "S2", "C1", "C2", "C3"]
    for _ in range(10):
        area = world.areas[rng.choice(places)]
        start = date(2025, 1 + rng.randrange(12), 1)
        end = min(date(2026, 2, 1), date(start.year + (start.month + rng.randrange(14)) // 12,
                                         (start.month + rng.randrange(14)) % 12 + 1, 1))
        end = max(start, end)
        assert _key(monthly_counts(area, start, end)) == _key(recount(area, start, end)), (area.name, start, end)
        # The published table, before suppression, holds the same figures: every community × category cell.
        stats = public_stats(area, start, end)
        live = {(c.area_id, c.month, c.category_id): c for c in recount(area, start, end)}
        for t in stats.tables:
            for row in stats.shown:
                for category in stats.categories:
                    expected = live.get((row.pk, t.month, category.pk))
                    value = getattr(expected, t.measure) if expected else 0
                    assert t.table.cells[(row.pk, category.pk)] == value
    rebuild()
    assert _key(monthly_counts(world.areas["D"], date(2025, 1, 1), date(2026, 2, 1))) == \
        _key(recount(world.areas["D"], date(2025, 1, 1), date(2026, 2, 1)))


def test_the_published_table_shows_less_than_five_and_never_the_small_number(world, history):
    stats = public_stats(world.areas["D"], date(2026, 3, 1), date(2026, 3, 31), ("received",))
    (march,) = stats.tables
    c1 = next(r for r in march.figures if r["area"] == world.areas["C1"])
    env, safety = history
    values = dict(zip([c.pk for c in stats.categories], c1["values"], strict=True))
    assert values[safety.pk] == "<5"
    # Another of the row is hidden with it ("*"), else the total 9 minus the rest would give 2.
    assert [*values.values(), c1["total"]].count("*") >= 1
    rows = open_data_rows(stats)
    assert not [r for r in rows if r["value"] is not None and 0 < r["value"] < 5]
    assert {r["suppressed"] for r in rows} <= {"", SMALL, COMPLEMENTARY}


def test_a_street_view_hides_the_same_cells_as_the_district_view(world, history):
    whole = public_stats(world.areas["D"], date(2026, 3, 1), date(2026, 4, 30))
    street = public_stats(world.areas["S1"], date(2026, 3, 1), date(2026, 4, 30))
    community = public_stats(world.areas["C2"], date(2026, 4, 1), date(2026, 4, 30))
    for t in whole.tables:
        same = next(s for s in street.tables if (s.month, s.measure) == (t.month, t.measure))
        assert t.table.hidden == same.table.hidden
    assert [r["area"] for r in community.tables[0].figures] == [world.areas["C2"]]
    assert all(not t.column_totals for t in street.tables) and all(t.column_totals for t in whole.tables)


def _recoverable(table) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from the published figures: solve the table's sums exactly."""
    hidden = sorted(table.hidden)
    index = {k: i for i, k in enumerate(hidden)}
    rows = [r for r in table.rows if r != TOTAL]
    columns = [c for c in table.columns if c != TOTAL]
    lines = [[(r, c) for c in columns] + [(r, TOTAL)] for r in [*rows, TOTAL]]
    lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in [*columns, TOTAL]]
    matrix = []
    for line in lines:
        coefficients = [Fraction(0)] * len(hidden)
        for key in line:
            if key in index:
                coefficients[index[key]] += -1 if key == line[-1] else 1
        if any(coefficients):
            matrix.append(coefficients)
    pivots, r = [], 0
    for c in range(len(hidden)):
        p = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if p is None:
            continue
        matrix[r], matrix[p] = matrix[p], matrix[r]
        matrix[r] = [v / matrix[r][c] for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][c] != 0:
                f = matrix[i][c]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    return [hidden[c] for i, c in enumerate(pivots) if sum(1 for v in matrix[i] if v != 0) == 1]


def test_no_cell_under_five_is_published_or_recoverable_by_subtraction_in_random_tables():
    rng = random.Random(18)
    for _ in range(400):
        rows, columns = list(range(1, rng.randint(1, 7) + 1)), list(range(1, rng.randint(1, 6) + 1))
        values = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 40]) for r in rows for c in columns}
        table = build(rows, columns, values)
        assert not [k for k, v in table.cells.items() if 0 < v < 5 and k not in table.hidden]
        assert _recoverable(table) == [], (values, table.hidden)


def _bounds_attack(table) -> dict[tuple[int, int], tuple[int, int]]:
    """What an attacker learns of each hidden value from the published figures and the rule itself ("<5" is 1 to
    4, every count is ≥ 0), written apart from suppression.bounds: each line's hidden members add up to what its
    total leaves (or, with the total hidden, to it), and each is squeezed between that and the others' bounds —
    repeated until nothing moves."""
    big = sum(v for k, v in table.cells.items() if TOTAL not in k) or 1
    found = {k: ((1, 4) if reason == SMALL else (0, big)) for k, reason in table.hidden.items()}
    rows = [r for r in table.rows if r != TOTAL]
    columns = [c for c in table.columns if c != TOTAL]
    lines = [[(r, c) for c in columns] + [(r, TOTAL)] for r in [*rows, TOTAL]]
    lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in [*columns, TOTAL]]
    moved = True
    while moved:
        moved = False
        for line in lines:
            *members, total = line
            terms = [(k, 1) for k in members] + [(total, -1)]  # sum(members) − total = 0
            known = sum(sign * table.cells[k] for k, sign in terms if k not in found)
            for key, sign in terms:
                if key not in found:
                    continue
                others = [(k, s) for k, s in terms if k in found and k != key]
                low_rest = sum(s * found[k][0] if s > 0 else s * found[k][1] for k, s in others)
                high_rest = sum(s * found[k][1] if s > 0 else s * found[k][0] for k, s in others)
                a, b = -known - high_rest, -known - low_rest  # sign · x lies between these
                lo, hi = (a, b) if sign > 0 else (-b, -a)
                new = (max(found[key][0], lo), min(found[key][1], hi))
                if new != found[key]:
                    found[key], moved = new, True
    return found


def test_no_small_cell_is_pinned_down_by_bounds_in_random_tables():
    rng = random.Random(1812)
    for _ in range(300):
        rows, columns = list(range(1, rng.randint(1, 7) + 1)), list(range(1, rng.randint(1, 6) + 1))
        values = {(r, c): rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for r in rows for c in columns}
        table = build(rows, columns, values)
        found = _bounds_attack(table)
        pinned = [k for k, reason in table.hidden.items() if reason == SMALL and found[k][0] == found[k][1]]
        assert not pinned, (values, table.hidden, {k: found[k] for k in pinned})


def test_a_zero_is_never_the_partner_that_should_protect_a_small_cell():
    # Row 1: 1, 0, 10 (total 11). Hiding the 0 beside the 1 would leave 11 − 10 = 1 for the two: the 1 is back.
    table = build([1, 2], [1, 2, 3], {(1, 1): 1, (1, 2): 0, (1, 3): 10, (2, 1): 8, (2, 2): 0, (2, 3): 9})
    assert table.shown(1, 1) == "<5" and table.shown(1, 3) == "*" and table.shown(1, 2) == "0"
    assert _bounds_attack(table)[(1, 1)] != (1, 1)


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column():
    table = build([1, 2], [1, 2], {(1, 1): 3, (1, 2): 10, (2, 1): 20, (2, 2): 30})
    assert table.shown(1, 1) == "<5" and table.shown(1, 2) == "*" and table.shown(2, 1) == "*"
    assert table.shown(TOTAL, TOTAL) == "63" and table.shown(2, 2) == "*"
