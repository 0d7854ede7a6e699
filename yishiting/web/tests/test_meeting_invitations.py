"""The plan page's picker as the secretary uses it: a street leader and a deputy of another street are found
(masked) and invited with the checked plan; a resident of another community is never offered, and a forged POST
cannot add one. The guests then take part on their phones: a handler (no deliberation role of their own) posts
in 网上议事 and a deputy from elsewhere sees the vote page with the ballot."""

from __future__ import annotations

import pytest

from yishiting.deliberation.choices import Party, VoteMethod
from yishiting.deliberation.models import Meeting, MeetingStep, Participant
from yishiting.deliberation.services.votes import vote_open
from yishiting.deliberation.tests.invitations_world import add_public_people
from yishiting.deliberation.tests.test_invitations import invited_meeting

from .pages import main
from .test_meeting_pages import plan_data, topic, venue  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    return add_public_people(world)


def test_the_picker_offers_leaders_and_public_roles_masked_never_other_residents(town, as_persona, topic):  # noqa: F811
    client = as_persona("community_secretary")
    page = main(client.get(f"/meetings/new/?topic={topic.pk}"))
    assert "周** · 街道干部 · 东风街道" in page and "吴** · 区级干部" in page  # above the community: listed
    found = client.get("/meetings/invitees/", {"topic": topic.pk, "invitee_q": "人大代表"}).content.decode()
    assert "何** · 两代表一委员（区人大代表） · 湖滨社区" in found and "何代表" not in found
    assert f'name="extra" value="{town.people["deputy_c3"].pk}"' in found
    for term in ("李四", "13800000002"):  # another community's resident
        nothing = client.get("/meetings/invitees/", {"topic": topic.pk, "invitee_q": term}).content.decode()
        assert "李*" not in nothing and "没有找到" in nothing
    assert as_persona("resident").get("/meetings/invitees/", {"topic": topic.pk, "invitee_q": "x"}).status_code == 403


def test_picked_guests_are_invited_and_a_forged_outsider_is_dropped(town, as_persona, topic, venue):  # noqa: F811
    deputy, outsider = town.people["deputy_c3"].pk, town.people["resident2"].pk
    data = plan_data(town, topic, venue, extra=[str(deputy), str(outsider)],
                     **{f"invite-{deputy}": "on", f"party-{deputy}": Party.DEPUTY,
                        f"invite-{outsider}": "on", f"party-{outsider}": Party.STAKEHOLDER})
    client = as_persona("community_secretary")
    checked = main(client.post(f"/meetings/new/?topic={topic.pk}", {**data, "check": "1"}))
    assert "何** · 两代表一委员" in checked and "李*" not in checked  # kept on the table; the outsider is not
    assert client.post(f"/meetings/new/?topic={topic.pk}", {**data, "plan": "1"}).status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.participants.values_list("person_id", flat=True)) >= {deputy}
    assert not Participant.objects.filter(person_id=outsider).exists()
    assert meeting.participants.get(person_id=deputy).party == Party.DEPUTY


def test_a_handler_guest_speaks_online_and_a_deputy_guest_gets_the_ballot(town, as_persona):
    meeting = invited_meeting(town, form="online")
    topic_pk = meeting.agenda.get().topic_id
    handler = as_persona("handler")
    detail = main(handler.get(f"/meetings/{meeting.pk}/"))
    assert "我的邀请" in detail and "发表" in detail and f"/topics/{topic_pk}/" not in detail
    posted = handler.post(f"/meetings/{meeting.pk}/speak/", {"topic": topic_pk, "text": "执法队可以配合拆除违建"})
    assert posted.status_code == 302
    assert MeetingStep.objects.get(meeting=meeting).speaker == town.people["handler"]
    assert as_persona("resident2").post(f"/meetings/{meeting.pk}/speak/",
                                        {"topic": topic_pk, "text": "我也说"}).status_code == 404
    named = vote_open(actor=town.users["community_secretary"], topic=meeting.agenda.get().topic, question="同意吗？",
                      method=VoteMethod.NAMED, rule="majority", meeting=meeting)
    page = main(as_persona("deputy_c3").get(f"/votes/{named.pk}/"))
    assert 'name="choice"' in page
    cast = as_persona("deputy_c3").post(f"/votes/{named.pk}/cast/", {"choice": "同意"})
    assert cast.status_code == 302 and named.ballots.get().voter == town.people["deputy_c3"]
    assert "只有这次会议的参会人员可以投票" in main(as_persona("district_official").get(f"/votes/{named.pk}/"))


def test_a_guest_at_the_table_is_asked_to_sign_in_before_the_ballot(town, as_persona):
    meeting = invited_meeting(town)
    named = vote_open(actor=town.users["community_secretary"], topic=meeting.agenda.get().topic, question="同意吗？",
                      method=VoteMethod.NAMED, rule="majority", meeting=meeting)
    street = as_persona("street_official")
    assert "请先" in main(street.get(f"/votes/{named.pk}/"))
    code = meeting.participants.get(person=town.people["street_official"]).sign_in_code
    assert street.post(f"/meetings/{meeting.pk}/sign-in/do/", {"code": code}).status_code == 302
    assert 'name="choice"' in main(street.get(f"/votes/{named.pk}/"))
