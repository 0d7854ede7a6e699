from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.demands.choices import Channel, Status
from yishiting.liaison import services
from yishiting.liaison.models import LiaisonLink, RaisedMatter

pytestmark = pytest.mark.django_db


def _record(world, deputy, **overrides):
    fields = dict(area=world.areas["G1"], held_on=timezone.localdate(), place="幸福苑社区党群服务中心",
                  method="reception", deputy_kind="npc", people_count=12, summary="接待日",
                  matters=["3栋电梯经常停运", "小区门口占道经营"], people=[world.people["resident"]])
    fields.update(overrides)
    return services.record_create(actor=deputy, **fields)


def test_link_create_records_an_event_and_the_level(world):
    link = services.link_create(actor=world.users["district_official"], leader=world.people["district_official"],
                                community=world.areas["C1"], starts_on=timezone.localdate(), note="文明城创建")
    assert link.level == "district" and link.path == world.areas["C1"].path
    assert Event.objects.filter(kind="liaison.linked", subject_id=str(link.pk)).exists()


def test_link_refuses_non_leaders_non_communities_bad_periods_and_doubles(world):
    district, today = world.users["district_official"], timezone.localdate()
    with pytest.raises(DomainError, match="区级或街道干部"):
        services.link_create(actor=district, leader=world.people["resident"], community=world.areas["C1"], starts_on=today)
    with pytest.raises(DomainError, match="社区"):
        services.link_create(actor=district, leader=world.people["street_official"], community=world.areas["S1"],
                             starts_on=today)
    with pytest.raises(DomainError, match="结束日期"):
        services.link_create(actor=district, leader=world.people["street_official"], community=world.areas["C1"],
                             starts_on=today, ends_on=today - timedelta(days=1))
    services.link_create(actor=district, leader=world.people["street_official"], community=world.areas["C1"],
                         starts_on=today)
    with pytest.raises(Conflict):
        services.link_create(actor=district, leader=world.people["street_official"], community=world.areas["C1"],
                             starts_on=today)


def test_a_street_official_links_only_within_the_street(world):
    with pytest.raises(PermissionDeniedError):
        services.link_create(actor=world.users["street_official"], leader=world.people["street_official"],
                             community=world.areas["C3"], starts_on=timezone.localdate())
    with pytest.raises(PermissionDeniedError):
        services.link_create(actor=world.users["community_secretary"], leader=world.people["street_official"],
                             community=world.areas["C1"], starts_on=timezone.localdate())


def test_link_end_is_an_event_and_idempotent(world):
    link = services.link_create(actor=world.users["street_official"], leader=world.people["street_official"],
                                community=world.areas["C2"], starts_on=timezone.localdate() - timedelta(days=5))
    services.link_end(actor=world.users["street_official"], link=link, reason="调整分工")
    services.link_end(actor=world.users["street_official"], link=link)
    link.refresh_from_db()
    assert not link.is_active and link.ends_on == timezone.localdate()
    assert Event.objects.filter(kind="liaison.ended", subject_id=str(link.pk)).count() == 1
    # Linked again later: a new link, the old one kept.
    services.link_create(actor=world.users["street_official"], leader=world.people["street_official"],
                         community=world.areas["C2"], starts_on=timezone.localdate())
    assert LiaisonLink.objects.filter(community=world.areas["C2"]).count() == 2


def test_record_create_with_matters_people_and_event(world, deputy):
    record = _record(world, deputy)
    assert record.deputy == world.people["deputy"]
    assert [m.text for m in record.matters.all()] == ["3栋电梯经常停运", "小区门口占道经营"]
    assert list(record.people.all()) == [world.people["resident"]]
    assert Event.objects.filter(kind="liaison.contact_recorded", subject_id=str(record.pk)).exists()


def test_record_refuses_non_deputies_other_communities_and_bad_fields(world, deputy):
    with pytest.raises(PermissionDeniedError, match="党代表"):
        _record(world, world.users["community_staff"])
    with pytest.raises(PermissionDeniedError, match="范围"):
        _record(world, deputy, area=world.areas["C3"])
    with pytest.raises(DomainError, match="晚于今天"):
        _record(world, deputy, held_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(DomainError, match="人数"):
        _record(world, deputy, people_count=0)
    with pytest.raises(DomainError, match="方式"):
        _record(world, deputy, method="phone")
    with pytest.raises(DomainError, match="请填写"):
        _record(world, deputy, place="  ")


def test_people_met_outside_the_community_are_not_linked(world, deputy):
    record = _record(world, deputy, people=[world.people["resident"], world.people["resident3"]])
    assert list(record.people.all()) == [world.people["resident"]]


def test_matter_to_demand_once_by_the_deputy(world, deputy):
    record = _record(world, deputy)
    matter = record.matters.first()
    demand = services.matter_to_demand(actor=deputy, matter=matter)
    assert demand.channel == Channel.MEMBER_VISIT and demand.status == Status.PENDING
    assert "3栋电梯经常停运" in demand.text and demand.area == world.areas["G1"]
    assert services.matter_to_demand(actor=deputy, matter=matter).pk == demand.pk
    assert RaisedMatter.objects.get(pk=matter.pk).demand_id == demand.pk
    assert Event.objects.filter(kind="liaison.matter_raised").count() == 1
    with pytest.raises(PermissionDeniedError):
        services.matter_to_demand(actor=world.users["community_staff"], matter=record.matters.last())


def test_matter_add_by_the_deputy_only(world, deputy):
    record = _record(world, deputy, matters=[])
    services.matter_add(actor=deputy, record=record, text="健身器材损坏")
    with pytest.raises(DomainError, match="请填写"):
        services.matter_add(actor=deputy, record=record, text=" ")
    with pytest.raises(PermissionDeniedError):
        services.matter_add(actor=world.users["community_staff"], record=record, text="x")
    assert record.matters.count() == 1
