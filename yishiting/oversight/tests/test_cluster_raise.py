"""Raising a cluster as one 类案 topic: its open demands are screened into the topic and their reporters follow
it, demands already on another path are linked; exactly one 类案 per cluster even when two officials raise it at
once; new demands of the same problem are suggested into it at screening; recurrences of an archived matter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.common.testing import race
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Status
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.notifications.models import Notification
from yishiting.oversight.clusters import (
    Period,
    clusters_in,
    open_cluster_topics_for,
    recurrence_of,
    recurrences,
)
from yishiting.oversight.models import ClusterMember, ClusterTopic
from yishiting.oversight.services.clusters import cluster_demand_join, cluster_raise

from .clusters_world import LAMP, LIFT, add_community, report

pytestmark = pytest.mark.django_db


def _period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=89), today)


def _lifts(world):
    add_community(world)
    return [report(world, LIFT[0], "C1", reporter="resident"), report(world, LIFT[1], "C2", reporter="resident2"),
            report(world, LIFT[2], "C4")]


def _raise(world, persona="street_official", area="S1"):
    [cluster] = clusters_in(world.areas[area], _period())
    return cluster_raise(actor=world.users[persona], area=world.areas[area], period=_period(), ident=cluster.id)


def test_raising_merges_the_open_demands_into_one_street_topic_and_their_reporters_follow_it(world):
    lifts = _lifts(world)
    row = _raise(world)
    topic = row.topic
    assert topic.level_area == world.areas["S1"] and topic.title.startswith("类案：设施维护")
    for demand in Demand.objects.filter(pk__in=[d.pk for d in lifts]):
        assert demand.status == Status.TOPIC and demand.topic_id == topic.pk
        assert demand.level_area == world.areas["S1"]  # now the street's matter
    assert set(ClusterMember.objects.values_list("how", flat=True)) == {"merged"}
    told = Notification.objects.filter(person=world.people["resident"], text__contains="已转为议题")
    assert told.exists()
    kinds = [e.kind for e in events_of(topic)]
    assert kinds[0] == "topic.proposed" and kinds.count("topic.demand_added") == 3 and kinds[-1] == "topic.cluster_raised"
    from yishiting.deliberation.timeline import _what
    assert "立为类案" in _what("topic.cluster_raised", {})
    [listed] = clusters_in(world.areas["S1"], _period())
    assert listed.raised == row  # the list says it is raised


def test_a_demand_already_on_another_path_is_linked_not_moved(world):
    lifts = _lifts(world)
    demand_screen(actor=world.users["community_staff"], demand=lifts[0],
                  decision=Decision(outcome="topic", nature="public", topic_title="1号楼电梯维修"))
    row = _raise(world)
    first = Demand.objects.get(pk=lifts[0].pk)
    assert first.topic_id != row.topic_id
    assert ClusterMember.objects.get(demand=first).how == "linked"
    assert ClusterMember.objects.filter(cluster=row, how="merged").count() == 2


def test_a_district_wide_cluster_is_raised_by_the_district_not_by_a_street(world):
    _lifts(world)
    report(world, LIFT[3], "C3")
    [cluster] = clusters_in(world.areas["D"], _period())
    with pytest.raises(PermissionDeniedError):
        cluster_raise(actor=world.users["street_official"], area=world.areas["D"], period=_period(), ident=cluster.id)
    row = cluster_raise(actor=world.users["district_official"], area=world.areas["D"], period=_period(),
                        ident=cluster.id)
    assert row.level_area == world.areas["D"] and row.topic.level_area == world.areas["D"]


def test_community_staff_cannot_raise_and_nothing_changes(world):
    lifts = _lifts(world)
    [cluster] = clusters_in(world.areas["S1"], _period())
    with pytest.raises(PermissionDeniedError):
        cluster_raise(actor=world.users["community_secretary"], area=world.areas["C1"], period=_period(),
                      ident=cluster.id)
    assert not Topic.objects.exists() and not ClusterTopic.objects.exists()
    assert set(Demand.objects.filter(pk__in=[d.pk for d in lifts]).values_list("status", flat=True)) == {"pending"}


def test_raising_twice_is_refused_and_an_unknown_cluster_is_not_found(world):
    _lifts(world)
    row = _raise(world)
    report(world, LIFT[3], "C1")  # the cluster grows, and is still the same 类案
    [cluster] = clusters_in(world.areas["S1"], _period())
    with pytest.raises(Conflict) as refused:
        cluster_raise(actor=world.users["district_official"], area=world.areas["S1"], period=_period(),
                      ident=cluster.id)
    assert row.topic.title in refused.value.message
    with pytest.raises(DomainError):
        cluster_raise(actor=world.users["street_official"], area=world.areas["S1"], period=_period(), ident="9-eA")
    assert Topic.objects.count() == 1


def test_a_new_demand_of_the_problem_is_suggested_into_the_open_cluster_and_joins_it(world):
    _lifts(world)
    row = _raise(world)
    new = report(world, "电梯坏了三天了还没修好", "C2", reporter="resident2")
    assert open_cluster_topics_for(new) == [row]
    lamp = report(world, LAMP[0], "C2")
    elsewhere = report(world, "电梯坏了三天了还没修好", "C3")  # another street: outside the 类案
    other_category = report(world, "电梯坏了三天了还没修好", "C2", category_code="property")
    assert open_cluster_topics_for(lamp) == open_cluster_topics_for(elsewhere) == open_cluster_topics_for(other_category) == []
    cluster_demand_join(actor=world.users["street_official"],
                        cluster=row, demand=new)
    new.refresh_from_db()
    assert new.status == Status.TOPIC and new.topic_id == row.topic_id
    assert ClusterMember.objects.filter(cluster=row).count() == 4
    with pytest.raises(DomainError):
        cluster_demand_join(actor=world.users["street_official"], cluster=row, demand=lamp)
    assert Demand.objects.get(pk=lamp.pk).status == Status.PENDING


def test_community_staff_merge_their_own_demand_into_the_cluster_but_not_another_communitys(world):
    _lifts(world)
    row = _raise(world)
    mine = report(world, "电梯坏了三天了还没修好", "C1")
    theirs = report(world, "电梯坏了三天了还没修好", "C2")
    cluster_demand_join(actor=world.users["community_staff"], cluster=row, demand=mine)
    with pytest.raises(PermissionDeniedError):
        cluster_demand_join(actor=world.users["community_staff"], cluster=row, demand=theirs)
    assert Demand.objects.get(pk=theirs.pk).status == Status.PENDING


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officials_raising_the_same_cluster_at_once_make_exactly_one_topic(world):
    _lifts(world)
    [cluster] = clusters_in(world.areas["S1"], _period())

    def by(persona):
        return lambda: cluster_raise(actor=world.users[persona], area=world.areas["S1"], period=_period(),
                                     ident=cluster.id)

    outcomes = race([by("street_official"), by("district_official")])
    winners = [o for o in outcomes if isinstance(o, ClusterTopic)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert Topic.objects.count() == 1 and ClusterTopic.objects.count() == 1
    assert set(Demand.objects.values_list("topic_id", flat=True)) == {winners[0].topic_id}


def _archived_lamp(world):
    topic = evaluating_topic(world)  # its demand: 幸福苑3栋楼道灯坏了… at B1 (estate G1)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    return Demand.objects.get(topic=topic), dossier


def test_the_same_problem_at_the_same_place_after_an_archived_matter_is_a_recurrence(world):
    earlier, dossier = _archived_lamp(world)
    again = report(world, "3栋楼道灯又坏了，晚上很黑", "B1", category_code=earlier.category.code)
    hit = recurrence_of(again)
    assert hit is not None and hit.earlier == earlier and hit.dossier_id == dossier.pk
    elsewhere = report(world, "1栋楼道灯坏了，晚上很黑", "B2", category_code=earlier.category.code)  # another estate
    other_problem = report(world, "3栋门口垃圾没人清理", "B1", category_code=earlier.category.code)
    assert recurrence_of(elsewhere) is None and recurrence_of(other_problem) is None
    today = timezone.localdate()
    assert [r.demand for r in recurrences(world.areas["S1"], today - timedelta(days=7), today)] == [again]
    assert recurrences(world.areas["S2"], today - timedelta(days=7), today) == []


def test_a_recurrence_is_only_within_m_months_of_the_archive(world):
    from yishiting.deliberation.services.topics import default_template
    from yishiting.oversight.models import ClusterSettings

    earlier, _ = _archived_lamp(world)
    later = report(world, "3栋楼道灯又坏了，晚上很黑", "B1", category_code=earlier.category.code)
    Demand.objects.filter(pk=later.pk).update(created_at=timezone.now() + timedelta(days=100))
    later.refresh_from_db()
    assert recurrence_of(later) is not None  # default: six months
    ClusterSettings.objects.create(template=default_template(), recurrence_months=3)
    assert recurrence_of(later) is None
