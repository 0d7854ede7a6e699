"""The meeting plan's chair and a task's verifier (核验人) are picked by typing, as the other pickers: no <select>
of everyone who may chair or verify; only whom the form accepts is offered; names clear only for planners who
may unmask (audited); without JavaScript the typed search comes back with the form as a list to pick from."""

from __future__ import annotations

import pytest

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.areas.models import Person
from yishiting.common.models import AuditEntry
from yishiting.deliberation.models import Meeting, Venue
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose
from yishiting.handling.tests.tasks_world import handling_topic

from .pages import main
from .test_meeting_pages import plan_data

pytestmark = pytest.mark.django_db


def second_secretary(world) -> Person:
    """A deputy secretary of 幸福苑社区: a second person the templates let chair a community meeting."""
    person = area_services.person_create(actor=None, name="卫书记", mobile="13800000099", area=world.areas["C1"])
    area_services.role_assign(actor=None, person=person, role=Role.COMMUNITY_SECRETARY, area=world.areas["C1"])
    return person


@pytest.fixture
def venue(world) -> Venue:
    return venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                      area=world.areas["C1"], capacity=30)


@pytest.fixture
def topic(world):
    return topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                         description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])


def test_the_chair_is_a_search_box_and_the_search_offers_only_who_may_chair(world, as_persona, topic):
    secretary = as_persona("community_secretary")
    page = main(secretary.get(f"/meetings/new/?topic={topic.pk}"))
    assert '<select name="chair"' not in page and 'name="chair_q"' in page
    assert f'hx-get="/pick/chair/?name=chair&amp;topic={topic.pk}"' in page
    default = world.people["community_secretary"]
    assert f'name="chair" value="{default.pk}" checked' in page  # the level's secretary: chosen already
    deputy = second_secretary(world)
    found = secretary.get("/pick/chair/", {"name": "chair", "topic": topic.pk, "chair_q": "wsj"}).content.decode()
    assert f'type="radio" name="chair" value="{deputy.pk}"' in found  # by the initials of the whole name
    assert "卫书记" in found and "社区书记" in found and "尾号0099" in found  # in the secretary's own community: clear
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK, details__reason="picker:chair",
                                     target__contains=str(deputy.pk)).exists()
    street = secretary.get("/pick/chair/", {"name": "chair", "topic": topic.pk, "chair_q": "周主任"}).content.decode()
    assert "没有找到" in street  # a street official does not chair a community's meeting under these templates
    by_role = secretary.get("/pick/chair/", {"name": "chair", "topic": topic.pk, "chair_q": "书记"}).content.decode()
    assert by_role.count('type="radio"') == 2
    refused = as_persona("resident").get("/pick/chair/", {"name": "chair", "topic": topic.pk, "chair_q": "书记"})
    assert refused.status_code == 403


def test_a_picked_chair_plans_the_meeting_and_one_who_may_not_chair_is_refused(world, as_persona, topic, venue):
    deputy = second_secretary(world)
    secretary = as_persona("community_secretary")
    planned = secretary.post("/meetings/new/", {**plan_data(world, topic, venue), "chair": deputy.pk, "plan": ""})
    assert planned.status_code == 302
    assert Meeting.objects.get().chair == deputy
    wrong = plan_data(world, topic, venue, days=9)
    refused = secretary.post("/meetings/new/", {**wrong, "chair": world.people["street_official"].pk, "plan": ""})
    assert refused.status_code == 400 and "所选人员不能主持本层级的会议" in main(refused)


def test_without_javascript_the_typed_chair_search_comes_back_as_a_list_to_pick_from(world, as_persona, topic,
                                                                                      venue):
    deputy = second_secretary(world)
    secretary = as_persona("community_secretary")
    data = {**plan_data(world, topic, venue), "chair": "", "chair_q": "卫书记", "check": ""}
    back = secretary.post("/meetings/new/", data)
    page = main(back)
    assert back.status_code == 400 and "请查找并选择主持人" in page
    assert f'type="radio" name="chair" value="{deputy.pk}"' in page and 'value="卫书记"' in page
    assert not Meeting.objects.exists()


def test_a_tasks_verifier_is_picked_by_typing(world, as_persona):
    topic, _ = handling_topic(world)
    staff = as_persona("community_staff")
    page = main(staff.get(f"/topics/{topic.pk}/tasks/new/"))
    assert '<select name="supervisor"' not in page and 'name="supervisor_q"' in page
    found = staff.get("/pick/supervisor/", {"name": "supervisor", "topic": topic.pk, "supervisor_q": "街道"})
    street = world.people["street_official"]
    assert f'type="radio" name="supervisor" value="{street.pk}"' in found.content.decode()
    assert "周**" in found.content.decode()  # above the staff member's community: masked
    nobody = staff.get("/pick/supervisor/", {"name": "supervisor", "topic": topic.pk, "supervisor_q": "张三"})
    assert "没有找到" in nobody.content.decode()  # a resident verifies no task


def test_without_javascript_the_tasks_typed_handler_and_verifier_come_back_as_lists(world, as_persona):
    topic, _ = handling_topic(world)
    staff = as_persona("community_staff")
    back = staff.post(f"/topics/{topic.pk}/tasks/new/", {
        "title": "修路灯", "area": world.areas["B1"].pk, "subject_kind": "community",
        "handler_role_q": "城管", "supervisor_q": "街道", "milestones-TOTAL_FORMS": "0"})
    page = main(back)
    assert back.status_code == 400 and "请查找并选择经办人" in page
    assert f'type="radio" name="handler_role" value="{world.people["handler"].pk}"' in page
    assert f'type="radio" name="supervisor" value="{world.people["street_official"].pk}"' in page
