"""Two people of one unit answering the same whistle at once, and the last two units answering at once, on
PostgreSQL (SQLite serializes every write, so there is no race there): exactly one answer per unit is recorded, the
other is told it is answered; and the whistle ends 已全部应哨 whichever unit came last."""

from __future__ import annotations

import pytest

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.errors import Conflict
from yishiting.common.testing import make_user, race
from yishiting.whistles import services as whistles
from yishiting.whistles.choices import WhistleStatus
from yishiting.whistles.models import Whistle, WhistleResponse

from .conftest import add_units, blow

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def _answer(world, who: str, response_pk: int):
    return lambda: whistles.response_record(actor=world.users[who], response=WhistleResponse.objects.select_related(
        "whistle", "organization").get(pk=response_pk), note=f"{who} 已处置")


def test_two_people_of_one_unit_answer_at_once_exactly_one_wins(world):
    add_units(world)
    second = areas.person_create(actor=None, name="经办丁", mobile="13900000014", area=world.areas["S1"])
    make_user(world, "handler2", second)
    areas.role_assign(actor=None, person=second, role=Role.HANDLER, area=world.areas["S1"],
                      organization=world.organizations["agency"])
    w = blow(world, keys=("agency",))
    pk = w.responses.get().pk
    outcomes = race([_answer(world, "handler", pk), _answer(world, "handler2", pk)])
    won = [o for o in outcomes if isinstance(o, WhistleResponse)]
    lost = [o for o in outcomes if not isinstance(o, WhistleResponse)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], Conflict) and lost[0].code == "already_responded"
    assert WhistleResponse.objects.get(pk=pk).responded_by_id == won[0].responded_by_id


def test_the_last_two_units_at_once_leave_the_whistle_answered(world):
    add_units(world)
    w = blow(world)
    jobs = [_answer(world, "handler", w.responses.get(organization=world.organizations["agency"]).pk),
            _answer(world, "property_rep", w.responses.get(organization=world.organizations["property"]).pk)]
    outcomes = race(jobs)
    assert all(isinstance(o, WhistleResponse) for o in outcomes), outcomes
    assert Whistle.objects.get(pk=w.pk).status == WhistleStatus.ANSWERED
