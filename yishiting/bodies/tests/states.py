"""Bodies in every state for the crawl (web/tests/crawl_data.py): 幸福苑社区's 党群议事会 with a convener, a
secretary, residents, the property company by its representative and a member who left; the estate's 小区居民议事会
with a seat whose term starts later."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.bodies import services
from yishiting.bodies.models import BodyKind
from yishiting.common.testing import World


def build_states(world: World) -> dict:
    staff, today = world.users["community_staff"], timezone.localdate()
    community = services.body_create(actor=staff, area=world.areas["C1"],
                                     kind=BodyKind.objects.get(code="party_mass_council"))
    seat = lambda **kw: services.membership_add(actor=staff, body=community, **kw)  # noqa: E731
    seat(person=world.people["community_secretary"], role="convener", term_start=today - timedelta(days=200))
    seat(person=world.people["community_staff"], role="secretary")
    seat(person=world.people["resident"])
    seat(person=world.people["grid_worker"])
    seat(organization=world.organizations["property"], representative=world.people["street_resident"])
    left = seat(person=world.people["street_official"])
    services.membership_end(actor=staff, membership=left, reason="工作调动")
    estate = services.body_create(actor=staff, area=world.areas["G1"], kind=BodyKind.objects.get(code="estate_council"))
    services.membership_add(actor=staff, body=estate, person=world.people["resident"],
                            term_start=today + timedelta(days=10))
    return {"community": community.pk, "estate": estate.pk}
