"""Evaluation through /api/v1/evaluations and /api/v1/kpis: a resident rates once from the phone, staff see the
live counts and close, 五方互评 and 组织考评, bad input with nothing changed, scopes, the three rates with their
working, and (PostgreSQL) two closes of one round at once — exactly one wins."""

from __future__ import annotations

import threading

import pytest
import requests
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.common.events import events_of
from yishiting.handling.models import EvaluationRound, OrgAssessment, PartyRating, Rating
from yishiting.handling.tests.test_evaluation import D, S, evaluating_topic, rate_all, residents

from .conftest import assert_error


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_resident_rates_once_and_staff_see_the_count_then_close(world, api_as):
    topic, round_ = evaluating_topic(world)
    resident = api_as("resident")
    detail = resident.get(f"/evaluations/{round_.pk}").json()
    assert (detail["may_rate"], detail["my_rating"], detail["final"]) == (True, None, False)
    given = resident.post(f"/evaluations/{round_.pk}/ratings", {"value": "satisfied", "comment": "灯亮了"})
    assert given.status_code == 201, given.content
    assert given.json()["person"] == "张*" and given.json()["value_label"] == "满意"
    assert_error(resident.post(f"/evaluations/{round_.pk}/ratings", {"value": "dissatisfied", "comment": "x"}),
                 409, "already_rated")
    assert resident.get(f"/evaluations/{round_.pk}").json()["my_rating"] == "satisfied"
    staff = api_as("community_staff")
    live = staff.get(f"/evaluations/{round_.pk}").json()
    assert live["result"]["satisfaction"]["percent"] == "100.00" and live["result"]["valid"] == 1
    listed = staff.get("/evaluations", status="open", q="楼道").json()
    assert [r["id"] for r in listed["items"]] == [round_.pk] and listed["items"][0]["rating_count"] == 1
    assert staff.get("/evaluations", status="closed").json()["count"] == 0
    closed = staff.post(f"/evaluations/{round_.pk}/close")
    assert closed.status_code == 200 and closed.json()["final"] is True
    assert closed.json()["result"]["reopen"]["decided"] is False
    assert_error(staff.post(f"/evaluations/{round_.pk}/close"), 409, "round_closed")
    assert staff.get(f"/evaluations/{round_.pk}/ratings").json()["items"][0]["comment"] == "灯亮了"


@pytest.mark.parametrize("body, status, code", [
    ({"value": "great"}, 400, "invalid_choice"),
    ({"value": "dissatisfied", "comment": ""}, 400, "required"),
    ({"value": "satisfied", "nmae": "x"}, 422, None),
    ({}, 422, None),
])
def test_bad_ratings_change_nothing(world, api_as, body, status, code):
    _, round_ = evaluating_topic(world)
    assert_error(api_as("resident").post(f"/evaluations/{round_.pk}/ratings", body), status, code)
    assert not Rating.objects.exists()


def test_scopes(world, api_as):
    _, round_ = evaluating_topic(world)
    assert_error(api_as("resident3").get(f"/evaluations/{round_.pk}"), 404)  # another street: not even seen
    assert_error(api_as("resident3").post(f"/evaluations/{round_.pk}/ratings", {"value": "satisfied"}), 404)
    assert_error(api_as("grid_worker").post(f"/evaluations/{round_.pk}/close"), 403, "permission_denied")
    assert_error(api_as("community_staff").post(f"/evaluations/{round_.pk}/org-assessment", {"score": 90}), 403)
    assert_error(api_as(None).get(f"/evaluations/{round_.pk}"), 401)
    assert not Rating.objects.exists() and not OrgAssessment.objects.exists()
    assert EvaluationRound.objects.get().status == "open"


def test_party_rating_and_org_assessment(world, api_as):
    _, round_ = evaluating_topic(world, template="shuangyashan-5fang")
    detail = api_as("street_official").get(f"/evaluations/{round_.pk}").json()
    assert [p["name"] for p in detail["parties"]] == ["居委会", "业委会", "物业企业", "驻区单位", "社区警务"]
    secretary = api_as("community_secretary")
    body = {"rater_party": "residents_committee", "ratee_party": "property", "score": 86, "comment": "整改及时"}
    assert secretary.post(f"/evaluations/{round_.pk}/party-ratings", body).status_code == 201
    assert_error(secretary.post(f"/evaluations/{round_.pk}/party-ratings", body), 409, "already_rated")
    assert_error(secretary.post(f"/evaluations/{round_.pk}/party-ratings", {**body, "ratee_party": "mayor"}), 400,
                 "invalid_party")
    assert_error(secretary.post(f"/evaluations/{round_.pk}/party-ratings", {**body, "ratee_party": "police",
                                                                            "score": 120}), 400, "invalid_score")
    street = api_as("street_official")
    assert street.post(f"/evaluations/{round_.pk}/org-assessment", {"score": 94}).status_code == 201
    result = street.get(f"/evaluations/{round_.pk}").json()["result"]
    assert result["parties"]["average"] == "86.00" and result["organization"]["score"] == 94
    assert PartyRating.objects.count() == 1


def test_reopen_through_the_api(world, api_as):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 3), [D, D, S])
    closed = api_as("community_secretary").post(f"/evaluations/{round_.pk}/close").json()
    assert closed["reopened"] is True and "超过重办阈值" in closed["reopen_reason"]
    topic.refresh_from_db()
    assert topic.status == "handling"


def test_kpis_show_how_each_figure_was_counted(world, api_as):
    _, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 10), [S] * 7 + ["basic"] * 2 + [D])
    today = timezone.localdate().isoformat()
    answer = api_as("street_official").get("/kpis", area=world.areas["S1"].pk, start=today, end=today)
    assert answer.status_code == 200, answer.content
    figures = {f["key"]: f for f in answer.json()["figures"]}
    assert figures["satisfaction"]["percent"] == "88.00" and figures["satisfaction"]["numerator"] == "8.80"
    assert figures["on_time"]["denominator"] == 1 and figures["on_time"]["percent"] == "100.00"
    assert figures["on_time"]["rule"].startswith("期限内销号的任务和结案的调解案件 1")
    assert_error(api_as("resident").get("/kpis", area=world.areas["C1"].pk, start=today, end=today), 404)
    assert_error(api_as("community_staff").get("/kpis", area=world.areas["S1"].pk, start=today, end=today), 404)
    assert_error(api_as("street_official").get("/kpis", area=world.areas["S1"].pk, start=today, end="2020-01-01"),
                 400, "invalid_period")


def test_openapi_documents_the_endpoints_in_chinese(world, api_as):
    paths = api_as("resident").get("/openapi.json").json()["paths"]
    assert paths["/api/v1/evaluations/{round_id}/ratings"]["post"]["summary"] == "评价办理结果"
    assert paths["/api/v1/kpis"]["get"]["summary"] == "三率统计"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_two_closes_of_one_round_at_once_exactly_one_wins(world, live_server):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 3), [D, D, D])
    tokens = [token_create(actor=world.users[p], name="并发")[1] for p in ("community_staff", "community_secretary")]
    barrier, answers = threading.Barrier(2), [None, None]

    def close(i: int) -> None:
        barrier.wait(timeout=10)
        answers[i] = requests.post(f"{live_server.url}/api/v1/evaluations/{round_.pk}/close", timeout=30,
                                   headers={"Authorization": f"Bearer {tokens[i]}"})

    threads = [threading.Thread(target=close, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert [e.kind for e in events_of(round_)].count("evaluation.closed") == 1
    topic.refresh_from_db()
    assert topic.status == "handling" and [e.kind for e in events_of(topic)].count("topic.reopened") == 1
