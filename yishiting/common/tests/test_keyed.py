"""The session and the signed-in user are read by SQL compiled once (common/keyed.py): what they read is what the
ORM reads, the kept SQL serves other keys, and signing out still follows every change at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.accounts.models import User
from yishiting.common.keyed import read_one
from yishiting.common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_user_read_by_the_kept_sql_is_the_one_the_orm_reads_and_the_sql_serves_other_keys(world):
    first, second = world.users["resident"], world.users["street_official"]
    User.objects.filter(pk=first.pk).update(last_login=timezone.now() - timedelta(hours=3), first_name="张")
    with CaptureQueriesContext(connection) as queries:
        one = read_one(User, DEFAULT_DB_ALIAS, (("pk", first.pk),))
        two = read_one(User, DEFAULT_DB_ALIAS, (("pk", str(second.pk)),))  # a session holds the id as text
        missing = read_one(User, DEFAULT_DB_ALIAS, (("pk", 10**9),))
    assert _values(one) == _values(User.objects.get(pk=first.pk)) and one.first_name == "张"
    assert timezone.is_aware(one.last_login) and one.date_joined == User.objects.get(pk=first.pk).date_joined
    assert _values(two) == _values(User.objects.get(pk=second.pk)) and missing is None
    assert not one._state.adding and one._state.db == DEFAULT_DB_ALIAS
    assert len(queries) == 3 and len({q["sql"].split("WHERE")[0] for q in queries}) == 1


def test_a_session_is_read_while_unexpired_and_forgotten_once_expired(world):
    store = SessionStore()
    store["note"] = "你好"
    store.create()
    key = store.session_key
    loaded = SessionStore(key)
    assert loaded["note"] == "你好"
    assert loaded.stored_expiry == Session.objects.get(session_key=key).expire_date
    assert timezone.is_aware(loaded.stored_expiry)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert dict(expired.items()) == {} and expired.session_key is None and expired.stored_expiry is None


def test_a_deactivated_account_or_a_password_changed_elsewhere_signs_out_on_the_next_page(world):
    user = world.users["grid_worker"]
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/")["Location"] == "/login/?next=/"
    User.objects.filter(pk=user.pk).update(is_active=True)
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get("/").status_code == 200
    other = User.objects.get(pk=user.pk)
    other.set_password("Another@Pass2026")
    other.save()
    assert client.get("/")["Location"] == "/login/?next=/"
