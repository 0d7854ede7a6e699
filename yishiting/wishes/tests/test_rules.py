"""Who sees and does what with a 微心愿, role × scope: the poster and the staff of its subtree see it from the
start; neighbours only once approved; other communities never (except on the public wall); the office reviews."""

from __future__ import annotations

import pytest

from yishiting.common.rules import has_perm
from yishiting.wishes import services as wishes
from yishiting.wishes.rules import may_claim
from yishiting.wishes.selectors import open_wishes_for, review_queue, wishes_visible_to

pytestmark = pytest.mark.django_db


def _posted(world):
    return wishes.wish_post(actor=world.users["resident"], category="study", text="想要一套初中数学辅导书")


@pytest.mark.parametrize("persona, sees", [
    ("resident", True), ("neighbour", False), ("resident2", False), ("grid_worker", True), ("community_staff", True),
    ("street_official", True), ("district_official", True), ("handler", False)])
def test_a_pending_wish_is_seen_by_its_poster_and_the_staff_of_its_subtree(donors, persona, sees):
    wish = _posted(donors)
    assert wishes_visible_to(donors.users[persona]).filter(pk=wish.pk).exists() is sees


@pytest.mark.parametrize("persona, sees", [("neighbour", True), ("party", True), ("resident2", False), ("handler", False)])
def test_an_approved_wish_is_seen_in_its_community_only(donors, persona, sees):
    wish = wishes.wish_approve(actor=donors.users["community_staff"], wish=_posted(donors), public_text="想要辅导书",
                               no_money=True, no_personal_data=True)
    assert wishes_visible_to(donors.users[persona]).filter(pk=wish.pk).exists() is sees
    assert may_claim(donors.users[persona], wish) is sees
    assert open_wishes_for(donors.users[persona]).filter(pk=wish.pk).exists() is sees


@pytest.mark.parametrize("persona, reviews", [
    ("resident", False), ("grid_worker", False), ("community_staff", True), ("community_secretary", True),
    ("street_official", True), ("handler", False)])
def test_the_office_reviews_in_its_subtree(donors, persona, reviews):
    wish = _posted(donors)
    assert has_perm(donors.users[persona], "wishes.review", wish) is reviews
    assert review_queue(donors.users[persona]).filter(pk=wish.pk).exists() is reviews


def test_the_office_of_another_community_does_not_review(donors):
    from yishiting.areas import services as areas
    from yishiting.areas.choices import Role

    staff = donors.people["street_resident"]
    areas.role_assign(actor=None, person=staff, role=Role.COMMUNITY_STAFF, area=donors.areas["C2"])
    wish = _posted(donors)
    from yishiting.common.testing import make_user

    user = make_user(donors, "c2_staff", staff)
    assert not has_perm(user, "wishes.review", wish)
