"""Invitations beyond a community's register through the API: the planner's picker (masked, public capacities
only beyond their view), a plan inviting a street official and a deputy of another street, who then see the
meeting, sign in with their own code and vote on a named vote — and a resident of another community who
cannot be invited (a clear error, nothing changed) nor see any of it."""

from __future__ import annotations

import pytest

from yishiting.api.tests.conftest import assert_error
from yishiting.api.tests.test_deliberation_meetings import body
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Ballot, Meeting, Participant, Topic
from yishiting.deliberation.services.meetings import Invitee
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_meetings import meeting_day, party_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return add_public_people(world)


def test_the_picker_finds_a_street_leader_masked_and_no_other_communitys_residents(town, api_as):
    secretary, c1 = api_as("community_secretary"), town.areas["C1"].pk
    found = secretary.get("/meetings/invitees", level_area_id=c1, q="zhouzhuren").json()
    assert found == [{"person_id": town.people["street_official"].pk, "name": "周**", "mobile": "138****0007",
                      "role": "street_official", "role_label": "街道干部", "title": "", "place": "东风街道",
                      "party": "leader"}]
    deputies = secretary.get("/meetings/invitees", level_area_id=c1, q="人大代表").json()
    assert [(d["name"], d["party"], d["place"]) for d in deputies] == [("何**", "deputy", "湖滨社区")]
    for term in ("李四", "13800000002", "梁经理"):  # another community's resident, another estate's manager
        assert secretary.get("/meetings/invitees", level_area_id=c1, q=term).json() == []
    assert_error(api_as("resident").get("/meetings/invitees", level_area_id=c1, q="周主任"), 403)


def test_a_secretary_cannot_invite_another_communitys_resident_and_nothing_changes(town, api_as):
    people = [*party_people(town), Invitee(town.people["resident2"], "stakeholder")]
    spec = body(town, people=people)
    error = assert_error(api_as("community_secretary").post("/meetings", spec), 400, "invitee_not_allowed")
    assert error["details"]["people"] == [town.people["resident2"].pk] and "李" not in error["message"]
    assert_error(api_as("community_secretary").post("/meetings/check", spec), 400, "invitee_not_allowed")
    assert not Meeting.objects.exists() and not Participant.objects.exists()
    assert Topic.objects.get().status == TopicStatus.OPEN


@pytest.mark.parametrize("guest", ["street_official", "deputy_c3"])
def test_an_invitee_from_above_or_elsewhere_signs_in_and_votes_on_a_named_vote(town, api_as, guest):
    people = [*party_people(town), Invitee(town.people[guest], "leader" if guest == "street_official" else "deputy")]
    secretary, clerk, me = api_as("community_secretary"), api_as("community_staff"), api_as(guest)
    planned = secretary.post("/meetings", body(town, people=people))
    assert planned.status_code == 201, planned.content.decode()
    meeting_id = planned.json()["id"]
    assert secretary.post(f"/meetings/{meeting_id}/notify").status_code == 200
    meeting_day(Meeting.objects.get(pk=meeting_id))
    for participant in Participant.objects.filter(meeting_id=meeting_id, is_council_member=True):
        clerk.post(f"/meetings/{meeting_id}/sign-in", {"code": participant.sign_in_code})
    assert clerk.post(f"/meetings/{meeting_id}/start").json()["status"] == "in_progress"

    seen = me.get(f"/meetings/{meeting_id}")
    assert seen.status_code == 200
    codes = [p for p in seen.json()["participants"] if p["sign_in_code"]]
    own = [p for p in codes if p["person_id"] == town.people[guest].pk]
    if guest == "deputy_c3":  # a guest sees only their own code (the street official organises above: all)
        assert codes == own
    topic_id = seen.json()["agenda"][0]["topic_id"]
    vote = secretary.post("/votes", {"topic_id": topic_id, "meeting_id": meeting_id, "question": "同意加装电梯方案吗？",
                                     "method": "named", "rule": "majority"})
    assert vote.status_code == 201, vote.content.decode()
    vote_id = vote.json()["id"]
    assert_error(me.post(f"/votes/{vote_id}/ballots", {"choice": "同意"}), 403)  # not signed in yet
    signed = me.post(f"/meetings/{meeting_id}/sign-in", {"code": own[0]["sign_in_code"]})
    assert signed.status_code == 200 and signed.json()["signed_in_at"]
    cast = me.post(f"/votes/{vote_id}/ballots", {"choice": "同意"})
    assert cast.status_code == 201, cast.content.decode()
    assert me.get(f"/votes/{vote_id}").json()["my_ballot"]["voted"] is True
    assert Ballot.objects.get(vote_id=vote_id).voter == town.people[guest]
    assert_error(me.post(f"/votes/{vote_id}/ballots", {"choice": "反对"}), 409, "already_voted")
    outsider = api_as("resident2")  # another community's resident sees neither the meeting nor its vote
    assert_error(outsider.get(f"/meetings/{meeting_id}"), 404)
    assert_error(outsider.get(f"/votes/{vote_id}"), 404)
    assert_error(outsider.post(f"/votes/{vote_id}/ballots", {"choice": "同意"}), 404)
