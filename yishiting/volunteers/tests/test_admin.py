"""The back office: the district's admin founds a team through the service (its event, its path), every
volunteering list opens, and activities cannot be edited there."""

from __future__ import annotations

import pytest

from yishiting.common.events import Event
from yishiting.volunteers.models import Team

pytestmark = pytest.mark.django_db


def test_a_team_founded_in_the_admin_goes_through_the_service(v):
    client = v.client("admin")
    response = client.post("/admin/volunteers/team/add/", {"name": "雪都送餐队", "area": v.world.areas["S1"].pk,
                                                            "description": "为老人送餐"})
    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(name="雪都送餐队")
    assert team.path == v.world.areas["S1"].path
    assert Event.objects.filter(kind="volunteers.team_created", subject_id=str(team.pk)).exists()


@pytest.mark.parametrize("model", ["team", "teammember", "post", "activity", "attendance", "postclaim", "shift"])
def test_every_list_opens(v, model):
    assert v.client("admin").get(f"/admin/volunteers/{model}/").status_code == 200


def test_activities_are_read_only_in_the_admin(v):
    page = v.client("admin").get(f"/admin/volunteers/activity/{v.activity.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
