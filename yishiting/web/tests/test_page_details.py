"""Small things users saw (issue 15): timelines in time order, one date format, what publishing a notice says,
and unique element ids."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from yishiting.common.models import Event
from yishiting.demands.screening import Decision, demand_screen

from .pages import main

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(timezone.localdate().year, 12, day, hour, 0))


def test_a_demands_timeline_lists_a_days_events_by_their_time(world, as_persona, new_demand):
    demand = new_demand("resident")
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome="topic", nature="public", topic_title="3栋电梯维修", reason="多户受影响"))
    first, second = Event.objects.filter(subject_id=str(demand.pk), kind__startswith="demand.").order_by("seq")
    Event.objects.filter(pk=first.pk).update(at=_at(8, 17))  # recorded first, but happened later that day
    Event.objects.filter(pk=second.pk).update(at=_at(8, 9))
    page = main(as_persona("resident").get(f"/demands/{demand.pk}/"))
    assert "12月8日 09:00" in page and "12月8日 17:00" in page
    assert page.index("12月8日 09:00") < page.index("12月8日 17:00")


# ---- element ids are unique on every page with several forms ----

@pytest.mark.usefixtures("file_media")
def test_pages_with_several_forms_have_unique_element_ids(world, as_persona):
    from yishiting.handling.services import notices as notice_services
    from yishiting.handling.tests.tasks_world import assign, handling_topic
    from yishiting.handling.tests.world import resolved_topic

    from .pages import duplicate_ids

    topic, first = handling_topic(world)
    task = assign(world, topic, first)
    _, resolution = resolved_topic(world, title="另一个议题")
    notice = notice_services.notice_draft(actor=world.users["community_secretary"], resolution=resolution,
                                          plan=[{"when": "12月上旬", "what": "采购灯具", "who": "物业"}])
    notice = notice_services.notice_publish(actor=world.users["community_secretary"], notice=notice)
    for text in ("希望公布费用", "施工期间请保留通道"):
        notice_services.objection_raise(actor=world.users["resident"], notice=notice, text=text)
    pages = {("community_secretary", f"/notices/{notice.pk}/"), ("community_staff", f"/tasks/{task.pk}/"),
             ("handler", f"/tasks/{task.pk}/"), ("community_staff", f"/topics/{task.topic_id}/supervision/"),
             ("grid_worker", f"/topics/{resolution.topic_id}/"), ("community_secretary", f"/topics/{resolution.topic_id}/")}
    for persona, url in sorted(pages):
        response = as_persona(persona).get(url)
        assert response.status_code == 200, (persona, url)
        assert duplicate_ids(response) == [], (persona, url)
