"""Volunteering beside the fixed personas (common.testing): 幸福苑社区's 七彩志愿服务队 with a leader (李队长,
a resident of the estate with an account), and an activity starting now with two places."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.services import person_create, role_assign
from yishiting.common.testing import World, make_user
from yishiting.volunteers import services as vol
from yishiting.volunteers.models import Activity, Post, Team


@dataclass
class Vol:
    world: World
    team: Team
    activity: Activity
    post: Post

    def user(self, name: str):
        return self.world.users[name]

    def person(self, name: str):
        return self.world.people[name]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.world.users[name])
        return client


def add_resident(world: World, username: str, name: str, mobile: str, household: str = "H2"):
    person = person_create(actor=None, name=name, mobile=mobile, household=world.households[household])
    make_user(world, username, person)
    role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["C1"])
    return person


def build_vol(world: World, capacity: int = 2) -> Vol:
    a = world.areas
    leader = add_resident(world, "leader", "李队长", "13900000001")
    team = vol.team_create(actor=world.users["community_staff"], area=a["C1"], name="七彩志愿服务队",
                           description="退休党员认领公益服务岗")
    vol.team_join(actor=world.users["community_staff"], team=team, person=leader, leader=True)
    now = timezone.now()
    activity = vol.activity_create(actor=world.users["leader"], team=team, area=a["C1"], title="楼道清理",
                                   place="幸福苑3栋", starts_at=now - timedelta(minutes=30),
                                   ends_at=now + timedelta(hours=2), capacity=capacity)
    post = vol.post_create(actor=world.users["community_staff"], area=a["C1"], name="楼道清洁岗", capacity=1, team=team)
    return Vol(world=world, team=team, activity=activity, post=post)


@pytest.fixture
def v(world) -> Vol:
    return build_vol(world)
