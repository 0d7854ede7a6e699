"""A 微心愿's life through the services: posted, approved with the checklist (the public text masked, the original
kept), claimed by one donor, fulfilled with a photo (the contract's event), thanked; released at its deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import DomainError
from yishiting.common.models import Event
from yishiting.wishes import services as wishes
from yishiting.wishes.choices import DonorKind, WishStatus
from yishiting.wishes.models import Wish

from .conftest import png

pytestmark = pytest.mark.django_db
TEXT = "我叫张三，想要一个助行器，腿脚不便，电话13800000001"


def posted(world, text: str = TEXT) -> Wish:
    return wishes.wish_post(actor=world.users["resident"], category="daily", text=text)


def approved(world, public: str = "一位腿脚不便的居民想要一个助行器") -> Wish:
    return wishes.wish_approve(actor=world.users["community_staff"], wish=posted(world), public_text=public,
                               no_money=True, no_personal_data=True)


def test_a_resident_posts_a_wish_that_waits_for_review_in_their_community(world):
    wish = posted(world)
    assert wish.status == WishStatus.PENDING and wish.community == world.areas["C1"]
    assert wish.wisher == world.people["resident"] and wish.public_text == ""
    assert wish.number.startswith("XY")


def test_approval_needs_the_whole_checklist(world):
    wish = posted(world)
    with pytest.raises(DomainError) as exc:
        wishes.wish_approve(actor=world.users["community_staff"], wish=wish, public_text="想要助行器",
                            no_money=True, no_personal_data=False)
    assert exc.value.code == "checklist"
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.PENDING


def test_the_public_text_is_what_staff_approved_masked_and_the_original_is_kept(world):
    wish = wishes.wish_approve(actor=world.users["community_staff"], wish=posted(world), public_text=TEXT,
                               no_money=True, no_personal_data=True)
    assert wish.status == WishStatus.OPEN
    assert "张三" not in wish.public_text and "13800000001" not in wish.public_text
    assert Wish.objects.get(pk=wish.pk).original_text == TEXT


def test_rejection_needs_a_reason_and_tells_the_poster(world):
    wish = posted(world, "想要 500 元现金")
    with pytest.raises(DomainError):
        wishes.wish_reject(actor=world.users["community_staff"], wish=wish, reason=" ")
    done = wishes.wish_reject(actor=world.users["community_staff"], wish=wish, reason="微心愿不涉及现金")
    assert done.status == WishStatus.REJECTED
    assert world.people["resident"].notifications.filter(text__contains="微心愿不涉及现金").exists()


def test_a_resident_may_not_review(world):
    with pytest.raises(DomainError) as exc:
        wishes.wish_approve(actor=world.users["resident"], wish=posted(world), public_text="x", no_money=True,
                            no_personal_data=True)
    assert exc.value.status == 403


def test_a_party_member_claims_fulfils_and_earns_by_the_contract(donors):
    wish = approved(donors)
    claimed = wishes.wish_claim(actor=donors.users["party"], wish=wish)
    assert claimed.status == WishStatus.CLAIMED and claimed.donor_kind == DonorKind.PARTY_MEMBER
    assert claimed.claim_due_on == timezone.localdate() + timedelta(days=14)
    done = wishes.wish_fulfil(actor=donors.users["party"], wish=claimed, photo=png(), note="已送到家中")
    assert done.status == WishStatus.FULFILLED and done.photos.filter(kind="fulfilled").count() == 1
    event = Event.objects.get(kind="wishes.wish_fulfilled", subject_id=str(done.pk))
    assert event.payload["area"] == donors.areas["C1"].pk
    assert event.payload["earners"] == [{"person": donors.people["party"].pk}]
    thanked = wishes.wish_thank(actor=donors.users["resident"], wish=done, text="谢谢好心人！")
    assert thanked.thanks == "谢谢好心人！"
    with pytest.raises(DomainError):
        wishes.wish_thank(actor=donors.users["resident"], wish=done, text="再谢一次")


def test_a_unit_gives_and_nobody_earns(donors):
    wish = approved(donors)
    claimed = wishes.wish_claim(actor=donors.users["unit_rep"], wish=wish, organization=donors.organizations["unit"])
    assert claimed.donor_kind == DonorKind.UNIT
    done = wishes.wish_fulfil(actor=donors.users["unit_rep"], wish=claimed, photo=png())
    assert Event.objects.get(kind="wishes.wish_fulfilled", subject_id=str(done.pk)).payload["earners"] == []


def test_only_its_representative_claims_for_a_unit(donors):
    with pytest.raises(DomainError) as exc:
        wishes.wish_claim(actor=donors.users["party"], wish=approved(donors), organization=donors.organizations["unit"])
    assert exc.value.status == 403


def test_nobody_claims_their_own_wish_and_a_claimed_wish_is_taken(donors):
    wish = approved(donors)
    with pytest.raises(DomainError):
        wishes.wish_claim(actor=donors.users["resident"], wish=wish)
    wishes.wish_claim(actor=donors.users["party"], wish=wish)
    with pytest.raises(DomainError) as exc:
        wishes.wish_claim(actor=donors.users["neighbour"], wish=Wish.objects.get(pk=wish.pk))
    assert exc.value.code == "already_claimed"


def test_fulfilment_needs_a_photo(donors):
    claimed = wishes.wish_claim(actor=donors.users["party"], wish=approved(donors))
    with pytest.raises(DomainError) as exc:
        wishes.wish_fulfil(actor=donors.users["party"], wish=claimed, photo=b"")
    assert exc.value.code == "photo_required"


def test_the_tick_releases_claims_past_their_deadline_and_tells_the_donor(donors):
    claimed = wishes.wish_claim(actor=donors.users["party"], wish=approved(donors))
    wishes.wishes_tick(claimed.claim_due_on)  # the deadline day itself: still theirs
    assert Wish.objects.get(pk=claimed.pk).status == WishStatus.CLAIMED
    summary, _ = wishes.wishes_tick(claimed.claim_due_on + timedelta(days=1))
    wish = Wish.objects.get(pk=claimed.pk)
    assert wish.status == WishStatus.OPEN and wish.donor_person is None and "1" in summary
    assert donors.people["party"].notifications.filter(text__contains="重新开放").exists()
    wishes.wish_claim(actor=donors.users["neighbour"], wish=wish)  # open to others again


def test_staff_post_on_behalf_of_an_elderly_person(world):
    wish = wishes.wish_post(actor=world.users["community_staff"], category="company", text="想有人陪着去公园走走",
                            community=world.areas["C1"], beneficiary_note="3栋独居老人")
    assert wish.on_behalf and wish.wisher is None and wish.posted_by == world.people["community_staff"]
    with pytest.raises(DomainError):
        wishes.wish_post(actor=world.users["community_staff"], category="daily", text="x", community=world.areas["C3"],
                         beneficiary_note="别处的老人")


def test_withdraw_by_the_wisher(world):
    wish = wishes.wish_withdraw(actor=world.users["resident"], wish=posted(world))
    assert wish.status == WishStatus.WITHDRAWN
