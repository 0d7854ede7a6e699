"""网格工作 in the demo. The persona estate, through the services as the people themselves: the 党员中心户 of the
resident's building hung their plaques; the grid worker keeps the resident's household and building, the estate
branch secretary a few neighbours; a patrol found a blocked fire lane, the finding became a demand handled by
the community and closed — solved in the grid; a visit to the resident, a joint patrol with the property company
and a 三方对话会. The rest of the district in bulk (`grid_bulk`), on its own random stream: each estate's grid
worker keeps a dozen households and has visited most of them this month."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time

from django.utils import timezone

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Area, Household, Organization, RoleAssignment
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.screening import Decision, demand_screen
from yishiting.handling.services.tasks import task_accept, task_submit, task_verify

from . import services as grid
from .choices import RecordKind
from .models import Assignment, FieldRecord
from .selectors import estate_depth

VISITS = ["了解家中老人身体和用药情况", "宣传防诈骗知识，留下网格员电话", "询问孩子入学和托管需求", "登记住户变动，核对人口信息",
          "上门听取对楼道改造的意见"]


def grid_story(cast, at: Callable[..., datetime], working_day: Callable[[int], date]) -> Iterator[datetime]:
    staff, secretary, worker = (cast.user(n) for n in ("community_staff", "community_secretary", "grid_worker"))
    yield at(40, 9)
    for role in RoleAssignment.objects.filter(role=Role.CENTRAL_HOUSEHOLD, path__startswith=cast.building.path,
                                              is_active=True).order_by("pk"):
        grid.plaque_hang(actor=staff, role=role, hung_on=working_day(40))
    grid.assignment_create(actor=staff, keeper=cast.person("grid_worker"), building=cast.building)
    grid.assignment_create(actor=staff, keeper=cast.person("grid_worker"), household=cast.people["resident"].household)
    branch = cast.holder(Role.ESTATE_BRANCH_SECRETARY, cast.estate)
    if branch is not None:
        for neighbour in cast.neighbours[:3]:
            grid.assignment_create(actor=staff, keeper=branch, household=neighbour.household)
    yield at(3, 10)
    grid.record_create(actor=worker, entry=grid.RecordEntry(
        kind=RecordKind.VISIT, place=cast.building, household=cast.people["resident"].household,
        summary="入户看望，了解老人近况，提醒冬季用电安全", findings=["单元门禁闭门器损坏，门关不上"]))
    yield at(2, 9)
    from yishiting.demo.steps import photo

    patrol = grid.record_create(actor=worker, entry=grid.RecordEntry(
        kind=RecordKind.PATROL, place=cast.building, summary="巡查楼道、消防通道和电动车停放",
        position=f"{cast.building.name}东侧消防通道", findings=["消防通道堆放旧家具，堵住一半通道"], photos=[photo(31)[1]]))
    demand = grid.finding_report(actor=worker, finding=patrol.findings.get())
    yield at(2, 11)
    demand = demand_screen(actor=staff, demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, reason="网格内可以解决：联系住户和物业当天清理",
        handler=cast.person("community_staff"), deadline=working_day(0)))
    yield at(1, 9)
    task_accept(actor=staff, task=demand.task)
    yield at(1, 15)
    task_submit(actor=staff, task=demand.task, evidence="已联系住户搬走旧家具，消防通道畅通", files=[photo(32)])
    yield at(1, 17)
    task_verify(actor=secretary, task=demand.task, approve=True, note="现场核实，通道已畅通")
    yield at(4, 14)
    company = Organization.objects.filter(kind=OrganizationKind.PROPERTY_COMPANY, path=cast.estate.path,
                                          is_active=True).order_by("pk")
    grid.record_create(actor=staff, entry=grid.RecordEntry(
        kind=RecordKind.JOINT_PATROL, place=cast.estate, summary="社区、物业和业主代表联合巡查小区公共设施",
        participants="物业项目经理、业主代表两人、网格员", organizations=list(company[:1]),
        findings=["小区东门路面破损", "3号楼前路灯不亮"]))
    yield at(5, 19)
    grid.record_create(actor=staff, entry=grid.RecordEntry(
        kind=RecordKind.TRIPARTITE, place=cast.estate, summary="三方对话会：物业费收支公开和停车位划线方案",
        participants="社区、物业公司、业委会和居民代表", organizations=list(company[:1])))


def grid_bulk(district: Area, seed: int, today: date) -> int:
    """Every other estate of the district this month, in bulk (no events: imported, as a city would load last
    month's paper ledgers): its grid worker keeps up to 12 households, has visited about 70% of them, and patrolled
    each building once. Own random stream per estate. Returns the records written."""
    rows: list[FieldRecord] = []
    estates = Area.objects.filter(path__startswith=district.path, level__depth=estate_depth()).order_by("path")
    done = set(Assignment.objects.values_list("estate_id", flat=True).distinct())
    for estate in estates.exclude(pk__in=done):
        rows += _estate_month(estate, random.Random(f"{seed}:grid:{estate.code}"), today)
    FieldRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _estate_month(estate: Area, rng: random.Random, today: date) -> list[FieldRecord]:
    worker = (RoleAssignment.objects.filter(role=Role.GRID_WORKER, path=estate.path, is_active=True)
              .select_related("person").order_by("pk").first())
    if worker is None:
        return []
    households = list(Household.objects.filter(path__startswith=estate.path).select_related("unit")
                      .order_by("path", "number")[:300])
    kept = rng.sample(households, min(12, len(households)))
    Assignment.objects.bulk_create([Assignment(keeper=worker.person, estate=estate, household=h, path=h.path)
                                    for h in kept])
    moment = lambda: timezone.make_aware(datetime.combine(  # noqa: E731 — a day of this month so far
        today.replace(day=rng.randint(1, today.day)), time(rng.randint(9, 17), rng.choice((0, 30)))))
    records = [FieldRecord(kind=RecordKind.VISIT, estate=estate, place_id=h.unit.parent_id, household=h, path=h.path,
                           occurred_at=moment(), recorder=worker.person, summary=rng.choice(VISITS))
               for h in kept if rng.random() < 0.7]
    for building in Area.objects.filter(parent=estate).order_by("path"):
        records.append(FieldRecord(kind=RecordKind.PATROL, estate=estate, place=building, path=building.path,
                                   occurred_at=moment(), recorder=worker.person, summary="巡查楼道和消防通道，未见异常"))
    return records
