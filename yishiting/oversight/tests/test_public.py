"""Public figures: counts per community × category × month read in a handful of queries, and suppression that
leaves no hidden figure recoverable — not directly, not by subtracting from any total or combination of totals."""

from __future__ import annotations

import random
from datetime import date, datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from yishiting.demands.models import Category, Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.oversight.public import monthly_counts
from yishiting.oversight.selectors.public_stats import open_data_rows, public_stats
from yishiting.oversight.suppression import COMPLEMENTARY, SMALL, TOTAL, build


def file(world, persona: str, area: str, n: int, category: Category, month: date) -> None:
    """`n` demands in `area` in the given month (their submission day moved there, as history would be)."""
    for i in range(n):
        demand = demand_submit(actor=world.users[persona], submission=Submission(
            text=f"第{i}件：楼道里堆满了杂物，消防通道被堵，希望清理 {area}{month}", area=world.areas[area],
            category=category))
        moment = timezone.make_aware(datetime(month.year, month.month, 10, 9, 0))
        Demand.objects.filter(pk=demand.pk).update(created_at=moment)


@pytest.fixture
def history(world):
    env, safety = Category.objects.order_by("pk")[:2]
    file(world, "resident", "B1", 7, env, date(2026, 3, 1))
    file(world, "resident", "B1", 2, safety, date(2026, 3, 1))
    file(world, "resident2", "B2", 6, env, date(2026, 3, 1))
    file(world, "resident2", "B2", 5, safety, date(2026, 4, 1))
    file(world, "resident3", "B3", 1, env, date(2026, 4, 1))
    return env, safety


def test_monthly_counts_group_by_community_category_and_month(world, history, django_assert_max_num_queries):
    env, safety = history
    with django_assert_max_num_queries(3):
        counts = monthly_counts(world.areas["D"], date(2026, 1, 1), date(2026, 6, 30))
    got = {(c.area_id, c.category_id, c.month): (c.received, c.done) for c in counts}
    a = world.areas
    assert got == {(a["C1"].pk, env.pk, date(2026, 3, 1)): (7, 0), (a["C1"].pk, safety.pk, date(2026, 3, 1)): (2, 0),
                   (a["C2"].pk, env.pk, date(2026, 3, 1)): (6, 0), (a["C2"].pk, safety.pk, date(2026, 4, 1)): (5, 0),
                   (a["C3"].pk, env.pk, date(2026, 4, 1)): (1, 0)}
    street = monthly_counts(a["S1"], date(2026, 4, 1), date(2026, 4, 30))
    assert [(c.area_id, c.received) for c in street] == [(a["C2"].pk, 5)]


def test_the_query_count_does_not_grow_with_the_number_of_demands(world, history, django_assert_max_num_queries):
    file(world, "resident", "B1", 20, history[0], date(2026, 5, 1))
    with django_assert_max_num_queries(8):
        public_stats(world.areas["D"], date(2026, 1, 1), date(2026, 6, 30))


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


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column():
    table = build([1, 2], [1, 2], {(1, 1): 3, (1, 2): 10, (2, 1): 20, (2, 2): 30})
    assert table.shown(1, 1) == "<5" and table.shown(1, 2) == "*" and table.shown(2, 1) == "*"
    assert table.shown(TOTAL, TOTAL) == "63" and table.shown(2, 2) == "*"
