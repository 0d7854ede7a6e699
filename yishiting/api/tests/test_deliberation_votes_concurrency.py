"""1,000 owners voting at the same moment on one vote, through real HTTP against the live server on
PostgreSQL: the tally is exact and nobody has two ballots (200 of them also send their ballot a second time,
from another thread, at once). And a close racing a stream of ballots: every ballot accepted is in the stored
result, every one refused is told vote_closed — none slips in after the close. SQLite serializes every write,
so there is no race to test there: these run in the PostgreSQL pass."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests
from django.db import connection

from yishiting.accounts.services import token_create
from yishiting.areas.models import Area
from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
from yishiting.deliberation.models import Ballot, Vote
from yishiting.deliberation.services.votes import vote_open
from yishiting.deliberation.tests import votes_world as make

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),  # live_server flushes the DB
              pytest.mark.races]

OWNERS, REPEATS, THREADS = 1000, 200, 40
CHOICES = ["同意", "同意", "反对", "弃权"]



def owners_vote(world, unit: Area, question: str) -> Vote:
    return vote_open(actor=world.users["community_secretary"], topic=make.topic(world), question=question,
                     method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD, scope_area=unit)


def fire(jobs: list[tuple[str, dict, str]], threads: int = THREADS) -> list[requests.Response]:
    """Post every (url, body, token) from a pool of threads, each with its own keep-alive session; all threads
    wait at a barrier first so the ballots arrive together. The connections are opened one at a time before
    the barrier: the test server's listen backlog is 10, which a burst of 40 connects would overflow."""
    local, barrier, connecting = threading.local(), threading.Barrier(threads), threading.Lock()
    health = jobs[0][0].split("/api/v1/")[0] + "/api/v1/health"

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            with connecting:
                local.session.get(health, timeout=60)
            barrier.wait(timeout=60)
        return local.session

    def post(job: tuple[str, dict, str]) -> requests.Response:
        url, body, token = job
        return session().post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=120)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(post, jobs))


def test_a_thousand_owners_vote_at_once_the_tally_is_exact(world, live_server):
    unit = make.unit(world, world.areas["B1"], "U8")
    owners = make.bulk_owners(unit, OWNERS, prefix="c")
    vote = owners_vote(world, unit, "加装电梯（千人并发）")
    url = f"{live_server.url}/api/v1/votes/{vote.pk}/ballots"
    jobs = [(url, {"choice": CHOICES[i % 4]}, secret) for i, (_, _, secret) in enumerate(owners)]
    jobs += [(url, {"choice": "反对"}, secret) for _, _, secret in owners[:REPEATS]]  # the same owners again
    answers = fire(jobs)
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: OWNERS, 409: REPEATS}, [a.text for a in answers if a.status_code not in (201, 409)][:3]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"already_voted"}
    ballots = list(Ballot.objects.filter(vote=vote).values_list("household_id", "choice"))
    assert len(ballots) == OWNERS and len({h for h, _ in ballots}) == OWNERS
    # Each owner's first ballot — never the repeated 反对 — is what counts, whichever request got in first.
    expected = {home.pk: CHOICES[i % 4] for i, (home, _, _) in enumerate(owners)}
    assert dict(ballots) == expected
    closed = requests.post(f"{live_server.url}/api/v1/votes/{vote.pk}/close", timeout=60, headers={
        "Authorization": f"Bearer {token_create(actor=world.users['community_secretary'], name='t')[1]}"})
    result = closed.json()["result"]
    areas = {choice: sum((home.exclusive_area for i, (home, _, _) in enumerate(owners) if CHOICES[i % 4] == choice),
                         Decimal("0.00")) for choice in set(CHOICES)}
    assert result["area"] == {c: str(a) for c, a in areas.items()}
    assert result["owners"] == {"同意": 500, "反对": 250, "弃权": 250} and result["total_owners"] == OWNERS
    assert result["participating_area"] == result["total_area"] == str(sum(areas.values()))
    assert result["passed"] is False  # 500 of 1,000 owners is not three quarters


def test_a_close_racing_the_ballots_lets_none_in_after_it(world, live_server):
    unit = make.unit(world, world.areas["B1"], "U7")
    owners = make.bulk_owners(unit, 300, prefix="r")
    vote = owners_vote(world, unit, "加装电梯（结束与投票竞争）")
    url = f"{live_server.url}/api/v1/votes/{vote.pk}/ballots"
    staff = token_create(actor=world.users["community_secretary"], name="t")[1]
    closing: dict = {}

    def close_soon() -> None:
        deadline = time.monotonic() + 60
        while Ballot.objects.filter(vote=vote).count() < 50 and time.monotonic() < deadline:
            time.sleep(0.01)  # close in the middle of the stream, once some ballots are in
        closing["answer"] = requests.post(f"{live_server.url}/api/v1/votes/{vote.pk}/close", timeout=60,
                                          headers={"Authorization": f"Bearer {staff}"})
        connection.close()  # this thread's own database connection

    closer = threading.Thread(target=close_soon)
    closer.start()
    # Two thirds race the close (it lands once 50 are in); the last third comes after it and must all be refused.
    racing, late = owners[:200], owners[200:]
    answers = fire([(url, {"choice": "同意"}, secret) for _, _, secret in racing], threads=20)
    closer.join()
    after = fire([(url, {"choice": "同意"}, secret) for _, _, secret in late], threads=20)
    assert closing["answer"].status_code == 200, closing["answer"].text
    assert {(a.status_code, a.json()["code"]) for a in after} == {(409, "vote_closed")}
    answers += after
    accepted = sum(a.status_code == 201 for a in answers)
    refused = [a for a in answers if a.status_code != 201]
    assert {(a.status_code, a.json()["code"]) for a in refused} <= {(409, "vote_closed")}
    assert 50 <= accepted <= len(racing)
    vote.refresh_from_db()
    assert Ballot.objects.filter(vote=vote).count() == accepted
    assert vote.result["participating_units"] == accepted  # every accepted ballot is in the stored result
