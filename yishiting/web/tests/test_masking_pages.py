"""docs/masking.md on the pages: a phone or ID number typed into free text is masked for other readers and shown
as typed to its author and to staff who may unmask; a person sees their own name in full."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

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


def test_the_resident_who_filed_a_demand_sees_their_own_name_on_it(world, as_persona, neighbour, new_demand):
    demand = new_demand("resident", text="楼道灯坏了")
    own = main(as_persona("resident").get(f"/demands/{demand.pk}/"))
    assert "张三（本人）" in own and "居民 张三 通过" in own and "张*" not in own
    staff = main(as_persona("community_staff").get(f"/demands/{demand.pk}/screen/"))
    assert "<dt>诉求人</dt><dd>张*" in staff and "张三（本人）" not in staff


def test_numbers_in_task_reports_and_supervision_are_masked_for_other_readers(world, as_persona, neighbour):
    from yishiting.handling.services.supervision import supervision_record
    from yishiting.handling.services.tasks import task_report
    from yishiting.handling.tests.tasks_world import assign, handling_topic

    topic, _ = handling_topic(world)
    task = assign(world, topic)
    task_report(actor=world.users["handler"], task=task, text="灯具已采购，有问题找师傅13712345678", percent=40)
    supervision_record(actor=world.users["community_staff"], kind="visit", task=task,
                       happened_on=timezone.localdate(),
                       text="回访住户，身份证110101199001011234已核对")
    other = main(as_persona("resident").get(f"/tasks/{task.pk}/"))
    assert "137****5678" in other and "13712345678" not in other
    assert "1***************34" in other and "110101199001011234" not in other
    assert "13712345678" in main(as_persona("handler").get(f"/tasks/{task.pk}/"))  # its author: as typed
    public = main(as_persona("community_secretary").get(f"/topics/{topic.pk}/progress/"))
    assert "1***************34" in public and "110101199001011234" not in public  # a printable bulletin: masked


def test_a_phone_typed_into_a_topic_title_is_masked_everywhere(world, as_persona, neighbour, new_demand):
    demand = new_demand("resident", text="3栋电梯坏了")
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome="topic", nature="public", topic_title="3栋电梯维修（联系人13912345678）", reason="多户受影响"))
    assert demand.topic.title == "3栋电梯维修（联系人139****5678）"
    for client in (neighbour, as_persona("community_secretary")):
        page = main(client.get(f"/topics/{demand.topic.pk}/"))
        assert "139****5678" in page and "13912345678" not in page
        assert "13912345678" not in main(client.get("/topics/"))


def test_an_invitation_greets_the_invitee_by_their_own_name(world, as_persona):
    from yishiting.deliberation.services.meetings import meeting_notify
    from yishiting.deliberation.services.participants import participant_withdraw
    from yishiting.deliberation.tests.votes_world import meeting, participant, topic
    from yishiting.notifications.models import Notification

    held = meeting(world, topic(world), status="planned")
    row = participant(held, world.people["resident"], signed_in=False)
    meeting_notify(actor=world.users["community_secretary"], meeting=held)
    invitation = Notification.objects.get(person=world.people["resident"])
    assert invitation.text.startswith("张三您好，邀请您以居民群众身份参加")
    assert "张三您好" in main(as_persona("resident").get("/messages/"))
    participant_withdraw(actor=world.users["community_secretary"], meeting=held, participant=row, reason="人数已满")
    assert Notification.objects.filter(person=world.people["resident"]).latest("pk").text.startswith("张三您好")
