"""docs/masking.md on the pages: a phone or ID number typed into free text is masked for other readers and shown
as typed to its author and to staff who may unmask; a person sees their own name in full."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user
from yishiting.demands.screening import Decision, demand_screen

from .pages import main

pytestmark = pytest.mark.django_db

TEXT = "3栋电梯坏了两天，老人下不了楼，请联系我13912345678，或物业0755-12345678"


@pytest.fixture
def neighbour(world) -> Client:
    """Another resident of the same community (幸福苑3栋 1单元 102)."""
    person = area_services.person_create(actor=None, name="毛小红", mobile="13800000021",
                                         household=world.households["H2"])
    area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
    client = Client()
    client.force_login(make_user(world, "neighbour", person))
    return client


@pytest.fixture
def topic(world, new_demand):
    demand = new_demand("resident", text=TEXT)
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome="topic", nature="public", topic_title="3栋电梯维修", reason="多户受影响"))
    return demand.topic


def test_a_phone_in_a_demand_is_masked_on_the_topic_page_for_another_resident(world, as_persona, neighbour,
                                                                                topic):
    page = main(neighbour.get(f"/topics/{topic.pk}/"))
    assert "139****5678" in page and "0755-******78" in page
    assert "13912345678" not in page and "12345678" not in page


def test_its_author_and_staff_who_may_unmask_see_it_as_typed(world, as_persona, topic):
    assert "13912345678" in main(as_persona("resident").get(f"/topics/{topic.pk}/"))
    assert "13912345678" in main(as_persona("community_secretary").get(f"/topics/{topic.pk}/"))
    assert "13912345678" in main(as_persona("resident").get(f"/demands/{topic.demands.get().pk}/"))


def test_a_phone_in_an_opinion_is_masked_for_neighbours(world, as_persona, neighbour, topic):
    as_persona("resident").post(f"/topics/{topic.pk}/opinion/", {"stance": "other", "text": "有事打13700001111"})
    assert "137****1111" in main(neighbour.get(f"/topics/{topic.pk}/"))
    assert "13700001111" in main(as_persona("resident").get(f"/topics/{topic.pk}/"))


def test_a_person_sees_their_own_name_in_full(world, neighbour):
    html = neighbour.get("/").content.decode()
    assert "毛小红" in html and "毛**" not in html
