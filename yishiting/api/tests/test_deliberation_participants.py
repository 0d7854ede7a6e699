"""Adding to and withdrawing from a planned meeting through the API, as the secretary's client would: a street
leader added late (201, their own code, told once; a retry answers 200 with the same participant), a warning
when notice is short, the refusals (someone out of reach, an unknown id, a resident, a meeting under way,
a signed-in participant), a withdrawal that voids the code and updates the missing parties — and both routes
documented in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.api.tests.conftest import assert_error
from yishiting.api.tests.test_deliberation_meetings import body
from yishiting.deliberation.choices import EIGHT_PARTIES, Party
from yishiting.deliberation.models import Meeting, Participant
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_meetings import meeting_day, party_people
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return add_public_people(world)


@pytest.fixture
def meeting_id(town, api_as) -> int:
    """A C1 meeting planned and notified through the API, without a 两代表一委员."""
    people = party_people(town, [p for p in EIGHT_PARTIES if p != Party.DEPUTY])
    secretary = api_as("community_secretary")
    planned = secretary.post("/meetings", body(town, people=people))
    assert planned.status_code == 201, planned.content.decode()
    assert planned.json()["missing_parties"] == ["deputy"]
    assert secretary.post(f"/meetings/{planned.json()['id']}/notify").status_code == 200
    return planned.json()["id"]


def test_a_late_invitee_is_added_once_with_their_own_code_and_can_be_withdrawn(
        town, api_as, meeting_id, messages_outbox, django_capture_on_commit_callbacks):
    secretary, deputy = api_as("community_secretary"), town.people["deputy_c3"]
    with django_capture_on_commit_callbacks(execute=True):
        added = secretary.post(f"/meetings/{meeting_id}/participants", {"person_id": deputy.pk, "party": "deputy"})
    assert added.status_code == 201, added.content.decode()
    got = added.json()
    assert got["created"] and got["notified"]
    # a deputy of another community is invited, but does not fill this community's 两代表一委员 (docs/parties.md)
    assert [w["code"] for w in got["warnings"]] == ["party_unverified"] and got["missing_parties"] == ["deputy"]
    assert got["participant"]["name"] == "何**" and got["participant"]["party_label"] == "两代表一委员"
    code = got["participant"]["sign_in_code"]
    assert [m.to for m in messages_outbox] == [deputy.mobile] and code in messages_outbox[0].text
    retry = secretary.post(f"/meetings/{meeting_id}/participants", {"person_id": deputy.pk, "party": "deputy"})
    assert retry.status_code == 200 and not retry.json()["created"]
    assert retry.json()["participant"]["id"] == got["participant"]["id"]
    assert Notification.objects.filter(person=deputy).count() == 1 and len(messages_outbox) == 1

    mine = api_as("deputy_c3").get(f"/meetings/{meeting_id}")  # the guest sees the meeting and their own code
    assert [p["sign_in_code"] for p in mine.json()["participants"] if p["sign_in_code"]] == [code]

    assert_error(secretary.post(f"/meetings/{meeting_id}/participants/{got['participant']['id']}/withdraw",
                                {"reason": " "}), 400, "reason_required")
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = secretary.post(f"/meetings/{meeting_id}/participants/{got['participant']['id']}/withdraw",
                                   {"reason": "人大会议冲突"})
    assert withdrawn.status_code == 200, withdrawn.content.decode()
    assert withdrawn.json()["missing_parties"] == ["deputy"]
    assert deputy.pk not in [p["person_id"] for p in withdrawn.json()["participants"]]
    assert "人大会议冲突" in messages_outbox[-1].text
    meeting_day(Meeting.objects.get(pk=meeting_id))
    assert_error(api_as("deputy_c3").post(f"/meetings/{meeting_id}/sign-in", {"code": code}), 404)  # no longer invited
    assert_error(secretary.post(f"/meetings/{meeting_id}/sign-in", {"code": code}), 400, "invalid_code")


def test_too_little_notice_comes_back_as_a_warning(town, api_as, meeting_id):
    soon = timezone.now() + timedelta(days=1)
    Meeting.objects.filter(pk=meeting_id).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    added = api_as("street_official").post(f"/meetings/{meeting_id}/participants",
                                           {"person_id": town.people["street_official"].pk, "party": "leader"})
    assert added.status_code == 201
    [warning] = added.json()["warnings"]
    assert warning["code"] == "notice_too_short" and "通知时间不足 3 天" in warning["message"]
    shown = api_as("community_secretary").get(f"/meetings/{meeting_id}").json()["warnings"]
    assert "notice_too_short" in [w["code"] for w in shown]


def test_refusals_are_clear_and_change_nothing(town, api_as, meeting_id):
    secretary, url = api_as("community_secretary"), f"/meetings/{meeting_id}/participants"
    before = Participant.objects.filter(meeting_id=meeting_id).count()
    error = assert_error(secretary.post(url, {"person_id": town.people["resident2"].pk, "party": "stakeholder"}),
                         400, "invitee_not_allowed")
    assert "李" not in error["message"]
    assert_error(secretary.post(url, {"person_id": 10**9, "party": "resident"}), 400, "invitee_not_allowed")
    assert_error(secretary.post(url, {"person_id": town.people["lawyer_c2"].pk, "party": "picnic"}), 400,
                 "invalid_party")
    assert_error(api_as("community_staff").post(url, {"person_id": "x", "party": "resident"}), 422)
    assert_error(api_as("resident").post(url, {"person_id": town.people["lawyer_c2"].pk, "party": "legal_adviser"}),
                 403)
    assert_error(api_as("resident").post(url, {"person_id": 10**9, "party": "resident"}), 403)
    assert_error(api_as("resident3").post(url, {"person_id": town.people["lawyer_c2"].pk, "party": "resident"}),
                 404)  # another street's resident does not see the meeting at all
    someone = Participant.objects.filter(meeting_id=meeting_id).exclude(person=town.people["community_secretary"])[0]
    meeting_day(Meeting.objects.get(pk=meeting_id))
    api_as("community_staff").post(f"/meetings/{meeting_id}/sign-in", {"code": someone.sign_in_code})
    assert_error(secretary.post(f"{url}/{someone.pk}/withdraw", {"reason": "弄错了"}), 409, "already_signed_in")
    assert_error(secretary.post(f"{url}/{10**9}/withdraw", {"reason": "弄错了"}), 404)
    assert secretary.post(f"/meetings/{meeting_id}/start").json()["status"] == "in_progress"
    assert_error(secretary.post(url, {"person_id": town.people["lawyer_c2"].pk, "party": "legal_adviser"}), 409,
                 "invalid_state")
    assert Participant.objects.filter(meeting_id=meeting_id).count() == before


def test_both_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    add = paths["/api/v1/meetings/{meeting_id}/participants"]["post"]
    withdraw = paths["/api/v1/meetings/{meeting_id}/participants/{participant_id}/withdraw"]["post"]
    assert add["summary"] == "追加参会人员" and "通知时间不足" in add["description"]
    assert {"200", "201", "400", "403", "404", "409"} <= set(add["responses"])
    assert withdraw["summary"] == "撤回参会邀请" and "签到码随即作废" in withdraw["description"]
    assert {"200", "400", "403", "404", "409"} <= set(withdraw["responses"])
