"""The lean Open311 intake path (yishiting.api.fast.open311) answers exactly what the Open311 view answers.

A plain POST /open311/v2/requests.json (a form, its api_key in the form or as a Bearer token) is answered by the
fast path with the bytes and headers the view sends for the same request at the same moment; everything else —
XML, a key in the query string or HTTP Basic, each refusal in the spec's error format, a retry with a known
Idempotency-Key — goes to Django, and the fast try wrote nothing. After the write, a failure to answer is a 503
with Retry-After, never a second demand.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlencode

import pytest

from config.wsgi import django_application
from yishiting.api.fast import FastPaths
from yishiting.api.fast import open311 as fast_open311
from yishiting.common.events import verify_chains
from yishiting.demands.choices import Channel
from yishiting.demands.models import Demand

from . import wsgi
from .test_fast_demands import token_of, written
from .wsgi import Recorder, call, environ

pytestmark = pytest.mark.django_db

ELEVATOR = "幸福苑3栋电梯坏了，卡在5楼不动"
FORM = "application/x-www-form-urlencoded"


def post_env(fields: dict, *, path: str = "/open311/v2/requests.json", token: str | None = None,
             headers: dict | None = None, content_type: str = FORM, query: str = ""):
    def make():
        env = environ(path, urlencode(fields), token=token, headers=headers, content_type=content_type)
        env["QUERY_STRING"] = query
        return env
    return make


def plain(world, key: str, **fields) -> dict:
    return {"api_key": key, "service_code": "facilities", "description": ELEVATOR, "lat": "31.230416",
            "long": "121.473701", **fields}


def same_reply(fast, slow) -> None:
    """Status, headers and body alike but the request's id (a sequence does not roll back) and the number."""
    assert (fast.status, fast.headers_but_length()) == (slow.status, slow.headers_but_length())
    [mine], [theirs] = fast.json(), slow.json()
    assert mine.pop("service_request_id") != theirs.pop("service_request_id")
    number = re.compile(r"\d{4}-\d{6}")
    assert number.sub("N", mine.pop("service_notice")) == number.sub("N", theirs.pop("service_notice"))
    assert mine == theirs == {"account_id": None}


@pytest.mark.postgres
def test_plain_requests_are_answered_by_the_fast_path_exactly_as_the_view_answers(world, frozen, postgres):
    resident, grid_worker = token_of(world, "resident"), token_of(world, "grid_worker")
    cases = {
        "a grid worker's key, its own area": post_env(plain(world, grid_worker, address_string="幸福苑3栋2单元门口",
                                                            media_url="https://example.org/photos/1.jpg")),
        "a resident, a building by area_code": post_env(plain(world, resident, **{"attribute[area_code]": "B1"})),
        "an address only, the key as a Bearer token": post_env(
            {k: v for k, v in plain(world, "", address_string="东门").items() if k not in {"api_key", "lat", "long"}},
            token=resident),
        "English asked for": post_env(plain(world, resident), headers={"Accept-Language": "en"}),
    }
    for case, env_for in cases.items():
        fast, slow, reached = wsgi.both(env_for, written)
        assert reached == 0, f"{case}: the fast path answered itself"
        assert fast.code == 201, (case, fast.body.decode())
        same_reply(fast, slow)
    demand = Demand.objects.filter(channel=Channel.OPEN311).order_by("pk").first()
    assert demand.text.endswith("（附图链接：https://example.org/photos/1.jpg）") and demand.address == "幸福苑3栋2单元门口"
    assert list(verify_chains()) == []


