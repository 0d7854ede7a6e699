"""Two taps on 转为诉求 at the same moment, on PostgreSQL (SQLite serializes every write): one demand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.common.testing import race
from yishiting.demands.models import Demand
from yishiting.liaison import services
from yishiting.liaison.models import RaisedMatter

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]


def test_two_taps_at_once_make_one_demand(world, deputy):
    record = services.record_create(actor=deputy, area=world.areas["G1"], held_on=timezone.localdate(), place="服务中心",
                                    method="reception", deputy_kind="npc", people_count=3, matters=["楼道堆物"])
    matter = record.matters.get()
    results = race([lambda: services.matter_to_demand(actor=deputy, matter=matter)] * 2)
    assert all(isinstance(r, Demand) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert RaisedMatter.objects.get(pk=matter.pk).demand_id == results[0].pk
    assert Demand.objects.filter(channel="member_visit").count() == 1


def test_the_same_link_asked_twice_at_once_is_made_once_and_the_other_told(world):
    from yishiting.common.errors import Conflict
    from yishiting.liaison.models import LiaisonLink

    district = world.users["district_official"]
    results = race([lambda: services.link_create(actor=district, leader=world.people["street_official"],
                                                 community=world.areas["C1"], starts_on=timezone.localdate())] * 2)
    assert sum(isinstance(r, LiaisonLink) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) and r.code == "already_linked" for r in results) == 1, results
    assert LiaisonLink.objects.filter(leader=world.people["street_official"], community=world.areas["C1"]).count() == 1
