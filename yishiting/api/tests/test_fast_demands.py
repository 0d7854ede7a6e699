"""The lean intake path in front of Django (yishiting.api.fast.demands) answers exactly what the view answers.

A plain submission is answered by the fast path itself (Django never sees it) with the bytes and headers the
ninja view sends for the same request at the same moment, and the same rows. Every refusal — an empty text,
an area outside the caller's scope, a missing consent, a bad token, odd JSON — and every retry with a known
Idempotency-Key goes to Django, which answers with its code and Chinese message, and the fast path's try
wrote nothing. Once the demand is written, the request never reaches Django: a failure after that is a 500,
not a second demand. On SQLite everything goes to Django.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.db import connection

from config.wsgi import django_application
from yishiting.accounts.services import token_create, token_revoke
from yishiting.api.fast import FastPaths
from yishiting.api.fast import demands as fast_demands
from yishiting.common import messaging
from yishiting.common.events import events_of, verify_chains
from yishiting.common.models import Event
from yishiting.demands.models import Demand, DemandKey, IdempotencyRecord
from yishiting.notifications.models import Notification

from . import wsgi
from .wsgi import Recorder, Reply, call, environ

pytestmark = pytest.mark.django_db

ELEVATOR = "幸福苑3栋的电梯又坏了，卡在5楼不动，老人上下楼很困难"


def token_of(world, persona: str) -> str:
    return token_create(actor=world.users[persona], name="测试")[1]


def written() -> tuple[int, ...]:
    return (Demand.objects.count(), Event.objects.count(), DemandKey.objects.count(),
            IdempotencyRecord.objects.count(), Notification.objects.count())


def submit_env(token: str | None, body=None, **kwargs):
    return lambda: environ("/api/v1/demands", body, token=token, **kwargs)


def both(env_for) -> tuple[Reply, Reply, int]:
    return wsgi.both(env_for, written)


def same_reply(fast: Reply, slow: Reply) -> None:
    """Status, headers and body alike; only the demand's id differs (a sequence does not roll back), and with it
    the Content-Length when the id gains a digit (99 → 100)."""
    assert (fast.status, fast.headers_but_length()) == (slow.status, slow.headers_but_length())
    assert [dict(r.headers)["Content-Length"] for r in (fast, slow)] == [str(len(r.body)) for r in (fast, slow)]
    mine, theirs = fast.json(), slow.json()
    assert mine.pop("id") != theirs.pop("id")
    assert mine == theirs
    assert re.sub(rb'^\{"id": \d+, ', b"{", fast.body) == re.sub(rb'^\{"id": \d+, ', b"{", slow.body)


def bodies(world) -> dict[str, tuple[str, dict]]:
    """Plain submissions the fast path answers: (persona, body)."""
    return {
        "a resident, for themselves": ("resident", {"text": ELEVATOR, "area_id": world.areas["B1"].pk,
                                                    "urgency": "urgent", "address": "3栋2单元门口"}),
        "a resident, anonymously, with a map point": ("resident", {
            "text": "小区东门路灯不亮，晚上很黑", "area_id": world.areas["G1"].pk, "reporter_kind": "anonymous",
            "latitude": "39.904200", "longitude": "116.407400"}),
        "a grid worker, for a resident, consent recorded": ("grid_worker", {
            "text": "  1单元101室老人独居，希望社区定期上门看看  ", "area_id": world.areas["U1"].pk,
            "channel": "home_visit", "reporter_kind": "on_behalf", "reporter_id": world.people["resident"].pk,
            "household_id": world.households["H1"].pk, "consent_recorded": True}),
        "community staff, a chosen category (the reply lists similar demands)": ("community_staff", {
            "text": ELEVATOR, "area_id": world.areas["B1"].pk, "channel": "patrol",
            "category_id": Demand._meta.get_field("category").related_model.objects.get(name="安全隐患").pk}),
    }


@pytest.mark.postgres
def test_plain_submissions_are_answered_by_the_fast_path_exactly_as_the_view_answers(world, frozen, postgres):
    for case, (persona, body) in bodies(world).items():
        fast, slow, reached = both(submit_env(token_of(world, persona), body, headers={"Accept-Language": "en"}))
        assert reached == 0, f"{case}: the fast path answered itself"
        assert fast.code == 201, (case, fast.body.decode())
        same_reply(fast, slow)
        if persona == "community_staff":  # the resident's elevator demand, written by the Django run above
            assert [d["text"] for d in fast.json()["similar"]] == [ELEVATOR]
    assert list(verify_chains()) == []


@pytest.mark.postgres
def test_a_fast_submission_writes_what_the_view_writes(world, frozen, postgres, messages_outbox,
                                                       django_capture_on_commit_callbacks):
    token = token_of(world, "resident")
    body = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    recorder = Recorder(django_application)
    with django_capture_on_commit_callbacks(execute=True):
        fast = call(FastPaths(recorder), submit_env(token, body, headers={"Idempotency-Key": "k-1"})())
        slow = call(django_application, submit_env(token, body, headers={"Idempotency-Key": "k-2"})())
    assert (fast.code, slow.code, recorder.calls) == (201, 201, 0)
    mine, theirs = Demand.objects.get(pk=fast.json()["id"]), Demand.objects.get(pk=slow.json()["id"])
    fields = [f.attname for f in Demand._meta.concrete_fields if f.attname not in {"id", "number"}]
    assert {f: getattr(mine, f) for f in fields} == {f: getattr(theirs, f) for f in fields}
    assert (mine.number, theirs.number) == ("2026-000001", "2026-000002")
    [first], [second] = events_of(mine), events_of(theirs)
    assert (first.kind, first.actor_id, first.at) == (second.kind, second.actor_id, second.at)
    assert {**first.payload, "number": "*"} == {**second.payload, "number": "*"}
    assert sorted(mine.keys.values_list("key", flat=True)) == sorted(theirs.keys.values_list("key", flat=True))
    assert IdempotencyRecord.objects.filter(demand__in=[mine, theirs]).count() == 2
    texts = sorted(Notification.objects.values_list("text", flat=True))
    assert texts[0].startswith("已收到您的诉求（编号 2026-000001）") and "2026-000002" in texts[1]
    assert [m.to for m in messages_outbox] == ["13800000001", "13800000001"]  # the SMS went out both times
    assert list(verify_chains()) == []


def refusals(world) -> dict:
    """Each unusual request: (the request, the status Django gives it)."""
    resident = token_of(world, "resident")
    revoked = token_create(actor=world.users["resident"], name="吊销")
    token_revoke(actor=world.users["resident"], token=revoked[0])
    plain = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    return {
        "an empty text": (submit_env(resident, {**plain, "text": "   "}), 400),
        "a text over 2,000 characters": (submit_env(resident, {**plain, "text": "电" * 2001}), 400),
        "an area outside the resident's community": (submit_env(resident, {**plain,
                                                                          "area_id": world.areas["B3"].pk}), 404),
        "a grid worker's entry outside the estate": (submit_env(token_of(world, "grid_worker"), {
            **plain, "area_id": world.areas["B2"].pk}), 404),
        "no such area": (submit_env(resident, {**plain, "area_id": 999999}), 404),
        "no such category": (submit_env(resident, {**plain, "category_id": 999999}), 404),
        "a resident entering on someone's behalf": (submit_env(resident, {
            **plain, "reporter_kind": "on_behalf", "reporter_id": world.people["resident"].pk,
            "consent_recorded": True}), 403),
        "someone the caller may not see": (submit_env(resident, {
            **plain, "reporter_kind": "on_behalf", "reporter_id": world.people["resident2"].pk,
            "consent_recorded": True}), 404),
        "on behalf without consent": (submit_env(token_of(world, "grid_worker"), {
            **plain, "reporter_kind": "on_behalf", "reporter_id": world.people["resident"].pk}), 400),
        "a household outside the area": (submit_env(resident, {**plain, "household_id":
                                                               world.households["H3"].pk}), 404),
        "an unknown channel": (submit_env(resident, {**plain, "channel": "carrier_pigeon"}), 400),
        "an unknown field": (submit_env(resident, {**plain, "titel": "电梯"}), 422),
        "a missing area": (submit_env(resident, {"text": ELEVATOR}), 422),
        "a list, not an object": (submit_env(resident, "[1, 2]"), 422),
        "bad JSON": (submit_env(resident, '{"text": "电梯'), 400),
        "an Idempotency-Key over 128 characters": (submit_env(resident, plain,
                                                             headers={"Idempotency-Key": "k" * 129}), 400),
        "unknown token": (submit_env("yst_" + "x" * 40, plain), 401),
        "revoked token": (submit_env(revoked[1], plain), 401),
        "malformed header": (lambda: {**submit_env(None, plain)(), "HTTP_AUTHORIZATION": "Token abc"}, 401),
        "no token": (submit_env(None, plain), 401),
        "a cookie": (submit_env(resident, plain, headers={"Cookie": "django_language=en"}), 201),
        "form data": (submit_env(resident, "text=x", content_type="application/x-www-form-urlencoded"), 400),
        "a body over 16 KB": (submit_env(resident, {**plain, "address": "x" * 17000}), 422),
    }


@pytest.mark.postgres
def test_every_refusal_is_django_s_own_and_the_fast_try_wrote_nothing(world, frozen, postgres):
    for case, (env_for, status) in refusals(world).items():
        fast, slow, reached = both(env_for)
        assert reached == 1, f"{case}: handed to Django"
        assert fast.code == slow.code == status, (case, fast.body.decode(), slow.body.decode())
        if status == 201:
            same_reply(fast, slow)
        else:
            assert (fast.headers, fast.body) == (slow.headers, slow.body), case
            assert any("\u4e00" <= ch <= "\u9fff" for ch in fast.json()["message"]), case


@pytest.mark.postgres
def test_a_retry_goes_to_django_and_gets_the_first_demand(world, frozen, postgres):
    token = token_of(world, "resident")
    body = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    recorder = Recorder(django_application)
    app = FastPaths(recorder)
    first = call(app, submit_env(token, body, headers={"Idempotency-Key": "retry-1"})())
    assert (first.code, recorder.calls) == (201, 0)
    again = call(app, submit_env(token, body, headers={"Idempotency-Key": "retry-1"})())
    assert (again.code, recorder.calls, again.json()["id"]) == (201, 1, first.json()["id"])
    other = call(app, submit_env(token, {**body, "text": "另一件事"}, headers={"Idempotency-Key": "retry-1"})())
    assert (other.code, other.json()["code"], recorder.calls) == (409, "idempotency_key_reused", 2)
    assert Demand.objects.count() == 1


# Outside a test transaction, as on a server: the statement commits itself (in a test's transaction the fast
# path's savepoint would roll the demand back with the exception, and on-commit work would wait for a commit).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_write_is_a_503_to_retry_with_the_same_key_and_never_a_second_demand(
        world, frozen, postgres, monkeypatch):
    def lost(user, demand):
        raise ConnectionError("the connection was lost between commit and reply")

    monkeypatch.setattr(fast_demands, "submitted", lost)
    recorder = Recorder(django_application)
    token, body = token_of(world, "resident"), {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    first = call(FastPaths(recorder), submit_env(token, body, headers={"Idempotency-Key": "form-1"})())
    assert (first.code, recorder.calls, Demand.objects.count()) == (503, 0, 1)
    assert ("Retry-After", "2") in first.headers
    stored = Demand.objects.get()
    assert first.json()["code"] == "stored_reply_failed" and "同一个 Idempotency-Key" in first.json()["message"]
    assert first.json()["details"] == {"demand_id": stored.pk, "number": stored.number,
                                       "idempotency_key": "form-1", "retry_after": 2}
    monkeypatch.undo()
    again = call(FastPaths(recorder), submit_env(token, body, headers={"Idempotency-Key": "form-1"})())
    assert (again.code, again.json()["id"], Demand.objects.count()) == (201, stored.pk, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_key_the_503_says_the_demand_is_stored(world, frozen, postgres, monkeypatch):
    monkeypatch.setattr(fast_demands, "submitted", lambda user, demand: 1 / 0)
    reply = call(FastPaths(Recorder(django_application)), submit_env(
        token_of(world, "resident"), {"text": ELEVATOR, "area_id": world.areas["B1"].pk})())
    assert reply.code == 503 and "请勿重复提交" in reply.json()["message"] and Demand.objects.count() == 1


def test_through_django_too_a_failed_reply_is_a_503_for_the_stored_demand(world, api_as, monkeypatch):
    from yishiting.api.routers import demands as view

    monkeypatch.setattr(view, "submitted", lambda user, demand: 1 / 0)
    response = api_as("resident").post("/demands", {"text": ELEVATOR, "area_id": world.areas["B1"].pk},
                                       headers={"Idempotency-Key": "grid-7"})
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert response.json()["code"] == "stored_reply_failed"
    monkeypatch.undo()
    again = api_as("resident").post("/demands", {"text": ELEVATOR, "area_id": world.areas["B1"].pk},
                                    headers={"Idempotency-Key": "grid-7"})
    assert again.status_code == 201 and again.json()["id"] == response.json()["details"]["demand_id"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_sms_gateway_does_not_fail_the_submission(world, frozen, postgres, settings, monkeypatch, caplog):
    class Down:
        def send(self, message):
            raise ConnectionError("短信网关无响应")

    settings.MESSAGING_BACKEND = "down"
    monkeypatch.setitem(messaging.BACKENDS, "down", Down)
    recorder = Recorder(django_application)
    with caplog.at_level(logging.ERROR):
        reply = call(FastPaths(recorder), submit_env(token_of(world, "resident"),
                                                     {"text": ELEVATOR, "area_id": world.areas["B1"].pk})())
    assert (reply.code, recorder.calls, Demand.objects.count()) == (201, 0, 1)
    assert Notification.objects.get().text.startswith("已收到您的诉求")  # the in-app notification stands
    assert "短信网关无响应" in caplog.text


def test_a_failing_sms_gateway_does_not_fail_a_submission_through_django(world, api_as, settings, monkeypatch,
                                                                         caplog, django_capture_on_commit_callbacks):
    class Down:
        def send(self, message):
            raise ConnectionError("短信网关无响应")

    settings.MESSAGING_BACKEND = "down"
    monkeypatch.setitem(messaging.BACKENDS, "down", Down)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = api_as("resident").post("/demands", {"text": ELEVATOR, "area_id": world.areas["B1"].pk})
    assert response.status_code == 201 and Demand.objects.count() == 1
    assert "短信网关无响应" in caplog.text


def test_on_sqlite_django_answers(world):
    """Everything goes to Django on SQLite (and the answer is Django's); on PostgreSQL the fast path answers."""
    recorder = Recorder(django_application)
    reply = call(FastPaths(recorder), submit_env(token_of(world, "resident"),
                                                 {"text": ELEVATOR, "area_id": world.areas["B1"].pk})())
    assert reply.code == 201 and json.loads(reply.body)["number"].endswith("-000001")
    assert recorder.calls == (0 if connection.vendor == "postgresql" else 1)


@pytest.mark.postgres
def test_over_https_the_fast_path_answers_and_sends_strict_transport_security_as_django_does(
        world, frozen, postgres, settings, django_capture_on_commit_callbacks):
    """HSTS is on by default: the fast path must stay on and send the same header (docs/deploy.md)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    token = token_of(world, "resident")
    body = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    recorder = Recorder(django_application)
    with django_capture_on_commit_callbacks(execute=True):
        fast = call(FastPaths(recorder), submit_env(token, body, headers={
            "Idempotency-Key": "k-1", "X-Forwarded-Proto": "https"})())
        slow = call(django_application, submit_env(token, body, headers={
            "Idempotency-Key": "k-2", "X-Forwarded-Proto": "https"})())
        plain = call(FastPaths(recorder), submit_env(token, body, headers={"Idempotency-Key": "k-3"})())
    assert (fast.code, slow.code, plain.code, recorder.calls) == (201, 201, 201, 0)
    hsts = [dict(reply.headers).get("Strict-Transport-Security") for reply in (fast, slow, plain)]
    assert hsts == ["max-age=31536000", "max-age=31536000", None]
