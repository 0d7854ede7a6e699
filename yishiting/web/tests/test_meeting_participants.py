"""A planned meeting's page as the secretary uses it when the street leader confirms late: the 追加参会人员
picker (the plan's partial, masked, never another community's residents), the invitation with a warning when
notice is short, a 撤回 button on each invitation that may still go (not the chair's, not once signed in), and
the meeting's course in plain Chinese. Residents and guests see none of these controls; a forged POST cannot
add an outsider nor withdraw anyone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.deliberation.choices import EIGHT_PARTIES, Party
from yishiting.deliberation.models import Meeting, Participant
from yishiting.deliberation.services.meetings import meeting_notify
from yishiting.deliberation.services.participants import participant_invite
from yishiting.deliberation.services.procedure import participant_sign_in
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_meetings import meeting_day, party_people, plan
from yishiting.notifications.models import Notification

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return add_public_people(world)


@pytest.fixture
def meeting(town) -> Meeting:
    planned = plan(town, participants=party_people(town, [p for p in EIGHT_PARTIES if p != Party.DEPUTY]))
    return meeting_notify(actor=town.users["community_secretary"], meeting=planned)


def test_the_secretary_adds_the_street_leader_late_from_the_page(town, as_persona, meeting):
    client, leader = as_persona("community_secretary"), town.people["street_official"]
    page = main(client.get(f"/meetings/{meeting.pk}/"))
    assert "追加参会人员" in page and "追加的人员会立即收到通知" in page
    found = client.get("/meetings/invitees/", {"meeting": meeting.pk, "invitee_q": "zhouzhuren"}).content.decode()
    assert "周** · 街道干部 · 东风街道" in found and "周主任" not in found and "追加邀请" in found
    nothing = client.get("/meetings/invitees/", {"meeting": meeting.pk, "invitee_q": "李四"}).content.decode()
    assert "没有找到" in nothing  # another community's resident: never offered
    soon = timezone.now() + timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    outsider = town.people["resident2"]
    done = client.post(f"/meetings/{meeting.pk}/participants/", {
        "extra": [leader.pk, outsider.pk], f"invite-{leader.pk}": "on", f"party-{leader.pk}": Party.LEADER,
        f"invite-{outsider.pk}": "on", f"party-{outsider.pk}": Party.STAKEHOLDER}, follow=True)
    page = main(done)
    assert "已追加邀请 周**，已发出通知" in page and "通知时间不足 3 天" in page
    assert meeting.participants.get(person=leader).party == Party.LEADER
    assert not Participant.objects.filter(person=outsider).exists()  # a forged outsider is dropped
    assert Notification.objects.filter(person=leader).count() == 1
    assert "会议动态" in page and "追加邀请周**以上级领导干部身份参会" in page
    again = main(client.get(f"/meetings/{meeting.pk}/", {"invitee_q": "周主任"}))  # no JS: the search by GET
    assert f'name="extra" value="{leader.pk}"' not in again  # already on the list: not offered again


def test_withdrawing_from_the_page_and_what_cannot_be_withdrawn(town, as_persona, meeting):
    client = as_persona("community_secretary")
    lawyer = participant_invite(actor=town.users["community_secretary"], meeting=meeting,
                                person=town.people["lawyer_c2"], party=Party.LEGAL_ADVISER)
    meeting_day(meeting)
    signed = meeting.participants.exclude(pk=lawyer.pk).exclude(person=town.people["community_secretary"]).first()
    participant_sign_in(actor=town.users["community_staff"], meeting=meeting, code=signed.sign_in_code)
    chair = meeting.participants.get(person=town.people["community_secretary"])
    page = main(client.get(f"/meetings/{meeting.pk}/"))
    for p in (lawyer,):
        assert f"/meetings/{meeting.pk}/participants/{p.pk}/withdraw/" in page
    for p in (signed, chair):
        assert f"/meetings/{meeting.pk}/participants/{p.pk}/withdraw/" not in page
    url = f"/meetings/{meeting.pk}/participants/{lawyer.pk}/withdraw/"
    assert "请说明撤回理由" in main(client.post(url, {"reason": ""}, follow=True))
    assert Participant.objects.filter(pk=lawyer.pk).exists()
    page = main(client.post(url, {"reason": "该事项不涉及法律问题"}, follow=True))
    assert "已撤回对 罗** 的邀请，其签到码已作废" in page and not Participant.objects.filter(pk=lawyer.pk).exists()
    assert "撤回罗**（法律顾问）的参会邀请，理由：该事项不涉及法律问题" in page
    forged = main(client.post(f"/meetings/{meeting.pk}/participants/{signed.pk}/withdraw/", {"reason": "弄错了"},
                              follow=True))
    assert "签到，不能撤回邀请" in forged and Participant.objects.filter(pk=signed.pk).exists()


def test_residents_guests_and_a_meeting_under_way_show_no_list_controls(town, as_persona, meeting):
    participant_invite(actor=town.users["community_secretary"], meeting=meeting, person=town.people["deputy_c3"],
                       party=Party.DEPUTY)
    someone = meeting.participants.exclude(person=town.people["community_secretary"]).first()
    for persona in ("resident", "deputy_c3"):
        client = as_persona(persona)
        response = client.get(f"/meetings/{meeting.pk}/")
        page = main(response)
        assert response.status_code == 200 and "参会人员（" in page
        assert "追加参会人员" not in page and "/withdraw/" not in page and "会议动态" not in page
        assert client.get("/meetings/invitees/", {"meeting": meeting.pk, "invitee_q": "周主任"}).status_code == 403
        client.post(f"/meetings/{meeting.pk}/participants/{someone.pk}/withdraw/", {"reason": "x"})
        assert Participant.objects.filter(pk=someone.pk).exists()
    secretary = as_persona("community_secretary")
    meeting_day(meeting)
    secretary.post(f"/meetings/{meeting.pk}/start/")
    page = main(secretary.get(f"/meetings/{meeting.pk}/"))
    assert "追加参会人员" not in page and "/withdraw/" not in page and "会议开始" in page
    assert secretary.get("/meetings/invitees/", {"meeting": meeting.pk, "invitee_q": "周主任"}).status_code == 403
    street = town.people["street_official"]
    done = main(secretary.post(f"/meetings/{meeting.pk}/participants/", {
        "extra": [street.pk], f"invite-{street.pk}": "on", f"party-{street.pk}": Party.LEADER}, follow=True))
    assert "会议进行中，不能再追加参会人员" in done and not meeting.participants.filter(person=street).exists()
