"""Two mediators recording the closing attempt of the same case at the same moment, on PostgreSQL (SQLite
serializes every write, so there is no race there): exactly one attempt is written, the other is refused."""

from __future__ import annotations

from datetime import date

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.mediation.choices import CaseStatus, Tier
from yishiting.mediation.models import Attempt, MediationCase
from yishiting.mediation.services import attempt_record, mediator_assign

from .world import accepted_case, build, fail_tier

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]





def _record(world, case, persona: str, result: str):
    return lambda: attempt_record(actor=world.users[persona], case=case, held_on=date.today(), place="街道调解室",
                                  mediators=[world.people[persona]], parties_present=list(case.parties.all()),
                                  result=result, number=2)


@pytest.mark.parametrize("results", [("success", "success"), ("success", "failed"), ("failed", "failed")])
def test_two_mediators_record_the_closing_attempt_at_once_exactly_one_wins(world, results):
    build(world)
    case = accepted_case(world)
    fail_tier(world, case, "mediator", 3)
    for persona in ("street_mediator", "street_mediator2"):
        mediator_assign(actor=world.users["street_official"], case=case, person=world.people[persona])
    fail_tier(world, case, "street_mediator", 1)  # the street's last attempt is next
    outcomes = race([_record(world, case, persona, result)
                     for persona, result in zip(("street_mediator", "street_mediator2"), results, strict=True)])
    written = [r for r in outcomes if isinstance(r, Attempt)]
    refused = [r for r in outcomes if not isinstance(r, Attempt)]
    assert len(written) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict) and refused[0].code in {"stale_attempt", "invalid_state"}
    assert Attempt.objects.filter(case=case, tier=Tier.STREET).count() == 2
    case = MediationCase.objects.get(pk=case.pk)
    if written[0].result == "success":
        assert case.status == CaseStatus.AGREED and case.tier == Tier.STREET
    else:
        assert case.status == CaseStatus.MEDIATING and case.tier == Tier.DISTRICT
