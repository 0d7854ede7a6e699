"""Votes through the API as the personas: an owners' vote opened by the secretary, cast by owners, a proxy
holder and a paper ballot, closed with a result to check by hand; bad input answered with a stable code and
nothing changed; secret ballots that never show who chose what; and the query budget of casting."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.accounts.services import token_create
from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.deliberation.models import Ballot, OptionCount, Vote
from yishiting.deliberation.tests import votes_world as make

from .conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def as_person(person) -> ApiClient:
    return ApiClient(token_create(actor=person.user, name="测试")[1])


@pytest.fixture
def building(world):
    """幸福苑3栋 1单元: H1 89.50㎡ (the resident), H2 120.25㎡ (李), H5 100.00㎡ (王)."""
    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    h5 = make.household(world.areas["U1"], "103", "100.00")
    return {"li": make.owner(world, world.households["H2"], "李业主", mobile="13900000002"),
            "wang": make.owner(world, h5, "王业主", mobile="13900000005"), "H5": h5}


def open_owners_vote(api_as, world, **extra) -> dict:
    topic = make.topic(world)
    body = {"topic_id": topic.pk, "question": "3栋1单元是否加装电梯", "method": "owners", "rule": "art278",
            "matter": "rebuild", "scope_area_id": world.areas["B1"].pk, **extra}
    response = api_as("community_secretary").post("/votes", body)
    assert response.status_code == 201, response.content.decode()
    return response.json()


def test_an_owners_vote_from_opening_to_the_result(world, api_as, building):
    vote = open_owners_vote(api_as, world)
    assert vote["options"] == ["同意", "反对", "弃权"] and vote["status_label"] == "投票中"
    assert vote["matter_label"].startswith("（七）") and vote["scope_area"]["name"] == "幸福苑3栋"
    resident = api_as("resident")
    cast = resident.post(f"/votes/{vote['id']}/ballots", {"choice": "同意"})
    assert cast.status_code == 201, cast.content.decode()
    assert cast.json()["household_id"] == world.households["H1"].pk and cast.json()["choice"] == "同意"
    assert as_person(building["li"]).post(f"/votes/{vote['id']}/ballots", {"choice": "同意"}).status_code == 201
    detail = resident.get(f"/votes/{vote['id']}").json()
    assert detail["ballot_count"] == 2 and detail["counts"] == {"同意": 2, "反对": 0, "弃权": 0}
    assert detail["my_ballot"]["voted"] and detail["my_ballot"]["choice"] == "同意" and detail["result"] is None
    live = resident.get(f"/votes/{vote['id']}/result").json()
    assert live["final"] is False and live["result"]["participating_area"] == "209.75"
    closed = api_as("community_secretary").post(f"/votes/{vote['id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    result = resident.get(f"/votes/{vote['id']}/result").json()
    assert result["final"] is True
    figures = result["result"]
    assert (figures["total_area"], figures["participating_area"], figures["total_owners"]) == ("309.75", "209.75", 3)
    # 209.75 / 309.75 = 67.72% ≥ 2/3 and 2 of 3 owners = 2/3 exactly: participation reached; all yes: ≥ 3/4.
    assert figures["participation_passed"] and figures["approval_passed"] and figures["passed"]
    assert figures["lines"][1] == "参与表决业主 2 人 / 业主总人数 3 人 = 66.67% ≥ 2/3，达到"


def test_bad_ballots_get_a_stable_code_and_change_nothing(world, api_as, building):
    vote = open_owners_vote(api_as, world)
    url = f"/votes/{vote['id']}/ballots"
    resident = api_as("resident")
    assert resident.post(url, {"choice": "同意"}).status_code == 201
    assert_error(resident.post(url, {"choice": "反对"}), 409, "already_voted")
    assert_error(as_person(building["li"]).post(url, {"choice": "赞成"}), 400, "invalid_choice")
    assert_error(as_person(building["li"]).post(url, {"choice": "同意", "household_id": building["H5"].pk}), 403,
                 "permission_denied")
    assert_error(api_as("resident3").post(url, {"choice": "同意"}), 404, "not_found")
    assert_error(as_person(building["li"]).post(url, {"choice": "同意", "extra": 1}), 422)
    assert_error(api_as("resident").post("/votes/999999/ballots", {"choice": "同意"}), 404, "not_found")
    assert_error(api_as("community_secretary").post(f"/votes/{vote['id']}/paper-ballots",
                                                    {"choice": "反对", "household_id": world.households["H1"].pk}),
                 409, "already_voted")
    api_as("community_secretary").post(f"/votes/{vote['id']}/close")
    assert_error(as_person(building["li"]).post(url, {"choice": "同意"}), 409, "vote_closed")
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choice == "同意"


def test_proxy_and_paper_ballots_through_the_api(world, api_as, building):
    vote = open_owners_vote(api_as, world)
    staff = api_as("community_secretary")
    body = {"household_id": world.households["H2"].pk, "grantor_id": building["li"].pk,
            "holder_id": building["li"].pk, "document": "委托书 001"}
    assert_error(staff.post(f"/votes/{vote['id']}/proxies", body), 400, "proxy_self")
    proxy = staff.post(f"/votes/{vote['id']}/proxies", {**body, "holder_id": building["wang"].pk})
    assert proxy.status_code == 201 and proxy.json()["grantor"] == "李**" and proxy.json()["holder"] == "王**"
    by_proxy = as_person(building["wang"]).post(f"/votes/{vote['id']}/ballots",
                                                {"choice": "同意", "household_id": world.households["H2"].pk})
    assert by_proxy.status_code == 201 and by_proxy.json()["proxy_id"] == proxy.json()["id"]
    paper = staff.post(f"/votes/{vote['id']}/paper-ballots", {"choice": "反对", "household_id": building["H5"].pk})
    assert paper.status_code == 201 and paper.json()["channel"] == "paper"
    assert_error(api_as("resident").post(f"/votes/{vote['id']}/proxies", body), 403, "permission_denied")


def test_opening_needs_the_office_and_a_valid_scope(world, api_as, building):
    topic = make.topic(world)
    body = {"topic_id": topic.pk, "question": "加装电梯", "method": "owners", "rule": "art278", "matter": "rebuild",
            "scope_area_id": world.areas["B1"].pk}
    assert_error(api_as("resident").post("/votes", body), 403, "permission_denied")
    assert_error(api_as("street_official").post("/votes", {**body, "scope_area_id": world.areas["B2"].pk}),
                 400, "invalid_scope")
    assert_error(api_as("community_secretary").post("/votes", {**body, "matter": "party"}), 400, "invalid_matter")
    assert not Vote.objects.exists()


@pytest.fixture
def secret_vote(world, api_as):
    topic = make.topic(world, scope=None, title="社区停车收费方案")
    meeting = make.meeting(world, topic)
    for name in ("resident", "grid_worker", "community_staff"):
        make.participant(meeting, world.people[name])
    response = api_as("community_secretary").post("/votes", {
        "topic_id": topic.pk, "meeting_id": meeting.pk, "question": "停车收费方案", "method": "secret",
        "rule": "custom", "threshold_numerator": 3, "threshold_denominator": 5, "options": ["方案一", "方案二", "弃权"]})
    assert response.status_code == 201, response.content.decode()
    return response.json()


def test_a_secret_ballot_never_shows_who_chose_what(world, api_as, secret_vote):
    url = f"/votes/{secret_vote['id']}"
    for name, choice in (("resident", "方案一"), ("grid_worker", "方案一"), ("community_staff", "方案二")):
        cast = api_as(name).post(f"{url}/ballots", {"choice": choice})
        assert cast.status_code == 201 and cast.json()["choice"] is None
    detail = api_as("resident").get(url).json()
    assert detail["counts"] is None and detail["ballot_count"] == 3
    assert detail["my_ballot"]["voted"] and "choice" not in detail["my_ballot"]
    assert_error(api_as("resident").get(f"{url}/result"), 409, "vote_open")
    assert set(Ballot.objects.values_list("choice", flat=True)) == {""}
    closed = api_as("community_secretary").post(f"{url}/close").json()
    assert closed["counts"] == {"方案一": 2, "方案二": 1, "弃权": 0}
    assert closed["result"]["winner"] == "方案一" and closed["result"]["passed"]  # 2/3 ≥ 3/5
    assert dict(OptionCount.objects.values_list("option", "count"))["方案一"] == 2


def test_show_of_hands_through_the_api(world, api_as, secret_vote):
    vote = Vote.objects.get(pk=secret_vote["id"])
    hands = api_as("community_secretary").post("/votes", {
        "topic_id": vote.topic_id, "meeting_id": vote.meeting_id, "question": "举手", "method": "hands",
        "rule": "majority"}).json()
    staff = api_as("community_secretary")
    assert_error(staff.post(f"/votes/{hands['id']}/hands", {"counts": {"同意": 4}}), 400, "hands_exceed")
    recorded = staff.post(f"/votes/{hands['id']}/hands", {"counts": {"同意": 2, "反对": 1}})
    assert recorded.status_code == 200 and recorded.json()["counts"]["同意"] == 2
    assert staff.post(f"/votes/{hands['id']}/close").json()["result"]["passed"]


def test_casting_stays_within_its_query_budget(world, api_as, building):
    vote = open_owners_vote(api_as, world)
    client = as_person(building["li"])
    client.get(f"/votes/{vote['id']}")  # the token's last-used stamp is written once a minute, not per vote
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/votes/{vote['id']}/ballots", {"choice": "同意"})
    assert response.status_code == 201
    assert len(queries) <= 11, "\n".join(q["sql"][:120] for q in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement cast is PostgreSQL's")
def test_an_owners_ballot_is_one_statement_on_postgresql_and_its_event_verifies(world, api_as, building):
    from yishiting.common.events import events_of, verify_chains

    vote = open_owners_vote(api_as, world)
    li = as_person(building["li"])
    li.get(f"/votes/{vote['id']}")  # the token is known to this process now (the vote is read once more)
    with CaptureQueriesContext(connection) as queries:
        response = li.post(f"/votes/{vote['id']}/ballots", {"choice": "同意"})
    assert response.status_code == 201, response.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 2 and sql[-1].lstrip().startswith("WITH"), "\n".join(q[:120] for q in sql)  # vote + cast
    ballot = Ballot.objects.get(pk=response.json()["id"])
    assert (ballot.household_id, ballot.choice, ballot.voter_id) == (world.households["H2"].pk, "同意", building["li"].pk)
    [event] = events_of(ballot)
    assert event.kind == "ballot.cast" and event.payload["household"] == world.households["H2"].pk
    assert list(verify_chains()) == []
    # The same owner's second unit (same mobile) must vote the same way; a second ballot for H2 is refused.
    other = make.household(world.areas["U1"], "104", "90.00")
    second = as_person(make.owner(world, other, "李业主", mobile="13900000002"))
    assert_error(second.post(f"/votes/{vote['id']}/ballots", {"choice": "反对"}), 409, "inconsistent_units")
    assert_error(li.post(f"/votes/{vote['id']}/ballots", {"choice": "同意"}), 409, "already_voted")
    assert Ballot.objects.filter(vote_id=vote["id"]).count() == 1
