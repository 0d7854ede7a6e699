"""The event log: chained hashes, and `yishiting verify` catching rows edited, deleted or reordered in SQL."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yishiting.common.events import event_append, events_of, verify_chains
from yishiting.common.models import Event


@pytest.fixture
def chain(world):
    area = world.areas["C1"]
    for i in range(3):
        event_append(subject=area, kind="note", actor=world.users["community_staff"], payload={"n": i, "text": "你好"})
    return area


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _broken_subjects():
    return {(p.subject_type, p.subject_id): p for p in verify_chains()}


def test_events_chain_in_order_with_actor(chain, world):
    events = list(events_of(chain))
    assert [e.seq for e in events] == [1, 2, 3, 4]  # area.created + 3 notes
    assert events[0].kind == "area.created"
    assert events[1].prev_hash == events[0].hash
    assert events[3].actor == world.users["community_staff"]
    assert events[3].payload == {"n": 2, "text": "你好"}
    assert not list(verify_chains())


def test_orm_refuses_to_change_or_delete_an_event(chain):
    event = events_of(chain).last()
    event.kind = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_verify_reports_a_payload_edited_in_sql(chain):
    event = events_of(chain).get(seq=2)
    _sql(f"UPDATE {Event._meta.db_table} SET payload = %s WHERE id = %s", ['{"n": 99, "text": "你好"}', event.pk])
    broken = _broken_subjects()
    assert list(broken) == [("areas.area", str(chain.pk))]
    assert "第 2 条事件内容被修改" in str(broken[("areas.area", str(chain.pk))])


def test_verify_reports_a_deleted_middle_event(chain):
    _sql(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [events_of(chain).get(seq=2).pk])
    assert "缺失" in str(_broken_subjects()[("areas.area", str(chain.pk))])


def test_verify_reports_a_deleted_last_event(chain):
    _sql(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [events_of(chain).get(seq=4).pk])
    assert "末尾事件被删除" in str(_broken_subjects()[("areas.area", str(chain.pk))])


def test_verify_reports_reordered_events(chain):
    second, third = events_of(chain).get(seq=2), events_of(chain).get(seq=3)
    table = Event._meta.db_table
    _sql(f"UPDATE {table} SET seq = 1000 WHERE id = %s", [second.pk])
    _sql(f"UPDATE {table} SET seq = 2 WHERE id = %s", [third.pk])
    _sql(f"UPDATE {table} SET seq = 3 WHERE id = %s", [second.pk])
    assert ("areas.area", str(chain.pk)) in _broken_subjects()


def test_verify_command_names_each_broken_subject_and_fails(chain, world, capsys):
    other = world.areas["C2"]
    event = events_of(other).first()
    _sql(f"UPDATE {Event._meta.db_table} SET kind = 'forged' WHERE id = %s", [event.pk])
    with pytest.raises(CommandError, match="1 个校验失败"):
        call_command("verify")
    out = capsys.readouterr().out
    assert f"areas.area#{other.pk}" in out
    assert f"areas.area#{chain.pk}" not in out


def test_verify_command_passes_on_an_intact_log(chain, capsys):
    call_command("verify")
    assert "全部校验通过" in capsys.readouterr().out


def test_a_new_subject_fast_path_cannot_fork_an_existing_chain(chain, world):
    """new_subject=True skips the head lookup; said of a subject with events, the head's constraint refuses."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        event_append(subject=chain, kind="note", new_subject=True)
    assert events_of(chain).count() == 4 and not list(verify_chains())


def test_appends_with_awkward_payloads_verify_and_match_what_is_stored(chain, world):
    """On PostgreSQL the next event is hashed by the server; the chain must verify exactly as one hashed here."""
    payloads = [{"text": '引号"、反斜杠\\、换行\n和制表\t', "list": [1, 2.5, None, True]},
                {"b": {"z": 1, "a": "é"}, "emoji": "🏠"}, {"mark": "<<seq>> <<prev-hash>>"}, {}]
    before = events_of(chain).count()
    appended = [event_append(subject=chain, kind="note", actor=world.users["community_staff"], payload=p)
                for p in payloads]
    stored = {e.pk: e for e in events_of(chain)}
    assert [e.seq for e in appended] == [before + 1, before + 2, before + 3, before + 4]
    for event in appended:
        row = stored[event.pk]
        assert (row.seq, row.prev_hash, row.hash, row.payload) == (event.seq, event.prev_hash, event.hash,
                                                                   event.payload)
    assert not list(verify_chains())


def test_appending_to_a_chain_is_one_statement_on_postgresql(chain, world, django_assert_max_num_queries):
    budget = 1 if connection.vendor == "postgresql" else 5
    with django_assert_max_num_queries(budget):
        event_append(subject=chain, kind="note", actor=world.users["community_staff"], payload={"n": 9})
    assert not list(verify_chains())
