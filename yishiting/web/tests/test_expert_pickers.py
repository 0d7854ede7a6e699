"""The expert pool as a source for pickers: the meeting plan's invitee picker filtered by field and level (the
topic's own community first, then the street, then the district), each expert offered with the party their place
in the pool suggests and kept when the plan is saved; and /pick/expert/ for mediation's forms."""

from __future__ import annotations

import re

import pytest

from yishiting.deliberation.choices import Party
from yishiting.deliberation.models import Meeting
from yishiting.legal.tests.conftest import build_pool

from .pages import main
from .test_meeting_pages import plan_data, topic, venue  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _offered(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="extra" value="(\d+)"', html)]


def test_the_invitee_picker_lists_pool_experts_by_field_and_level_nearest_first(world, as_persona, topic):  # noqa: F811
    pool = build_pool(world)
    client = as_persona("community_secretary")
    plan = main(client.get(f"/meetings/new/?topic={topic.pk}"))
    assert 'name="expert_field"' in plan and "建筑" in plan
    law = client.get("/meetings/invitees/", {"topic": topic.pk, "expert_field": "law"}).content.decode()
    # the community's own adviser first — already on the plan's table (the level's lawyer), so marked as listed
    assert _offered(law) == [pool.lawyer.person_id, pool.lawyer2.person_id]
    assert law.index("顾** · 社区级专家（云律团） · 法律") < law.index("林** · 区级专家") and "已在名单中" in law
    assert "林律师" not in law  # masked
    assert f'<option value="{Party.LEGAL_ADVISER}" selected>' in law
    district = client.get("/meetings/invitees/", {"topic": topic.pk, "expert_field": "law", "expert_level": "1"})
    assert _offered(district.content.decode()) == [pool.lawyer.person_id, pool.lawyer2.person_id]
    building = client.get("/meetings/invitees/", {"topic": topic.pk, "expert_field": "construction"}).content.decode()
    assert _offered(building) == [pool.builder.person_id] and f'<option value="{Party.PROFESSIONAL}" selected>' in building


def test_a_pool_expert_picked_is_invited_with_the_party_chosen(world, as_persona, topic, venue):  # noqa: F811
    pool = build_pool(world)
    builder = pool.builder.person_id
    data = plan_data(world, topic, venue, extra=[str(builder)],
                     **{f"invite-{builder}": "on", f"party-{builder}": Party.PROFESSIONAL})
    assert as_persona("community_secretary").post(f"/meetings/new/?topic={topic.pk}", {**data, "plan": "1"}).status_code == 302
    assert Meeting.objects.get().participants.get(person_id=builder).party == Party.PROFESSIONAL
    record = as_persona("street_official").get(f"/legal/experts/{pool.builder.pk}/").content.decode()
    assert "幸福苑3栋加装电梯圆桌会" in record  # the meeting shows on the expert's record


def test_pick_expert_for_mediation_forms(world, as_persona):
    pool = build_pool(world)
    client = as_persona("community_secretary")
    found = client.get("/pick/expert/", {"name": "mediator", "field": "law", "area": world.areas["C1"].pk}).content.decode()
    assert re.findall(r'name="mediator" value="(\d+)"', found) == [
        str(pool.adviser.person_id), str(pool.lawyer.person_id), str(pool.lawyer2.person_id)]
    assert as_persona("resident").get("/pick/expert/", {"name": "mediator", "field": "law"}).status_code == 403


def _planned(world, as_persona, topic, venue) -> Meeting:  # noqa: F811
    data = plan_data(world, topic, venue)
    assert as_persona("community_secretary").post(f"/meetings/new/?topic={topic.pk}", {**data, "plan": "1"}).status_code == 302
    return Meeting.objects.get()


def test_adding_participants_to_a_planned_meeting_offers_the_pool_without_javascript(world, as_persona, topic, venue):  # noqa: F811
    pool = build_pool(world)
    meeting = _planned(world, as_persona, topic, venue)
    client = as_persona("community_secretary")
    page = main(client.get(f"/meetings/{meeting.pk}/"))
    assert 'name="expert_field"' in page.split('id="add-participants"')[1] and 'form="invitee-find"' in page
    # no JavaScript: the 查找 form sends the field chosen, the page comes back with the pool's builder to tick
    found = main(client.get(f"/meetings/{meeting.pk}/", {"invitee_q": "", "expert_field": "construction"}))
    assert _offered(found) == [pool.builder.person_id] and f'<option value="{Party.PROFESSIONAL}" selected>' in found
    assert '<option value="construction" selected>' in found
    # htmx: the same rows from the search endpoint
    partial = client.get("/meetings/invitees/", {"meeting": meeting.pk, "expert_field": "construction"}).content.decode()
    assert _offered(partial) == [pool.builder.person_id]
    builder = pool.builder.person_id
    added = client.post(f"/meetings/{meeting.pk}/participants/", {
        "extra": [str(builder)], f"invite-{builder}": "on", f"party-{builder}": Party.PROFESSIONAL}, follow=True)
    assert "已追加邀请" in main(added)
    assert meeting.participants.get(person_id=builder).party == Party.PROFESSIONAL


def test_only_the_planner_side_gets_the_pool_on_a_meeting(world, as_persona, topic, venue):  # noqa: F811
    build_pool(world)
    meeting = _planned(world, as_persona, topic, venue)
    assert 'name="expert_field"' not in main(as_persona("resident").get(f"/meetings/{meeting.pk}/"))
    assert as_persona("resident").get("/meetings/invitees/", {"meeting": meeting.pk, "expert_field": "law"}).status_code == 403
