"""The 挂点 read grant (common.rules.register_grant): a linked leader reads the community's matters while the link
is in force, and no longer once its period has ended or it is revoked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.rules import has_perm, scope_for
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.liaison import services
from yishiting.liaison.rules import GRANTED

from .conftest import fresh

pytestmark = pytest.mark.django_db


def _demand_in_c3(world) -> Demand:
    return demand_submit(actor=world.users["resident3"],
                         submission=Submission(text="湖滨花园路灯不亮", area=world.areas["U3"]))


def test_a_street_leader_linked_outside_their_street_reads_that_community(world):
    demand = _demand_in_c3(world)
    leader = world.users["street_official"]  # 东风街道 (S1); 湖滨社区 (C3) is in 西湖街道
    assert not has_perm(fresh(leader), "demands.view", demand)
    services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                         community=world.areas["C3"], starts_on=timezone.localdate())
    for name in GRANTED:
        assert scope_for(fresh(leader), name).covers_path(world.areas["C3"].path), name
    assert has_perm(fresh(leader), "demands.view", demand)
    # Only reading: the grant gives no screening, and nothing outside the linked community.
    assert not has_perm(fresh(leader), "demands.screen", demand)
    assert not scope_for(fresh(leader), "demands.view").covers_path(world.areas["S2"].path)


def test_the_grant_ends_with_the_period(world):
    demand = _demand_in_c3(world)
    today = timezone.localdate()
    services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                         community=world.areas["C3"], starts_on=today - timedelta(days=30),
                         ends_on=today - timedelta(days=1))
    assert not has_perm(fresh(world.users["street_official"]), "demands.view", demand)


def test_the_grant_starts_with_the_period(world):
    demand = _demand_in_c3(world)
    services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                         community=world.areas["C3"], starts_on=timezone.localdate() + timedelta(days=1))
    assert not has_perm(fresh(world.users["street_official"]), "demands.view", demand)


def test_the_grant_ends_the_day_after_the_last_day(world, monkeypatch):
    demand = _demand_in_c3(world)
    today = timezone.localdate()
    services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                         community=world.areas["C3"], starts_on=today, ends_on=today)
    assert has_perm(fresh(world.users["street_official"]), "demands.view", demand)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))
    assert not has_perm(fresh(world.users["street_official"]), "demands.view", demand)


def test_revoking_ends_the_grant_at_once(world):
    demand = _demand_in_c3(world)
    link = services.link_create(actor=world.users["district_official"], leader=world.people["street_official"],
                                community=world.areas["C3"], starts_on=timezone.localdate())
    assert has_perm(fresh(world.users["street_official"]), "demands.view", demand)
    services.link_end(actor=world.users["district_official"], link=link)
    assert not has_perm(fresh(world.users["street_official"]), "demands.view", demand)
