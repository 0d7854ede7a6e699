"""Fixed personas and a small area tree for tests (architecture rule 8).

Tree (codes):                           Personas (username → role @ area):
  D 幸福区                                district_official  区级干部 @ D
  ├─ S1 东风街道                          street_official    街道干部 @ S1
  │   ├─ C1 幸福苑社区                    community_secretary 社区书记 @ C1, community_staff 社区工作人员 @ C1
  │   │   └─ G1 幸福苑小区                grid_worker        网格员 @ G1
  │   │       └─ B1 幸福苑3栋 └─ U1 1单元  resident           居民 @ U1, lives in household H1 (U1-101)
  │   └─ C2 和平里社区 └─ G2 └─ B2 └─ U2   (sibling scope: resident2 in H3)
  └─ S2 西湖街道 └─ C3 湖滨社区 └─ … U3     (other street: resident3 in H4)
  handler: 承办单位经办人 @ S1 for organization 东风街道城管执法队; admin: 系统管理员 @ D (is_staff).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import close_old_connections, connection

from yishiting.accounts.models import User
from yishiting.areas import services
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Area, AreaLevel, Household, Organization, Person

PERSONA_PASSWORD = "Yst-test-2026"
PERSONAS = ["resident", "grid_worker", "community_staff", "community_secretary", "street_official",
            "district_official", "handler", "admin"]


@lru_cache(maxsize=1)
def persona_password_hash() -> str:
    """One real argon2 hash, computed once, shared by every persona (keeps tests fast without a fake hasher)."""
    return make_password(PERSONA_PASSWORD)


@dataclass
class World:
    areas: dict[str, Area] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)


def _level(code: str) -> AreaLevel:
    return AreaLevel.objects.get(code=code)


def _branch(world: World, parent: Area | None, chain: list[tuple[str, str, str]]) -> None:
    for code, name, level in chain:
        parent = services.area_create(actor=None, name=name, level=_level(level), code=code, parent=parent)
        world.areas[code] = parent


def make_user(world: World, username: str, person: Person, *, is_staff: bool = False) -> User:
    user = User.objects.create(username=username, password=persona_password_hash(), is_staff=is_staff)
    person.user = user
    person.save(update_fields=["user"])
    world.users[username] = user
    world.people[username] = person
    return user


def build_world() -> World:
    """The tree, three households with residents, an organization, and one user per persona."""
    world = World()
    _branch(world, None, [("D", "幸福区", "district"), ("S1", "东风街道", "street"),
                          ("C1", "幸福苑社区", "community"), ("G1", "幸福苑小区", "estate"),
                          ("B1", "幸福苑3栋", "building"), ("U1", "1单元", "unit")])
    _branch(world, world.areas["S1"], [("C2", "和平里社区", "community"), ("G2", "和平里小区", "estate"),
                                       ("B2", "和平里1栋", "building"), ("U2", "1单元", "unit")])
    _branch(world, world.areas["D"], [("S2", "西湖街道", "street"), ("C3", "湖滨社区", "community"),
                                      ("G3", "湖滨花园", "estate"), ("B3", "湖滨花园2栋", "building"),
                                      ("U3", "2单元", "unit")])
    for key, unit, number, size in [("H1", "U1", "101", "89.50"), ("H2", "U1", "102", "120.25"),
                                    ("H3", "U2", "201", "75.00"), ("H4", "U3", "301", "98.10")]:
        world.households[key] = services.household_create(actor=None, unit=world.areas[unit], number=number,
                                                          exclusive_area=Decimal(size))
    org = services.organization_create(actor=None, kind=OrganizationKind.GOVERNMENT_AGENCY,
                                       name="东风街道城管执法队", area=world.areas["S1"])
    world.organizations["agency"] = org
    world.organizations["property"] = services.organization_create(
        actor=None, kind=OrganizationKind.PROPERTY_COMPANY, name="幸福苑物业服务有限公司", area=world.areas["C1"])
    _personas(world)
    return world


def _person(name: str, mobile: str, **kwargs) -> Person:
    return services.person_create(actor=None, name=name, mobile=mobile, **kwargs)


def _personas(world: World) -> None:
    a, h = world.areas, world.households
    spec = [
        ("resident", "张三", "13800000001", {"household": h["H1"]}, Role.RESIDENT, "U1", None),
        ("resident2", "李四", "13800000002", {"household": h["H3"]}, Role.RESIDENT, "U2", None),
        ("resident3", "王五", "13800000003", {"household": h["H4"]}, Role.RESIDENT, "U3", None),
        ("grid_worker", "赵网格", "13800000004", {"area": a["G1"]}, Role.GRID_WORKER, "G1", None),
        ("community_staff", "钱社工", "13800000005", {"area": a["C1"]}, Role.COMMUNITY_STAFF, "C1", None),
        ("community_secretary", "孙书记", "13800000006", {"area": a["C1"]}, Role.COMMUNITY_SECRETARY, "C1", None),
        ("street_official", "周主任", "13800000007", {"area": a["S1"]}, Role.STREET_OFFICIAL, "S1", None),
        ("district_official", "吴区长", "13800000008", {"area": a["D"]}, Role.DISTRICT_OFFICIAL, "D", None),
        ("handler", "郑经办", "13800000009", {"area": a["S1"]}, Role.HANDLER, "S1", world.organizations["agency"]),
        ("admin", "冯管理", "13800000010", {"area": a["D"]}, Role.ADMIN, "D", None),
    ]
    for username, name, mobile, where, role, area_code, org in spec:
        person = _person(name, mobile, id_number=None, **where)
        make_user(world, username, person, is_staff=role == Role.ADMIN)
        services.role_assign(actor=None, person=person, role=role, area=a[area_code], organization=org)
    # Someone registered at street level (the "parent scope" of a community persona).
    world.people["street_resident"] = _person("陈街坊", "13800000011", area=a["S1"])


def run_verify(*args: str) -> tuple[bool, str]:
    """`yishiting verify` as the operator runs it: (passed, everything it printed)."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except CommandError as exc:
        return False, f"{out.getvalue()}{exc}"
    return True, out.getvalue()


