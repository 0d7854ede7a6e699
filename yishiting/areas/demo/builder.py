"""Build (or rebuild) the demo district in one transaction with bulk inserts.

The rows are exactly what the services would write — the same path numbering and naming helpers
(`services.next_child_numbers`, `services.area_derived_fields`), organizations and roles on their area's path,
people on their household's or area's path — but without one event per row: a single "demo.built" event on
the district records the seed, scale and counts (and marks the district as the demo).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction

from yishiting.areas import services
from yishiting.areas.models import (
    Area,
    AreaLevel,
    Household,
    HouseholdClaim,
    Organization,
    Person,
    RoleAssignment,
)
from yishiting.common.errors import DomainError
from yishiting.common.events import event_append
from yishiting.common.models import Event

from .logins import Login, demo_logins, demo_user_ids, demo_users
from .names import NameMaker
from .people import Cast, StaffPlanner
from .residents import ResidentPlanner
from .tree import DISTRICT_CODE, LEVEL_CODES, Node, plan_district

BATCH = 2000


@dataclass
class DemoResult:
    built: bool  # False when the demo was already there and nothing was done
    district: Area
    counts: dict[str, int]
    logins: list[Login]
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def demo_district() -> Area | None:
    return Area.objects.filter(code=DISTRICT_CODE, parent__isnull=True).first()


def demo_info(district: Area) -> dict | None:
    """The payload of the district's last "demo.built" event (seed, scale, counts), or None if not a demo."""
    event = (Event.objects.filter(subject_type="areas.area", subject_id=str(district.pk), kind="demo.built")
             .order_by("-seq").first())
    return event.payload if event else None


def demo_build(*, seed: int = 2026, scale: int = 1, owners: bool = True, streets: int = 5,
               communities_per_street: int = 5, force: bool = False,
               log: Callable[[str], None] | None = None) -> DemoResult:
    """Build the demo district unless it is there already (then only report it); `force` rebuilds it."""
    started = time.monotonic()
    log = log or (lambda message: None)
    district = demo_district()
    if district is not None:
        info = demo_info(district)
        if info is None:
            raise DomainError("demo_code_taken", f"区域编码“{DISTRICT_CODE}”已被非演示数据使用，无法生成演示区。")
        if not force:
            return DemoResult(False, district, info.get("counts", {}), demo_logins(district),
                              time.monotonic() - started)
    with transaction.atomic():
        keep = demo_user_ids(district) if district is not None else set()
        if district is not None:
            log("删除旧的演示数据……")
            _delete(district)
        tree = plan_district(seed, streets, communities_per_street * scale)
        counts: Counter[str] = Counter()
        counts["areas"] = _save_areas(tree, _levels())
        log(f"区域 {counts['areas']} 个")
        users, warnings = demo_users(keep_ids=keep)
        cast = Cast(seed, NameMaker(), users)
        StaffPlanner(cast).plan(tree)
        counts["organizations"] = _save_orgs(cast)
        _save_people(cast, counts)

        def flush(households: list[Household]) -> None:
            Household.objects.bulk_create(households, batch_size=BATCH)
            counts["households"] += len(households)
            _save_people(cast, counts)
            log(f"住户 {counts['households']} 户，人员 {counts['people']} 人")

        ResidentPlanner(cast, owners=owners, flush=flush).plan(tree)
        counts["users"] = len(users)
        event_append(subject=tree.obj, kind="demo.built", actor=users.get("admin"),
                     payload={"seed": seed, "scale": scale, "owners": owners, "streets": streets,
                              "communities": streets * communities_per_street * scale, "counts": dict(counts)})
    return DemoResult(True, tree.obj, dict(counts), demo_logins(tree.obj), time.monotonic() - started, warnings)


def _levels() -> list[AreaLevel]:
    levels = {level.code: level for level in AreaLevel.objects.filter(code__in=LEVEL_CODES)}
    ordered = [levels.get(code) for code in LEVEL_CODES]
    if any(level is None or level.depth != depth for depth, level in enumerate(ordered, start=1)):
        raise DomainError("demo_levels", "演示区需要默认的六级区域层级（区、街道、社区、小区/网格、楼栋、单元），"
                                         "当前的层级设置不同。")
    return ordered


def _save_areas(district: Node, levels: list[AreaLevel]) -> int:
    """Insert level by level so each child knows its parent's key; siblings are numbered 1, 2, … in order."""
    number = services.next_child_numbers([None])[None]
    district.obj = Area(parent=None, level=levels[0], name=district.name, code=district.code,
                        **services.area_derived_fields(None, district.name, number))
    Area.objects.bulk_create([district.obj])
    total = 1
    for depth in range(2, len(LEVEL_CODES) + 1):
        batch = []
        for parent in district.walk(depth - 1):
            for number, child in enumerate(parent.children, start=1):
                child.obj = Area(parent=parent.obj, level=levels[depth - 1], name=child.name, code=child.code,
                                 **services.area_derived_fields(parent.obj, child.name, number))
                batch.append(child.obj)
        Area.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
    return total


def _save_orgs(cast: Cast) -> int:
    total = 0
    for depth in sorted(cast.orgs):  # parents serve shallower areas, so they get their keys first
        Organization.objects.bulk_create(cast.orgs[depth], batch_size=BATCH)
        total += len(cast.orgs[depth])
    return total


def _save_people(cast: Cast, counts: Counter) -> None:
    _drop_taken_id_numbers(cast.people)
    Person.objects.bulk_create(cast.people, batch_size=BATCH)
    RoleAssignment.objects.bulk_create(cast.roles, batch_size=BATCH)
    counts["people"] += len(cast.people)
    counts["roles"] += len(cast.roles)
    cast.people, cast.roles = [], []


def _drop_taken_id_numbers(people: list[Person]) -> None:
    """A generated ID number that a real person already has is left out (the column is unique)."""
    numbers = [p.id_number for p in people if p.id_number]
    taken: set[str] = set()
    for start in range(0, len(numbers), 500):
        taken.update(Person.objects.filter(id_number__in=numbers[start:start + 500])
                     .values_list("id_number", flat=True))
    for person in people:
        if person.id_number in taken:
            person.id_number = None


def _delete(district: Area) -> None:
    """Remove the demo district and everything under it: one DELETE per table by path prefix (the ORM's
    row-by-row cascade takes minutes at a million rows), then an immediate check of every foreign key, so
    records elsewhere that point into the demo make this fail cleanly instead of leaving them dangling."""
    prefix = district.path + "%"  # paths are [0-9A-Z] only: nothing to escape for LIKE
    with connection.cursor() as cursor:
        for model in (HouseholdClaim, RoleAssignment, Person, Organization, Household, Area):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE path LIKE %s",
                           [prefix])
    try:
        connection.check_constraints()
    except IntegrityError:
        raise DomainError("demo_in_use", "演示区的数据已被其他记录引用，不能重建。请换一个新数据库再生成演示区。") from None
