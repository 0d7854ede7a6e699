"""The `world` fixture restores, per test, the rows one build wrote (yishiting.common.testing.world): what it hands
back must be what build_world() makes — the same rows, the same World, a chain that verifies — on both databases."""

from datetime import UTC, datetime

import pytest
from django.db import connection, models, transaction
from django.utils import timezone

from yishiting.areas import services
from yishiting.areas.models import Person
from yishiting.common import testing
from yishiting.common.models import Event, EventHead

# Written at the moment of building (and the hashes cover that moment): equal in kind, not in value.
HASHES = {(Event, "hash"), (Event, "prev_hash"), (EventHead, "hash")}


def _comparable(model, fields, row):
    return tuple("<moment>" if isinstance(f, models.DateTimeField) and value is not None
                 else "<hash>" if (model, f.attname) in HASHES and value else value
                 for f, value in zip(fields, row, strict=True))


def _written(snapshot):
    """The rows of the snapshot's tables that are not in its baseline, as the database holds them now."""
    out = {}
    for model, fields, rows in snapshot.tables:
        first = rows[0][fields.index(model._meta.pk)]
        out[model] = [row for pk, row in sorted(testing._rows(model).items()) if pk >= first]
    return out


def _start_sequences_at(snapshot):
    """PostgreSQL sequences do not roll back: make the next build take the snapshot's primary keys again."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model, fields, rows in snapshot.tables:
            pk = model._meta.pk
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                           [model._meta.db_table, pk.column, rows[0][fields.index(pk)]])


def _instance_state(obj):
    values = {f.attname: ("<moment>" if isinstance(f, models.DateTimeField) and getattr(obj, f.attname) else
                          getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
    cached = {name: (type(other).__name__, getattr(other, "pk", None))
              for name, other in obj._state.fields_cache.items()}
    return type(obj), obj._state.adding, obj._state.db, values, cached


def test_the_restored_world_is_the_built_one_row_for_row(db):
    snapshot = testing.capture_world()
    assert {model._meta.label for model, _, _ in snapshot.tables} >= {
        "areas.Area", "areas.Household", "areas.Person", "areas.Organization", "areas.RoleAssignment",
        "accounts.User", "common.Event", "common.EventHead"}

    _start_sequences_at(snapshot)
    with transaction.atomic():
        built = testing.build_world()
        fresh = _written(snapshot)
        transaction.set_rollback(True)

    # Every table, every row, every column: equal, timestamps and the hashes over them aside (verify checks those).
    for model, fields, rows in snapshot.tables:
        assert [_comparable(model, fields, r) for r in fresh[model]] == [_comparable(model, fields, r) for r in rows], \
            model._meta.label

    restored = testing.restore_world(snapshot)
    # What restore wrote is the snapshot verbatim, hashes and moments included, and its chains verify.
    assert _written(snapshot) == {model: rows for model, _, rows in snapshot.tables}
    testing.verify_clean()

    # The World: the same keys, instances with the same fields and the same cached relations.
    for part in ("areas", "households", "people", "users", "organizations"):
        mine, theirs = getattr(restored, part), getattr(built, part)
        assert list(mine) == list(theirs), part
        for key in theirs:
            assert _instance_state(mine[key]) == _instance_state(theirs[key]), (part, key)
    assert restored.people["resident"].user is restored.users["resident"]  # one graph, as built

    # Writing goes on after the restored rows (PostgreSQL's sequences were moved past them).
    person = services.person_create(actor=None, name="新居民", mobile="13800000099", area=restored.areas["U1"])
    assert person.pk > max(p.pk for p in restored.people.values())
    testing.verify_clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_gets_the_world_and_can_add_to_it(world):
    assert Person.objects.filter(pk=world.people["resident"].pk, name="张三").exists()
    services.person_create(actor=None, name="新居民", mobile="13800000099", area=world.areas["U1"])
    testing.verify_clean()


def test_a_test_that_fixed_the_clock_gets_a_world_built_at_that_moment(db, monkeypatch):
    at = datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: at)
    world = testing.world()
    area = world.areas["D"]
    assert set(Event.objects.filter(subject_type="areas.area", subject_id=str(area.pk)).values_list("at", flat=True)) \
        == {at}
    testing.verify_clean()


def test_rows_written_before_the_world_make_it_build_afresh(db):
    with transaction.atomic():
        testing.world()  # a snapshot exists in this process
        transaction.set_rollback(True)
    early = services.person_create(actor=None, name="先来者", mobile="13800000098")
    world = testing.world()
    assert world.people["resident"].pk > early.pk
    assert Person.objects.count() == 12 and Person.objects.filter(name="张三", household__number="101").exists()
    testing.verify_clean()
