"""The 先锋指数 inputs participation feeds (oversight.indices.measures): each member's rated menu services, and
how they were rated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.oversight.indices.measures import MEASURES, Scope
from yishiting.participation import services as part

from .world import photo

pytestmark = pytest.mark.django_db


def serve(cast, stars: int):
    order = part.order_place(actor=cast.user("resident"), title="陪老人看病")
    order = part.order_dispatch(actor=cast.user("community_staff"), order=order, providers=[cast.member_provider])
    order = part.order_accept(actor=cast.user("member"), order=order)
    order = part.order_report(actor=cast.user("member"), order=order, report=part.Report("陪同就诊", "3", [photo()]))
    return part.order_rate(actor=cast.user("resident"), order=order, stars=stars)


def test_services_given_and_their_ratings_count_for_the_member_who_served(cast):
    orders = [serve(cast, 5), serve(cast, 3), serve(cast, 1)]
    member = cast.world.people["member"].pk
    scope = Scope(path=cast.world.areas["D"].path, people=Person.objects.filter(pk=member).values("pk"))
    now = timezone.now()
    lo, hi = now - timedelta(days=1), now + timedelta(days=1)
    given = MEASURES["services_given"].read_all(scope, {member}, lo, hi)[member]
    assert given.ids == sorted(o.pk for o in orders) and given.hits == given.ids
    rated = MEASURES["service_ratings"].read_all(scope, {member}, lo, hi)[member]
    assert rated.hits == sorted([orders[0].pk, orders[1].pk]) and rated.basic == 1
    assert MEASURES["services_given"].read_all(scope, {member}, hi, hi + timedelta(days=1)) == {}
