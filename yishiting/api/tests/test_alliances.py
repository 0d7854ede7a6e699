"""/api/v1/alliances: the same rules as the pages — a member unit's liaison votes, the office enters a show of
hands, people of another community get 404, the liaison's name is masked to the public."""

from __future__ import annotations

import pytest

from yishiting.alliances import services
from yishiting.alliances.tests.conftest import found

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_list_and_detail_by_scope(world, api_as):
    setup = found(world)
    pk = setup.alliance.pk
    body = api_as("resident").get("/alliances").json()
    assert [a["name"] for a in body["items"]] == ["幸福苑社区党建联盟"]
    detail = api_as("resident").get(f"/alliances/{pk}").json()
    assert detail["covenant"]["number"] == 1 and len(detail["covenant"]["clauses"]) == 3
    assert {m["liaison"] for m in detail["members"]} == {"林**", "高**", "韩**"}
    assert {m["liaison"] for m in api_as("community_staff").get(f"/alliances/{pk}").json()["members"]} == {
        "林党员", "高党员", "韩党员"}
    assert api_as("resident3").get("/alliances").json()["items"] == []
    assert_error(api_as("resident3").get(f"/alliances/{pk}"), 404)


def test_apply_and_vote_through_the_api(world, api_as):
    setup = found(world)
    pk = setup.alliance.pk
    refused = api_as("unit_d").post(f"/alliances/{pk}/applications", {
        "organization_id": setup.orgs["unit_d"].pk, "liaison_id": setup.people["unit_d"].pk, "accepts_covenant": False})
    assert_error(refused, 400, "covenant_required")
    made = api_as("unit_d").post(f"/alliances/{pk}/applications", {
        "organization_id": setup.orgs["unit_d"].pk, "liaison_id": setup.people["unit_d"].pk, "accepts_covenant": True,
        "application": "申请入盟"})
    assert made.status_code == 201 and made.json()["accepted_version"] == 1
    member = setup.alliance.members.get(pk=made.json()["id"])
    services.member_review(actor=world.users["community_staff"], member=member, approve=True)
    vote = member.admission_votes.get()
    cast = api_as("unit_a").post(f"/alliances/votes/{vote.pk}/ballots", {"choice": "yes"})
    assert cast.status_code == 201 and cast.json()["yes"] == 1
    assert_error(api_as("unit_a").post(f"/alliances/votes/{vote.pk}/ballots", {"choice": "no"}), 409, "already_voted")
    entered = api_as("community_staff").post(f"/alliances/votes/{vote.pk}/ballots",
                                             {"choice": "no", "member_id": setup.members["unit_b"].pk})
    assert entered.json()["no"] == 1
    assert_error(api_as("resident").get(f"/alliances/votes/{vote.pk}"), 404)
