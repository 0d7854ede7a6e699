"""Staff posting a 微心愿 for a resident picked by name (an elder without a phone, issue 19): the wish is the
resident's (their own page lists it), posted by the staff member, the event names both; only people of the staff
member's area."""

from __future__ import annotations

import pytest

from yishiting.common.errors import PermissionDeniedError
from yishiting.common.models import Event
from yishiting.wishes import services as wishes
from yishiting.wishes.models import Wish
from yishiting.wishes.selectors import wishes_of

pytestmark = pytest.mark.django_db


def test_staff_post_a_wish_for_a_resident_who_sees_it_on_their_page(world):
    elder = world.people["resident"]
    wish = wishes.wish_post(actor=world.users["grid_worker"], category="daily", text="想要一副老花镜",
                            beneficiary=elder)
    assert wish.wisher == elder and wish.posted_by == world.people["grid_worker"] and wish.on_behalf
    assert wish.community == world.areas["C1"] and wish.path == elder.path
    assert list(wishes_of(elder)) == [wish]
    event = Event.objects.get(kind="wish.posted")
    assert event.actor_id == world.users["grid_worker"].pk
    assert (event.payload["for_person"], event.payload["by_person"]) == (elder.pk, world.people["grid_worker"].pk)
    assert elder.notifications.filter(text__contains="代发微心愿").exists()


def test_staff_post_only_for_people_of_their_area(world):
    with pytest.raises(PermissionDeniedError):
        wishes.wish_post(actor=world.users["community_staff"], category="daily", text="想要一副老花镜",
                         beneficiary=world.people["resident2"])
    with pytest.raises(PermissionDeniedError):  # a resident cannot post in another's name
        wishes.wish_post(actor=world.users["resident"], category="daily", text="想要一副老花镜",
                         beneficiary=world.people["resident2"])
    assert not Wish.objects.exists()


def test_a_wish_posted_for_a_community_only_still_needs_the_note(world):
    from yishiting.common.errors import DomainError

    with pytest.raises(DomainError) as exc:
        wishes.wish_post(actor=world.users["community_staff"], category="daily", text="想要一副老花镜",
                         community=world.areas["C1"])
    assert exc.value.details["field"] == "beneficiary_note"
    wish = wishes.wish_post(actor=world.users["community_staff"], category="daily", text="想要一副老花镜",
                            community=world.areas["C1"], beneficiary_note="3栋独居老人")
    assert wish.wisher is None and wish.on_behalf
