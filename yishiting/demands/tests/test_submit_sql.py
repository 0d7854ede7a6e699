"""A submission in one statement (PostgreSQL, no photos: demands.submit_sql) writes exactly what the other path
(number first, then the rows: SQLite, and submissions with photos) writes; numbering and failures behave the
same on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.common.errors import Conflict
from yishiting.common.events import events_of, verify_chains
from yishiting.common.models import Event
from yishiting.demands.models import PARTIAL_FK_INDEXES, Demand, DemandCounter, DemandKey, IdempotencyRecord
from yishiting.notifications.models import Notification

from .conftest import image_bytes

TEXT = "幸福苑3栋楼道灯坏了一个星期，晚上上下楼很黑"
SKIPPED = {"id", "number", "created_at"}


@pytest.fixture(params=[True, False], ids=["prepared", "django-cursor"])
def fast_paths(request, settings):
    """The statement runs prepared (FAST_PATHS, the default) or through Django's cursor (FAST_PATHS=false)."""
    settings.FAST_PATHS = request.param
    return request.param


def row(demand: Demand) -> dict:
    return {f.attname: getattr(demand, f.attname) for f in Demand._meta.concrete_fields if f.attname not in SKIPPED}


def notification_of(demand: Demand) -> Notification:
    return Notification.objects.get(subject_type="demands.demand", subject_id=str(demand.pk))


def test_one_statement_writes_the_same_rows_as_the_other_path(submit, world, messages_outbox, fast_paths):
    """On PostgreSQL the first goes through the one statement, the second (with a photo) through the other
    path; on SQLite both take the other path and must agree all the same."""
    plain = submit(text=TEXT, address="幸福苑3栋", urgency="urgent", key="k-plain")
    photo = submit(text=TEXT, address="幸福苑3栋", urgency="urgent", key="k-photo", photos=[image_bytes()])
    plain, photo = Demand.objects.get(pk=plain.pk), Demand.objects.get(pk=photo.pk)
    year = date.today().year
    assert (plain.number, photo.number) == (f"{year}-000001", f"{year}-000002")
    assert row(plain) == row(photo)
    assert sorted(DemandKey.objects.filter(demand=plain).values_list("key", "community_id", "version")) == \
        sorted(DemandKey.objects.filter(demand=photo).values_list("key", "community_id", "version"))
    assert DemandKey.objects.filter(demand=plain).count() > 3
    assert set(DemandKey.objects.filter(demand=plain).values_list("created_at", flat=True)) == {plain.created_at}
    assert IdempotencyRecord.objects.get(key="k-plain").demand_id == plain.pk
    [mine], [theirs] = events_of(plain), events_of(photo)
    assert mine.payload == {**theirs.payload, "number": plain.number, "photos": []}
    assert (mine.kind, mine.actor_id, mine.seq) == (theirs.kind, theirs.actor_id, 1)
    assert list(verify_chains()) == []
    note, other = notification_of(plain), notification_of(photo)
    assert note.text == other.text.replace(photo.number, plain.number) and plain.number in note.text
    assert (note.link, note.person_id, note.sent_by_sms) == (f"/demands/{plain.pk}/", other.person_id, True)
    assert [m.text for m in messages_outbox] == [f"【议事厅】{note.text}", f"【议事厅】{other.text}"]


def test_the_reply_carries_the_event_the_database_holds(submit, fast_paths):
    demand = submit(text=TEXT)
    stored = Event.objects.get(subject_type="demands.demand", subject_id=str(demand.pk))
    event = demand.submitted_event
    assert (event.kind, event.payload, event.hash, event.at, event.actor_id) == \
        (stored.kind, stored.payload, stored.hash, stored.at, stored.actor_id)


def test_numbers_past_a_million_keep_every_digit(submit, world):
    first = submit(text=TEXT)
    DemandCounter.objects.filter(district_id=first.district_id).update(last=999_999)
    assert submit(text="小区东门垃圾桶满了没人清运，味道很大").number == f"{date.today().year}-1000000"


def test_a_refused_retry_writes_nothing_and_takes_no_number(submit, messages_outbox, fast_paths):
    first = submit(text=TEXT, key="same-key")
    counts = (Demand.objects.count(), Event.objects.count(), Notification.objects.count(), DemandKey.objects.count())
    with pytest.raises(Conflict):
        submit(text="小区东门垃圾桶满了没人清运，味道很大", key="same-key")
    assert (Demand.objects.count(), Event.objects.count(), Notification.objects.count(),
            DemandKey.objects.count()) == counts
    assert len(messages_outbox) == 1
    assert submit(text="小区东门垃圾桶满了没人清运，味道很大").number == first.number[:-1] + "2"


def test_on_postgresql_a_submission_is_one_statement(submit, settings):
    submit(text=TEXT)  # caches warm (token, roles, places, categories)
    if connection.vendor != "postgresql":
        pytest.skip("SQLite 上逐表写入；这一条只在 PostgreSQL 轮次中检查")
    settings.FAST_PATHS = False
    settings.MESSAGING_BACKEND = "aliyun"  # a real provider: the SMS's outbox is the notification row, sent later
    with CaptureQueriesContext(connection) as queries:
        submit(text="小区东门垃圾桶满了没人清运，味道很大")
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 and statements[0].startswith("WITH n AS (UPDATE")


def test_on_postgresql_the_statement_is_prepared_once_per_connection(submit, settings):
    """With FAST_PATHS (the default) the server plans the statement once per connection and reuses it; Django
    sends nothing else."""
    if connection.vendor != "postgresql":
        pytest.skip("只有 PostgreSQL 有预编译语句；这一条在 PostgreSQL 轮次中检查")
    settings.FAST_PATHS = True
    settings.MESSAGING_BACKEND = "aliyun"  # a real provider: nothing is sent after commit (notifications.delivery)

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                           ["WITH n AS (UPDATE%"])
            return [row[0] for row in cursor.fetchall()]

    submit(text=TEXT)
    with CaptureQueriesContext(connection) as queries:
        submit(text="小区东门垃圾桶满了没人清运，味道很大")
        submit(text="3号楼电梯经常停运，老人上下楼很困难")
    assert [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))] == []
    assert len(prepared()) == 1 and Demand.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_text_goes_out_after_the_statement(world, messages_outbox):
    """No surrounding transaction (a real request): the statement commits by itself, then the SMS is sent."""
    from yishiting.demands.services import Submission, demand_submit

    demand = demand_submit(actor=world.users["resident"], submission=Submission(text=TEXT, area=world.areas["B1"]))
    assert Demand.objects.filter(pk=demand.pk, number=demand.number).exists()
    assert [m.text for m in messages_outbox] == [f"【议事厅】{notification_of(demand).text}"]
    assert demand.number in messages_outbox[0].text



@pytest.mark.postgres
@pytest.mark.parametrize("link", PARTIAL_FK_INDEXES)
def test_links_set_at_screening_are_indexed_only_where_set_and_lookups_still_use_the_index(link, db):
    """Topic, task, mediation… are empty when a demand comes in: their indexes hold only the rows that have one
    (intake adds no entry to them), and a lookup by one (a topic's demands, a deletion check) uses the index."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 的部分索引与执行计划")
    column = Demand._meta.get_field(link).column
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"demand_{link}_idx"])
        assert cursor.fetchone()[0].endswith(f"WHERE ({column} IS NOT NULL)")
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: the planner would rather scan it
        cursor.execute(f"EXPLAIN SELECT id FROM {Demand._meta.db_table} WHERE {column} = %s", [5])
        assert f"demand_{link}_idx" in "\n".join(row[0] for row in cursor.fetchall())
