"""Two donors claiming the same 微心愿 at the same moment, on PostgreSQL (SQLite serializes every write, so there
is no race there): exactly one claim is written, the other donor is told it is taken."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.wishes import services as wishes
from yishiting.wishes.choices import WishStatus
from yishiting.wishes.models import Wish

from .conftest import add_donors

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def test_two_donors_claim_one_wish_exactly_one_wins(world):
    add_donors(world)
    wish = wishes.wish_post(actor=world.users["resident"], category="daily", text="想要一台收音机")
    wish = wishes.wish_approve(actor=world.users["community_staff"], wish=wish, public_text="想要一台收音机",
                               no_money=True, no_personal_data=True)
    outcomes = race([lambda who=who: wishes.wish_claim(actor=world.users[who], wish=Wish.objects.get(pk=wish.pk))
                     for who in ("party", "neighbour")])
    won = [o for o in outcomes if isinstance(o, Wish)]
    lost = [o for o in outcomes if not isinstance(o, Wish)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], Conflict) and lost[0].code == "already_claimed"
    stored = Wish.objects.get(pk=wish.pk)
    assert stored.status == WishStatus.CLAIMED and stored.donor_person_id == won[0].donor_person_id
