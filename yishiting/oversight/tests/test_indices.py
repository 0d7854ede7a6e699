"""堡垒指数 / 先锋指数 on a hand-built world (tests/world.py): exact figures part by part, weights that change the
index, history kept across periods, the derivation listing exactly the counted records, idempotent recompute,
ranks among peers, and the tick at a period's end."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from yishiting.deliberation.services.topics import default_template
from yishiting.handling.selectors.evaluation import basic_weight_of
from yishiting.oversight.indices.periods import bounds, previous
from yishiting.oversight.indices.selectors import derivation, part_records
from yishiting.oversight.indices.services import index_snapshots_compute, indices_compute, indices_tick
from yishiting.oversight.models import IndexKind, IndexPart, IndexScheme, IndexSnapshot

from .party_world import party_world

F, P = IndexKind.FORTRESS, IndexKind.PIONEER


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def party(world):
    return party_world(world)


def _compute(world, kind=F, on=None):
    return index_snapshots_compute(kind=kind, period="month", on=on or timezone.localdate(), district=world.areas["D"])


def _org(party_org, on=None):
    start, _end = bounds("month", on or timezone.localdate())
    return IndexSnapshot.objects.get(kind=F, period="month", start=start, organization=party_org, person__isnull=True)


def _member(world, username):
    return IndexSnapshot.objects.get(kind=P, period="month", start=bounds("month", timezone.localdate())[0],
                                     person=world.people[username])


def _scores(snapshot) -> dict[str, tuple]:
    return {p["key"]: (p["considered"], p["counted"], p["score"], p["points"]) for p in snapshot.parts}


def test_fortress_index_of_a_community_committee_part_by_part(world, party):
    assert basic_weight_of(default_template()) == Decimal("0.90")
    _compute(world)
    c1 = _org(party.c1)
    assert _scores(c1) == {
        "demands_received": (2, 2, "10.00", "1.00"),       # 2 of a monthly 20
        "response_rate": (2, 1, "50.00", "10.00"),          # one screened in time, one waiting
        "tasks_closed": (1, 1, "10.00", "1.50"),            # 1 of 10
        "on_time_rate": (1, 1, "100.00", "20.00"),
        "meetings_held": (1, 1, "50.00", "7.50"),           # 1 of 2
        "satisfaction_rate": (3, 2, "63.33", "12.67"),      # (1 + 0.9) ÷ 3
    }
    assert c1.value == Decimal("52.67")  # 5266.67 ÷ 100, from the exact parts, not the rounded points
    assert _org(party.c2).value == Decimal("0.00")
    assert (c1.rank, c1.peers, c1.peer_area) == (1, 2, world.areas["S1"])  # the committees of 东风街道
    branch = _org(party.branch)
    assert (branch.rank, branch.peers, branch.peer_area) == (1, 1, world.areas["C1"])  # branches rank apart


def test_pioneer_index_of_each_member_and_their_rank_in_the_community(world, party):
    _compute(world, P)
    handler, secretary, member = (_member(world, u) for u in ("handler", "community_secretary", "member"))
    assert _scores(handler)["tasks_led"] == (1, 1, "50.00", "12.50") and handler.value == Decimal("32.50")
    assert _scores(secretary)["meetings_chaired"] == (1, 1, "100.00", "15.00") and secretary.value == Decimal("15.00")
    assert _scores(member)["demands_reported"] == (1, 1, "50.00", "5.00") and member.value == Decimal("5.00")
    assert [(s.rank, s.peers) for s in (handler, secretary, member)] == [(1, 3), (2, 3), (3, 3)]
    assert {handler.peer_area, member.peer_area} == {world.areas["C1"]}
    assert member.organization == party.branch


def test_weights_set_in_the_admin_change_the_index(world, party):
    _compute(world)
    scheme = IndexScheme.objects.create(district=world.areas["D"], kind=F)
    IndexPart.objects.create(scheme=scheme, measure="meetings_held", weight=3, monthly_target=1)
    IndexPart.objects.create(scheme=scheme, measure="response_rate", weight=1)
    _compute(world)
    c1 = _org(party.c1)
    assert c1.value == Decimal("87.50")  # (100 × 3 + 50 × 1) ÷ 4
    assert [p["key"] for p in derivation(c1)] == ["meetings_held", "response_rate"]


def test_recompute_is_idempotent_and_other_periods_are_kept(world, party):
    last_month = previous("month", timezone.localdate())[0]
    _compute(world, on=last_month)
    before = _org(party.c1, last_month)
    assert before.value == Decimal("0.00")
    first = {s.pk: (s.value, s.rank, s.parts) for s in _compute(world)}
    second = {s.pk: (s.value, s.rank, s.parts) for s in _compute(world)}
    assert first == second and IndexSnapshot.objects.filter(kind=F).count() == 2 * 3
    IndexScheme.objects.create(district=world.areas["D"], kind=F).parts.create(measure="meetings_held", weight=1)
    _compute(world)
    assert _org(party.c1).value == Decimal("100.00")
    again = _org(party.c1, last_month)
    assert (again.pk, again.value, again.computed_at) == (before.pk, before.value, before.computed_at)


def test_derivation_lists_exactly_the_counted_records(world, party):
    _compute(world)
    c1 = _org(party.c1)
    part, page = part_records(c1, "demands_received", 1)
    assert [r["title"] for r in page.object_list] == [d.number for d in party.demands]
    part, page = part_records(c1, "response_rate", 1)
    assert [(r["title"], r["counted"]) for r in page.object_list] == [(party.demands[0].number, True),
                                                                      (party.demands[1].number, False)]
    part, page = part_records(c1, "satisfaction_rate", 1)
    assert [r["counted"] for r in page.object_list] == [True, True, False]
    assert all("*" in r["detail"] for r in page.object_list)  # the raters' names are masked
    with pytest.raises(KeyError):
        part_records(c1, "nothing", 1)


def test_tick_computes_each_ended_period_once(world, party):
    _start, end = bounds("month", timezone.localdate())
    summary, _warnings = indices_tick(end + timedelta(days=1))
    assert "月度" in summary and IndexSnapshot.objects.filter(period="month").count() > 0
    assert _org(party.c1).value == Decimal("52.67")
    assert indices_tick(end + timedelta(days=1))[0].count("个") <= indices_tick(end + timedelta(days=2))[0].count("个")
    assert "月度" not in indices_tick(end + timedelta(days=1))[0]


def test_command_recomputes_a_period(world, party, capsys):
    call_command("indices", "--period", "quarter", "--on", timezone.localdate().isoformat())
    assert "已计算" in capsys.readouterr().out
    assert IndexSnapshot.objects.get(period="quarter", organization=party.c1, person__isnull=True).value > 0
    assert indices_compute(period="year", on=timezone.localdate()) == IndexSnapshot.objects.filter(period="year").count()


def test_the_tick_line_of_the_indices_is_chinese(world, party):
    """`yishiting tick` printed "indices: quarter 2026-07-01: 1505" among Chinese lines."""
    from yishiting.common.ticks import registered_ticks

    _start, end = bounds("month", timezone.localdate())
    line, _warnings = registered_ticks()["indices"](end + timedelta(days=1))
    assert line.startswith("堡垒指数、先锋指数：新计算 月度（") and not re.search(r"[a-z]{3}", line), line
    again, _warnings = registered_ticks()["indices"](end + timedelta(days=1))
    assert "month" not in again and "indices" not in again and "堡垒指数" in again, again
