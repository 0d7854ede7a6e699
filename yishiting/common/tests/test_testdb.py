"""The test suite's own database resets (yishiting/common/testdb.py): what a test that commits finds afterwards
must be what Django's slower flush-and-reload gave — the migrations' rows with their keys, nothing else, and
every guard of the database still on."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from yishiting.common.models import CalendarDay

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SEEDED = (ContentType, Permission, CalendarDay)


def _rows() -> dict:
    return {model: list(model.objects.order_by("pk").values()) for model in SEEDED}


def _flush() -> None:
    """As a test that commits ends (TransactionTestCase): sequences are kept. The command's own default resets
    them, which would leave the next test inserting over the reloaded rows' keys."""
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)


def test_a_reset_brings_back_the_migrations_rows_and_nothing_else():
    before = _rows()
    assert all(before.values())
    get_user_model().objects.create(username="left-behind")
    _flush()
    assert not any(model.objects.exists() for model in SEEDED)
    assert not get_user_model().objects.exists()
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert _rows() == before
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)  # rows already there
    assert _rows() == before
    CalendarDay.objects.filter(date__year=2027).delete()  # a new row takes a fresh key, not a reloaded one's
    CalendarDay.objects.create(date="2027-01-04", kind="holiday", name="元旦补休")


def test_the_database_guards_are_on_again_after_a_flush():
    _flush()
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    if connection.vendor == "postgresql":  # the flush turned triggers off for its own transaction only
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'ledgers_%%_append_only' AND tgenabled = 'O'")
            assert cursor.fetchone()[0] == 2
