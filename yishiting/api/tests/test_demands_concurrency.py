"""Real concurrent HTTP requests against the live server on PostgreSQL: two staff screening one demand at the
same moment (exactly one wins, the other gets 409 already_screened), and one Idempotency-Key posted twice at
once (one demand). SQLite serializes every write, so there is no race to test there: these run in the
PostgreSQL pass and are skipped only when the database is not PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import requests

from yishiting.accounts.services import token_create
from yishiting.common.events import events_of
from yishiting.deliberation.models import Topic
from yishiting.demands.models import Demand

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),  # live_server flushes the DB
              pytest.mark.races]

ROUNDS = 5
TEXT = "幸福苑3栋的电梯又坏了，卡在5楼不动"



def race(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Start every call at the same instant (a barrier), each in its own thread; re-raise any failure."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], requests.Response]) -> None:
        barrier.wait(timeout=10)
        try:
            results[index] = call()
        except Exception as exc:  # surfaced below, in the test's own thread
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def bearer(world, persona: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(actor=world.users[persona], name='并发测试')[1]}"}


def test_two_staff_screening_at_once_exactly_one_wins(world, live_server):
    api = f"{live_server.url}/api/v1"
    resident, staff, secretary = (bearer(world, p) for p in ("resident", "community_staff", "community_secretary"))
    for round_ in range(ROUNDS):
        created = requests.post(f"{api}/demands", json={"text": f"{TEXT}（第{round_}次）", "area_id": world.areas["B1"].pk},
                                headers=resident, timeout=30)
        assert created.status_code == 201, created.text
        url = f"{api}/demands/{created.json()['id']}/screen"
        answers = race([
            lambda url=url: requests.post(url, json={"outcome": "topic", "nature": "public", "topic_title": "甲"},
                                          headers=staff, timeout=30),
            lambda url=url: requests.post(url, json={"outcome": "topic", "nature": "public", "topic_title": "乙"},
                                          headers=secretary, timeout=30),
        ])
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409).json()
        assert loser["code"] == "already_screened" and "已被他人处理" in loser["message"]
    # One topic per demand, each demand decided once.
    assert Topic.objects.count() == ROUNDS
    assert set(Demand.objects.values_list("status", flat=True)) == {"topic"}
    for demand in Demand.objects.all():
        assert [e.kind for e in events_of(demand)] == ["demand.submitted", "demand.topic"]


def test_one_idempotency_key_posted_twice_at_once_makes_one_demand(world, live_server):
    api = f"{live_server.url}/api/v1"
    headers = bearer(world, "resident")
    for round_ in range(ROUNDS):
        body = {"text": f"{TEXT}（重试{round_}）", "area_id": world.areas["B1"].pk}
        key = {**headers, "Idempotency-Key": f"retry-{round_}"}
        answers = race([lambda body=body, key=key: requests.post(f"{api}/demands", json=body, headers=key,
                                                                 timeout=30)] * 2)
        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        assert answers[0].json()["id"] == answers[1].json()["id"]
        assert answers[0].json()["number"] == answers[1].json()["number"]
    assert Demand.objects.count() == ROUNDS
    numbers = sorted(Demand.objects.values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == [f"{i:06d}" for i in range(1, ROUNDS + 1)]  # no number lost to a loser
