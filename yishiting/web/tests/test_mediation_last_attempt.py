"""The top tier's last attempt (issue 17: 调解不成 with 诉调对接): its form asks for the guidance given to the
parties, and failing it closes the case in the same step — no separate "调解不成" needed, nothing written when
the guidance is missing (the API's side: api/tests/test_mediation.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.mediation.choices import CaseStatus, Outcome
from yishiting.mediation.models import Attempt, MediationCase
from yishiting.mediation.services import template_save
from yishiting.mediation.tests.world import accepted_case, build

from .pages import main

pytestmark = pytest.mark.django_db
GUIDANCE = "告知双方可向人民法院起诉，或向区住建局投诉（诉调对接）。"


def one_attempt_case(world) -> MediationCase:
    """A case whose template allows one community attempt and nothing above it: that attempt is the last."""
    build(world)
    template_save(actor=world.users["admin"], area=world.areas["D"], community_attempts=1, street_attempts=0,
                  district_attempts=0, limit_days=30)
    return accepted_case(world)


@pytest.fixture
def case(world) -> MediationCase:
    return one_attempt_case(world)


def _body(world, case, **extra) -> dict:
    return {"held_on": timezone.localdate().isoformat(), "place": "社区调解室", "number": 1,
            "mediators": [world.people["mediator"].pk], "parties_present": [p.pk for p in case.parties.all()],
            "result": "failed", **extra}


def test_the_last_attempt_asks_for_the_guidance_and_closes_the_case(world, as_persona, case):
    mediator = as_persona("mediator")
    page = main(mediator.get(f"/mediation/{case.pk}/"))
    assert "这是最后一级的最后一次调解" in page and 'name="guidance"' in page and 'name="propose_topic"' in page
    missing = mediator.post(f"/mediation/{case.pk}/attempt/", _body(world, case))
    assert missing.status_code == 400 and "请写明告知当事人的其他解决途径" in main(missing)
    assert not Attempt.objects.filter(case=case).exists()
    no_reason = mediator.post(f"/mediation/{case.pk}/attempt/", _body(world, case, guidance=GUIDANCE,
                                                                      propose_topic="on"))
    assert no_reason.status_code == 400 and "建议转为议题时请写明理由" in main(no_reason)
    done = mediator.post(f"/mediation/{case.pk}/attempt/", _body(
        world, case, guidance=GUIDANCE, propose_topic="on", proposal_note="整栋楼的公共管道老化，建议作为议题。"),
        follow=True)
    shown = main(done)
    assert "案件已结案" in shown and GUIDANCE in shown
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.FAILED and case.proposed_topic
    assert world.people["community_secretary"].notifications.filter(text__contains="建议作为议题").exists()


def test_an_earlier_attempt_does_not_ask_for_guidance(world, as_persona):
    build(world)
    case = accepted_case(world)  # the default 三二一: five more attempts before the last
    page = main(as_persona("mediator").get(f"/mediation/{case.pk}/"))
    assert "这是最后一级的最后一次调解" not in page and 'name="propose_topic"' not in page.split('id="attempt"')[1].split("</details>")[0]
