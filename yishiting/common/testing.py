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

import os
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import close_old_connections, connection
from django.utils import timezone as _timezone

from yishiting.accounts.models import User
from yishiting.areas import services
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Area, AreaLevel, Household, Organization, Person

_real_now, _real_localdate = _timezone.now, _timezone.localdate

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


# ---- the world, built once per process and restored per test (issue 16: a CI that stays fast) ----------------
# build_world() goes through the services: ~40 rows with their hash-chained events, 75 ms on SQLite and 200 ms
# on PostgreSQL, and two thousand tests ask for it. `world()` builds it once per test process inside a rolled-back
# savepoint, keeps every row it wrote (events and chain heads included, hashes verbatim) and the World itself
# (pickled: the same instances with the same cached relations), and re-inserts those rows for each test — one
# INSERT per table, PostgreSQL's sequences moved past them. test_world_snapshot.py proves the two equal.
# Whenever the restored world could differ from a fresh one it builds afresh instead: a patched clock, another
# EVENT_HMAC_KEY, another day, or tables the world writes that do not hold what they held when it was captured
# (a fixture that ran first wrote into them).


@dataclass
class WorldSnapshot:
    key: tuple
    day: object
    # (model, its concrete fields, the rows as Python values); inserted in one transaction, so the foreign keys
    # (deferred on both databases) are checked once every row is in
    tables: list[tuple[type, list, list[tuple]]]
    baseline: tuple  # (count, max pk) of each table above just before the world was built
    world: bytes  # the pickled World
    inserts: list[tuple[str, list[list]]] = field(default_factory=list)  # SQL and prepared parameters
    sequences: list[str] = field(default_factory=list)  # PostgreSQL: setval past the restored rows
    probe: str = ""  # one query: (count, max pk) of every table the world writes


_snapshot: WorldSnapshot | None = None


def _stored_models() -> list[type]:
    from django.apps import apps

    seen, models = set(), []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table in seen:
            continue
        seen.add(opts.db_table)
        models.append(model)
    return models


def _rows(model) -> dict:
    fields = model._meta.concrete_fields
    pk_index = [f.attname for f in fields].index(model._meta.pk.attname)
    rows = model._base_manager.using(connection.alias).values_list(*[f.attname for f in fields])
    return {row[pk_index]: tuple(row) for row in rows}


def _world_key() -> tuple | None:
    """What a fresh build depends on besides the database; None when a test has patched the clock."""
    from django.conf import settings
    from django.utils import timezone

    if timezone.now is not _real_now or timezone.localdate is not _real_localdate:
        return None
    return (connection.vendor, connection.settings_dict["NAME"], getattr(settings, "EVENT_HMAC_KEY", ""),
            settings.TIME_ZONE, settings.LANGUAGE_CODE)


def capture_world() -> WorldSnapshot:
    """Build the world in a savepoint that is rolled back; what it wrote, and the World."""
    import pickle

    from django.core.management.color import no_style
    from django.db import transaction
    from django.utils import timezone

    models = _stored_models()
    before = {model: _rows(model) for model in models}
    with transaction.atomic():
        built = build_world()
        after = {model: _rows(model) for model in models}
        blob = pickle.dumps(built)
        transaction.set_rollback(True)
    tables, baseline = [], []
    for model in models:
        old, new = before[model], after[model]
        changed = [pk for pk, row in old.items() if repr(new.get(pk)) != repr(row)]
        if changed:
            raise RuntimeError(f"build_world() changed or deleted rows it did not write: {model._meta.label} {changed}")
        added = [row for pk, row in sorted(new.items()) if pk not in old]
        if added:
            tables.append((model, list(model._meta.concrete_fields), added))
            baseline.append((len(old), max(old, default=None)))
    snapshot = WorldSnapshot(key=_world_key(), day=timezone.localdate(), tables=tables, baseline=tuple(baseline),
                             world=blob)
    qn = connection.ops.quote_name
    for model, fields, rows in tables:
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        snapshot.inserts.append((
            f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})",
            [[f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)] for row in rows],
        ))
    snapshot.sequences = connection.ops.sequence_reset_sql(no_style(), [model for model, _, _ in tables])
    snapshot.probe = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {qn(m._meta.db_table)}), (SELECT MAX({qn(m._meta.pk.column)}) "
        f"FROM {qn(m._meta.db_table)})" for m, _, _ in tables)
    return snapshot


def restore_world(snapshot: WorldSnapshot) -> World:
    """Insert the snapshot's rows as they were written and hand back its World."""
    import pickle

    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in snapshot.inserts:
            cursor.executemany(sql, params)
        for sql in snapshot.sequences:
            cursor.execute(sql)
    return pickle.loads(snapshot.world)


def _baseline_now(snapshot: WorldSnapshot) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(snapshot.probe)
        values = cursor.fetchone()
    return tuple(zip(values[0::2], values[1::2], strict=True))


def world() -> World:
    """The world for one test: restored from this process's snapshot, or built afresh when that could differ."""
    global _snapshot
    from django.utils import timezone

    key = _world_key()
    if key is None or not connection.in_atomic_block:
        # A transaction=True test (browser, server and race tests: no test transaction around it, its tables
        # flushed and the serialized content restored) builds its own: the snapshot serves only tests inside a
        # test transaction, whose rollback takes the restored rows away again.
        return build_world()
    if _snapshot is None or _snapshot.key != key or _snapshot.day != timezone.localdate():
        _snapshot = capture_world()
    current = _baseline_now(_snapshot)
    if current != _snapshot.baseline:
        # Tables the world writes hold other rows than when it was captured. Fewer: capture again from this
        # cleaner start (the first capture may have followed a fixture's rows); otherwise build afresh.
        if all(now[0] <= then[0] for now, then in zip(current, _snapshot.baseline, strict=True)):
            _snapshot = capture_world()
            if _baseline_now(_snapshot) == _snapshot.baseline:
                return restore_world(_snapshot)
        return build_world()
    return restore_world(_snapshot)


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


def tool_missing(message: str) -> None:
    """A system program a test needs is not installed: skipped on a developer's machine, a failure under CI=true
    (scripts/system-deps.sh installs it there)."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