def raw_sql(statement: str, params: list | tuple = ()) -> None:
    """Tamper as someone with write access to the database would: plain SQL, no service, no ORM save()."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# ---- tampering, as the `verify` tests do it (issue 16) ----------------------------------------------------
# One place for the attacker's moves, so each domain's tamper test says only what it changes and what verify
# must name.

def rewrite_event(event, payload: dict, *, key: bytes | None = None, fix_head: bool = True) -> str:
    """Edit an event's payload and recompute its hash (and, unless told not, the chain head) as someone with
    database access would: under `key` (None: plain SHA-256, the attacker without EVENT_HMAC_KEY)."""
    import json

    from yishiting.common.events import compute_hash
    from yishiting.common.models import Event, EventHead

    digest = compute_hash(subject_type=event.subject_type, subject_id=event.subject_id, seq=event.seq,
                          kind=event.kind, actor_id=event.actor_id, at=event.at, payload=payload,
                          prev_hash=event.prev_hash, key=key)
    raw_sql(f"UPDATE {Event._meta.db_table} SET payload = %s, hash = %s WHERE id = %s",
            [json.dumps(payload), digest, event.pk])
    if fix_head:
        raw_sql(f"UPDATE {EventHead._meta.db_table} SET hash = %s WHERE subject_type = %s AND subject_id = %s",
                [digest, event.subject_type, event.subject_id])
    event.payload, event.hash = payload, digest
    return digest


def rechain(subject_type: str, subject_id: object, edit, *, key: bytes | None = None) -> None:
    """Rewrite a whole chain as one who knows `key` would: `edit(event)` returns a new payload (or None to keep
    it), and every event from the first edited one on is re-hashed onto its predecessor, head included — a
    history that is consistent again, which only a key the rewriter lacks or an anchor can expose."""
    from yishiting.common.models import Event

    prev, dirty = None, False
    for event in Event.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("seq"):
        payload = edit(event)
        if prev is not None and dirty:
            raw_sql(f"UPDATE {Event._meta.db_table} SET prev_hash = %s WHERE id = %s", [prev, event.pk])
            event.prev_hash = prev
        if payload is not None or dirty:
            dirty = True
            rewrite_event(event, event.payload if payload is None else payload, key=key)
        prev = event.hash


def drop_fields(event, *fields: str) -> None:
    """Rewrite `event` as an older release wrote it (without `fields`), the chain re-hashed from it on: what
    "cannot reconcile" is for."""
    rechain(event.subject_type, event.subject_id,
            edit=lambda e: {k: v for k, v in e.payload.items() if k not in fields} if e.pk == event.pk else None)


def delete_chain(subject_type: str, subject_id: object) -> None:
    """Delete every event of one object and its chain head (the object itself stays)."""
    from yishiting.common.models import Event, EventHead

    for model in (Event, EventHead):
        raw_sql(f"DELETE FROM {model._meta.db_table} WHERE subject_type = %s AND subject_id = %s",
                [subject_type, str(subject_id)])


def verify_clean(*args: str) -> str:
    """`verify` passes, with nothing it cannot reconcile; what it printed."""
    passed, out = run_verify(*args)
    assert passed and "无法核对" not in out, out
    return out


def verify_names(label: str, pk: object, *said: str, args: tuple[str, ...] = ()) -> str:
    """`verify` fails and names the object ("demands.demand#7: …") and says each of `said`; what it printed."""
    passed, out = run_verify(*args)
    assert not passed, out
    assert f"{label}#{pk}: " in out, out
    for text in said:
        assert text in out, out
    return out


def tamper(statement: str, params: list | tuple, label: str, pk: object, *said: str) -> str:
    """Change the database by raw SQL, then expect `verify` to fail naming `label#pk` and saying `said`."""
    raw_sql(statement, params)
    return verify_names(label, pk, *said)


# ---- concurrency (PostgreSQL: SQLite serializes every write, so there is no race to test there) ----

def race(jobs) -> list:
    """Run each job in its own thread (its own connection), released together by a barrier; return each job's
    result or the exception it raised (the loser's Conflict is what a race test inspects)."""
    barrier, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test inspects
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
