"""The lean ballot path in front of Django (yishiting.api.fast) answers exactly what Django answers.

A success is answered by the fast path itself (Django never sees it) with the same bytes and headers the
ninja view sends for the same request at the same moment, and the same event. Every refusal — twice, a closed
vote, someone outside the electorate, a bad or revoked token, odd input — is handed to Django, so it answers
with the usual code and Chinese message, and the fast path's try wrote nothing. On SQLite everything goes to
Django. Under concurrent casts the count stays exact and nobody has two ballots.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from config.wsgi import django_application
from yishiting.accounts.models import ApiToken
from yishiting.accounts.services import token_create, token_revoke
from yishiting.api.fast import FastPaths
from yishiting.common.events import events_of, verify_chains
from yishiting.common.models import Event
from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
from yishiting.deliberation.models import Ballot, Vote
from yishiting.deliberation.services.votes import vote_open
from yishiting.deliberation.tests import votes_world as make

from . import test_deliberation_votes as votes_api
from . import wsgi
from .test_deliberation_votes import open_owners_vote
from .wsgi import Recorder, Reply, call, environ

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(world):
    """The owners of test_deliberation_votes: the resident (H1), 李 (H2) and 王 (H5) in 幸福苑3栋1单元."""
    return votes_api.building.__wrapped__(world)


def token_of(user) -> str:
    return token_create(actor=user, name="测试")[1]


def written() -> tuple[int, int]:
    return Ballot.objects.count(), Event.objects.count()


def both(env_for) -> tuple[Reply, Reply, int]:
    return wsgi.both(env_for, written)


def without_id(body: bytes) -> bytes:
    return re.sub(rb'^\{"id": \d+, ', b"{", body)


def cast_env(vote_id: int, token: str | None, body=None, **kwargs):
    return lambda: environ(f"/api/v1/votes/{vote_id}/ballots", {"choice": "同意"} if body is None else body,
                           token=token, **kwargs)


@pytest.mark.postgres
def test_a_ballot_is_answered_by_the_fast_path_exactly_as_django_answers_it(world, api_as, building, frozen,
                                                                            postgres):
    vote = open_owners_vote(api_as, world)
    token = token_of(world.users["resident"])
    fast, slow, reached = both(cast_env(vote["id"], token, headers={"Accept-Language": "en"}))
    assert reached == 0, "the fast path answered itself"
    assert (fast.status, fast.headers) == (slow.status, slow.headers)
    assert without_id(fast.body) == without_id(slow.body)
    assert slow.json()["household_id"] == world.households["H1"].pk and slow.json()["choice"] == "同意"
    # And for real (not rolled back): the ballot, its event as Django writes it, the chain, the token's last use.
    recorder = Recorder(django_application)
    kept = call(FastPaths(recorder), cast_env(vote["id"], token_of(building["li"].user))())
    assert kept.code == 201 and recorder.calls == 0
    ballot = Ballot.objects.get(pk=kept.json()["id"])
    assert (ballot.household_id, ballot.choice, ballot.voter_id) == (world.households["H2"].pk, "同意",
                                                                     building["li"].pk)
    django_ballot = Ballot.objects.get(vote_id=vote["id"], household=world.households["H1"])
    [mine], [theirs] = events_of(ballot), events_of(django_ballot)
    assert (mine.kind, mine.payload, mine.at) == (theirs.kind, {**theirs.payload, "household": ballot.household_id},
                                                  theirs.at)
    assert mine.actor_id == building["li"].user.pk
    assert list(verify_chains()) == []
    assert ApiToken.objects.get(user=building["li"].user).last_used_at == frozen


def without_length(reply) -> list:
    """The reply's headers but its Content-Length, which must still be the body's own."""
    assert dict(reply.headers)["Content-Length"] == str(len(reply.body))
    return [h for h in reply.headers if h[0] != "Content-Length"]


@pytest.mark.postgres
def test_a_unit_asked_for_by_its_owner_goes_the_fast_way(world, api_as, building, frozen, postgres):
    vote = open_owners_vote(api_as, world)
    body = {"choice": "反对", "household_id": building["H5"].pk}
    fast, slow, reached = both(cast_env(vote["id"], token_of(building["wang"].user), body))
    # ids differ between the two casts (one more digit once the sequence passes 99): the length goes with them
    assert reached == 0 and without_length(fast) == without_length(slow) and without_id(fast.body) == without_id(slow.body)


@pytest.mark.postgres
def test_the_statement_is_prepared_once_per_connection_and_reused(world, api_as, building, frozen, postgres):
    """Planning the statement costs the server about four times what running it does: the fast path must
    really prepare it (Django opens psycopg connections with prepared statements off) and reuse it."""
    vote = open_owners_vote(api_as, world)

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                           [f"%INSERT INTO {Ballot._meta.db_table}%"])
            return [row[0] for row in cursor.fetchall()]

    for owner in (building["li"], building["wang"]):
        recorder = Recorder(django_application)
        assert call(FastPaths(recorder), cast_env(vote["id"], token_of(owner.user))()).code == 201
        assert recorder.calls == 0
        assert len(prepared()) == 1
    assert Ballot.objects.filter(vote_id=vote["id"]).count() == 2


def refusals(world, building, vote: dict) -> dict:
    """Each unusual request: (the request, the status Django gives it)."""
    resident, li = token_of(world.users["resident"]), token_of(building["li"].user)
    revoked = token_create(actor=world.users["resident"], name="吊销")
    token_revoke(actor=world.users["resident"], token=revoked[0])
    cast = lambda token, body=None, **kw: cast_env(vote["id"], token, body, **kw)  # noqa: E731
    elsewhere = make.unit(world, make.building(world, world.areas["G1"], "B9"), "B9U1")
    outsider = make.owner(world, make.household(elsewhere, "101", "90.00"), "赵业主")
    return {
        "an owner outside the vote's scope": (cast(token_of(outsider.user)), 400),
        "not an owner, no unit": (cast(token_of(world.users["grid_worker"])), 400),
        "a unit that is not theirs": (cast(li, {"choice": "同意", "household_id": building["H5"].pk}), 403),
        "unknown token": (cast("yst_" + "x" * 40), 401),
        "revoked token": (cast(revoked[1]), 401),
        "malformed header": (lambda: {**cast(None)(), "HTTP_AUTHORIZATION": "Token abc"}, 401),
        "no token": (cast(None), 401),
        "choice not offered": (cast(resident, {"choice": "随便"}), 400),
        "unknown field": (cast(resident, {"choice": "同意", "unit": 1}), 422),
        "bad JSON": (cast(resident, "{choice"), 400),
        "blank-padded choice": (cast(resident, {"choice": " 同意 "}), 201),
        "a cookie": (cast(li, headers={"Cookie": "django_language=en"}), 201),
        "no such vote": (lambda: environ("/api/v1/votes/999999/ballots", {"choice": "同意"}, token=resident), 404),
    }


@pytest.mark.postgres
def test_every_refusal_is_django_s_own_and_the_fast_try_wrote_nothing(world, api_as, building, frozen, postgres):
    vote = open_owners_vote(api_as, world)
    for case, (env_for, status) in refusals(world, building, vote).items():
        fast, slow, reached = both(env_for)
        assert reached == 1, f"{case}: handed to Django"
        assert fast.code == slow.code == status, (case, fast.body.decode(), slow.body.decode())
        # The ballot's id differs, and with it the length when one id has a digit more: each reply's length is its
        # body's, the other headers are the same.
        assert (fast.headers_but_length(), without_id(fast.body)) == (slow.headers_but_length(), without_id(slow.body)), \
            case
        assert [dict(r.headers)["Content-Length"] for r in (fast, slow)] == [str(len(r.body)) for r in (fast, slow)]


@pytest.mark.postgres
def test_twice_and_after_the_close_django_refuses(world, api_as, building, frozen, postgres):
    vote = open_owners_vote(api_as, world)
    token = token_of(world.users["resident"])
    recorder = Recorder(django_application)
    app = FastPaths(recorder)
    assert call(app, cast_env(vote["id"], token)()).code == 201 and recorder.calls == 0
    again = call(app, cast_env(vote["id"], token, {"choice": "反对"})())
    assert recorder.calls == 1 and again.json()["code"] == "already_voted"
    assert again.body == call(django_application, cast_env(vote["id"], token, {"choice": "反对"})()).body
    assert api_as("community_secretary").post(f"/votes/{vote['id']}/close").status_code == 200
    closed = call(app, cast_env(vote["id"], token_of(building["li"].user))())
    assert recorder.calls == 2 and (closed.code, closed.json()["code"]) == (409, "vote_closed")
    Vote.objects.filter(pk=vote["id"]).update(status="open", closes_at=frozen - timedelta(minutes=1))
    late = call(app, cast_env(vote["id"], token_of(building["li"].user))())
    assert recorder.calls == 3 and late.json()["code"] == "vote_closed"
    assert Ballot.objects.filter(vote_id=vote["id"]).count() == 1


def test_on_sqlite_django_answers(world, api_as, building):
    """Everything goes to Django on SQLite (and the answer is Django's); on PostgreSQL the fast path answers."""
    vote = open_owners_vote(api_as, world)
    recorder = Recorder(django_application)
    reply = call(FastPaths(recorder), cast_env(vote["id"], token_of(world.users["resident"]))())
    assert reply.code == 201 and reply.json()["household_id"] == world.households["H1"].pk
    assert recorder.calls == (0 if connection.vendor == "postgresql" else 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_fast_casts_stay_exact(world, postgres):
    """300 owners at once through the fast path, 60 of them twice from another thread: 300 ballots, one per
    unit, the first choice counts; the repeats are Django's 409 already_voted."""
    unit = make.unit(world, world.areas["B1"], "U9")
    owners = make.bulk_owners(unit, 300, prefix="f")
    vote = vote_open(actor=world.users["community_secretary"], topic=make.topic(world), question="并发",
                     method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD, scope_area=unit)
    choices = ["同意", "反对", "弃权"]
    jobs = [(secret, choices[i % 3]) for i, (_, _, secret) in enumerate(owners)]
    jobs += [(secret, "反对") for _, _, secret in owners[:60]]
    app, lock, answers = FastPaths(django_application), threading.Lock(), []

    def cast(job: tuple[str, str]) -> None:
        secret, choice = job
        try:
            reply = call(app, environ(f"/api/v1/votes/{vote.pk}/ballots", {"choice": choice}, token=secret))
        finally:
            connection.close()
        with lock:
            answers.append(reply)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(cast, jobs))
    statuses = Counter(a.code for a in answers)
    assert statuses == {201: 300, 409: 60}, [a.body for a in answers if a.code not in (201, 409)][:3]
    ballots = dict(Ballot.objects.filter(vote=vote).values_list("household_id", "choice"))
    assert ballots == {home.pk: choices[i % 3] for i, (home, _, _) in enumerate(owners)}
    assert list(verify_chains()) == []
