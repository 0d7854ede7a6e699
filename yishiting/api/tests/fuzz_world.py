"""Things for the fuzzer to find: a topic under way, an open owners' vote, a demand, a meeting, an accepted
task and a plan with a demand on it, so that generated requests reach real objects (their ids are offered as
path parameters) and not only 404s."""

from __future__ import annotations

from django.test import Client

from yishiting.accounts.services import token_create
from yishiting.common.testing import World
from yishiting.deliberation.tests import votes_world
from yishiting.demands.models import Demand
from yishiting.handling.tests import tasks_world
from yishiting.oversight.tests.plans import at_pixel, make_plan


def _post(world: World, persona: str, path: str, body: dict) -> dict:
    _, secret = token_create(actor=world.users[persona], name="seed")
    response = Client().post("/api/v1" + path, body, content_type="application/json",
                             headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201, response.content.decode()
    return response.json()


def seed(world: World) -> dict[str, int]:
    from yishiting.areas import services as areas
    from yishiting.areas.choices import Role

    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    topic = votes_world.topic(world)
    meeting = votes_world.meeting(world, topic)
    vote = _post(world, "community_secretary", "/votes", {
        "topic_id": topic.pk, "question": "3栋1单元是否加装电梯", "method": "owners", "rule": "art278",
        "matter": "rebuild", "scope_area_id": world.areas["B1"].pk})
    demand = _post(world, "resident", "/demands", {"text": "3栋楼道灯坏了，晚上看不见路", "area_id": world.areas["U1"].pk})
    task = tasks_world.assign(world)
    plan = make_plan(world)  # G1's plan, with the demand above on it (issue 18: plans and hot spots)
    Demand.objects.filter(pk=demand["id"]).update(**at_pixel(400, 300))
    return {"plan": plan.pk, "topic": topic.pk, "meeting": meeting.pk, "vote": vote["id"], "demand": demand["id"], "task": task.pk,
            "area": world.areas["C1"].pk, "person": world.people["resident"].pk,
            "organization": world.organizations["agency"].pk, "building": world.areas["B1"].pk,
            "community": world.areas["C1"].pk}


def fixed_ids(seeded: dict[str, int]) -> dict[str, int]:
    """Path parameter name → a seeded object's id (`topic_id` → the topic)."""
    return {f"{name}_id": pk for name, pk in seeded.items()}