def refusals(world) -> dict:
    """Each request the fast path leaves to Django: (the request, the status Django gives it)."""
    resident = token_of(world, "resident")
    basic = "Basic " + base64.b64encode(f"{resident}:".encode()).decode()
    return {
        "XML": (post_env(plain(world, resident), path="/open311/v2/requests.xml"), 201),
        "the key in the query string": (post_env({k: v for k, v in plain(world, "").items() if k != "api_key"},
                                                 query=f"api_key={resident}"), 201),
        "HTTP Basic": (post_env({k: v for k, v in plain(world, "").items() if k != "api_key"},
                                headers={"Authorization": basic}), 201),
        "no key": (post_env(plain(world, "")), 403),
        "an unknown key": (post_env(plain(world, "yst_" + "x" * 40)), 403),
        "no service_code": (post_env(plain(world, resident, service_code="")), 400),
        "an unknown service_code": (post_env(plain(world, resident, service_code="unicorns")), 400),
        "no location": (post_env({k: v for k, v in plain(world, resident).items() if k not in {"lat", "long"}}), 400),
        "lat without long": (post_env({k: v for k, v in plain(world, resident).items() if k != "long"}), 400),
        "an area outside the key's scope": (post_env(plain(world, resident, **{"attribute[area_code]": "B3"})), 400),
        "a NUL in the description": (post_env(plain(world, resident, description="电梯\x00坏了")), 400),
        "an empty description": (post_env(plain(world, resident, description="  ")), 400),
        "JSON, not a form": (lambda: environ("/open311/v2/requests.json", json.dumps(plain(world, resident)),
                                             content_type="application/json"), 403),  # Django reads no key in it
        "a cookie": (post_env(plain(world, resident), headers={"Cookie": "django_language=en"}), 201),
    }


@pytest.mark.postgres
def test_every_other_request_is_django_s_own_and_the_fast_try_wrote_nothing(world, frozen, postgres):
    for case, (env_for, status) in refusals(world).items():
        fast, slow, reached = wsgi.both(env_for, written)
        assert reached == 1, f"{case}: handed to Django"
        assert fast.code == slow.code, (case, fast.body.decode(), slow.body.decode())
        if status != 201:
            assert fast.code == status, (case, fast.body.decode())
            assert (fast.headers, fast.body) == (slow.headers, slow.body), case
            assert any("\u4e00" <= ch <= "\u9fff" for ch in fast.json()[0]["description"]), case


@pytest.mark.postgres
def test_a_retry_goes_to_django_and_gets_the_first_request(world, frozen, postgres):
    recorder = Recorder(django_application)
    app, fields = FastPaths(recorder), plain(world, token_of(world, "resident"))
    first = call(app, post_env(fields, headers={"Idempotency-Key": "app-7"})())
    assert (first.code, recorder.calls) == (201, 0)
    again = call(app, post_env(fields, headers={"Idempotency-Key": "app-7"})())
    assert (again.code, recorder.calls) == (201, 1)
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Demand.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_write_is_a_503_to_retry_with_the_same_key(world, frozen, postgres, monkeypatch):
    monkeypatch.setattr(fast_open311, "created_reply", lambda demand: 1 / 0)
    recorder = Recorder(django_application)
    fields = plain(world, token_of(world, "resident"))
    first = call(FastPaths(recorder), post_env(fields, headers={"Idempotency-Key": "app-8"})())
    assert (first.code, recorder.calls, Demand.objects.count()) == (503, 0, 1)
    assert ("Retry-After", "2") in first.headers
    [problem] = first.json()
    assert problem["code"] == 503 and Demand.objects.get().number in problem["description"]
    monkeypatch.undo()
    again = call(FastPaths(recorder), post_env(fields, headers={"Idempotency-Key": "app-8"})())
    assert again.code == 201 and again.json()[0]["service_request_id"] == str(Demand.objects.get().pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_write_without_a_key_says_not_to_file_again(world, frozen, postgres, monkeypatch):
    """Without an Idempotency-Key a retry would file a second demand: the 503 says the demand is stored and where
    to find it, as the native API's does, instead of asking for a key the client never sent."""
    monkeypatch.setattr(fast_open311, "created_reply", lambda demand: 1 / 0)
    recorder = Recorder(django_application)
    answer = call(FastPaths(recorder), post_env(plain(world, token_of(world, "resident")))())
    [problem] = answer.json()
    assert (answer.code, recorder.calls, Demand.objects.count()) == (503, 0, 1)
    assert Demand.objects.get().number in problem["description"] and "请勿重复提交" in problem["description"]
    assert "Idempotency-Key" not in problem["description"]
