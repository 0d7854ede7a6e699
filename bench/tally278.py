"""Civil Code Art. 278 tally for a 10,000-unit estate (PostgreSQL): how long `vote_tally` takes.

    .venv/bin/python bench/tally278.py                       # 10,000 units, 7 runs, median
    .venv/bin/python bench/tally278.py --units 20000 --runs 9

Builds once (database yishiting_bench_votes, never a test one) an estate of 50 buildings × 4 units with
10,000 flats of varied exclusive areas, one owner each, plus 5 % co-owned flats (a second owner) and 4 % of
flats held two by two by one owner (the same mobile number), and an owners' vote (matter rebuild, ¾) with ballots from
about 80 % of the flats. Then times the whole tally — the electorate query (units × owners), the ballots
query, grouping units by owner and the exact arithmetic — and the Python part alone, printing the median.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal

from _setup import database_label, machine_label, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_votes"
BUILDINGS, UNITS_PER_BUILDING = 50, 4


def superuser():
    from yishiting.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench_votes_admin", defaults={"is_superuser": True})
    return user


def tree(code: str):
    """District → street → community → estate (created once; codes are unique)."""
    from yishiting.areas import services
    from yishiting.areas.models import Area, AreaLevel

    parent = None
    for level, suffix, name in [("district", "D", "压测区"), ("street", "S", "压测街道"), ("community", "C", "压测社区"),
                                ("estate", "E", "压测小区")]:
        area = Area.objects.filter(code=f"{code}-{suffix}").first() or services.area_create(
            actor=None, name=name, level=AreaLevel.objects.get(code=level), code=f"{code}-{suffix}", parent=parent)
        parent = area
    return parent


def build_estate(units: int):
    """The estate and its flats and owners (skipped when it is already there)."""
    from yishiting.areas import services
    from yishiting.areas.choices import Role
    from yishiting.areas.models import Area, AreaLevel, Household, Person, RoleAssignment
    from yishiting.deliberation.tests.votes_world import bulk_owners

    estate = tree(f"T278-{units}")
    if Household.objects.filter(path__startswith=estate.path).exists():
        return estate
    print(f"生成 {units:,} 户的小区……")
    per_unit = units // (BUILDINGS * UNITS_PER_BUILDING)
    rng = random.Random(278)
    levels = {code: AreaLevel.objects.get(code=code) for code in ("building", "unit")}
    for b in range(BUILDINGS):
        building = services.area_create(actor=None, name=f"{b + 1}栋", level=levels["building"],
                                        code=f"{estate.code}-B{b}", parent=estate)
        for u in range(UNITS_PER_BUILDING):
            unit = services.area_create(actor=None, name=f"{u + 1}单元", level=levels["unit"],
                                        code=f"{building.code}-U{u}", parent=building)
            sizes = [f"{rng.uniform(55, 160):.2f}" for _ in range(per_unit)]
            bulk_owners(unit, per_unit, prefix=f"{b}x{u}x", sizes=sizes, tokens=False)
    homes = list(Household.objects.filter(path__startswith=estate.path).order_by("pk"))
    co = rng.sample(homes, len(homes) // 20)
    people = Person.objects.bulk_create([Person(name="共有人", household=h, area_id=h.unit_id, path=h.path)
                                         for h in co])
    RoleAssignment.objects.bulk_create([RoleAssignment(person=p, role=Role.OWNER, area_id=p.area_id, path=p.path)
                                        for p in people])
    owners = list(Person.objects.filter(household__in=homes, roles__role=Role.OWNER).exclude(name="共有人"))
    rng.shuffle(owners)
    pairs = owners[: len(owners) // 25]  # 4 % of flats: held two by two by one owner (same mobile)
    for i in range(0, len(pairs) - 1, 2):
        pairs[i].mobile = pairs[i + 1].mobile = f"1390{i:07d}"
    Person.objects.bulk_update(pairs, ["mobile"], batch_size=2000)
    return Area.objects.get(pk=estate.pk)


def vote_with_ballots(estate):
    """One owners' vote on the estate, with ballots from ~80 % of the flats (created once)."""
    from yishiting.areas.models import Household, Person
    from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
    from yishiting.deliberation.models import Ballot, Vote
    from yishiting.deliberation.services.topics import topic_propose
    from yishiting.deliberation.services.votes import vote_open

    vote = Vote.objects.filter(scope_area=estate).first()
    if vote is not None:
        return vote
    admin = superuser()
    topic = topic_propose(actor=admin, title="小区整体改造", description="", level_area=estate)
    vote = vote_open(actor=admin, topic=topic, question="是否同意小区整体改造方案", method=VoteMethod.OWNERS,
                     rule=VoteRule.ART278, matter=OwnersMatter.REBUILD, scope_area=estate)
    rng = random.Random(8)
    owner_of = dict(Person.objects.filter(household__path__startswith=estate.path).values_list("household_id", "pk"))
    ballots = [Ballot(vote=vote, voter_id=owner_of[h], household_id=h,
                      choice=rng.choices(["同意", "反对", "弃权"], [80, 15, 5])[0])
               for h in Household.objects.filter(path__startswith=estate.path).values_list("pk", flat=True)
               if rng.random() < 0.8]
    Ballot.objects.bulk_create(ballots, batch_size=5000)
    return vote


def main() -> None:
    parser = argparse.ArgumentParser(description="民法典第二百七十八条计票：万户小区")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("这个压测只在 PostgreSQL 上做（--database-url postgresql://…）。")
    setup(args.database_url)
    from django.db import connection

    from yishiting.deliberation.selectors.votes import owners_tally_input, vote_tally
    from yishiting.deliberation.tally import tally_owners

    estate = build_estate(args.units)
    vote = vote_with_ballots(estate)
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    statements: list[str] = []
    with connection.execute_wrapper(lambda run, sql, *rest: statements.append(sql) or run(sql, *rest)):
        result = vote_tally(vote)
    whole, python_only = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        vote_tally(vote)
        whole.append(time.perf_counter() - started)
        rows, ballots, channels = owners_tally_input(vote)
        started = time.perf_counter()
        tally_owners(rows=rows, ballots=ballots, matter=vote.matter, channels=channels)
        python_only.append(time.perf_counter() - started)
    print(f"小区：{result['total_units']:,} 户，{result['total_owners']:,} 名业主（按人数规则合并后），"
          f"总面积 {Decimal(result['total_area']):,}㎡；选票 {result['participating_units']:,} 张；"
          f"SQL {len(statements)} 条")
    for line in result["lines"]:
        print(f"  {line}")
    print(f"计票（两条查询 + 计算）：中位 {statistics.median(whole) * 1000:.0f} ms，最快 {min(whole) * 1000:.0f} ms，"
          f"最慢 {max(whole) * 1000:.0f} ms（{args.runs} 次）")
    print(f"  其中纯计算（分组与精确算术）：中位 {statistics.median(python_only) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
