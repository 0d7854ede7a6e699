"""The "三二一" tiers: attempts numbered per tier, moving up (automatically or by the mediator), the template's
counts, and 调解不成 with guidance at the top."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.common.testing import run_verify
from yishiting.mediation.choices import CaseStatus, Outcome, Tier
from yishiting.mediation.models import Attempt, MediationTemplate
from yishiting.mediation.services import (
    Ending,
    attempt_record,
    case_escalate,
    case_fail,
    mediator_assign,
    template_save,
)

from .world import accepted_case, fail_tier

pytestmark = pytest.mark.django_db


def _attempt(world, case, persona="mediator", **overrides):
    fields = {"held_on": date.today(), "place": "幸福苑社区调解室", "mediators": [world.people[persona]],
              "parties_present": list(case.parties.all()), "applicant_said": "要求赔偿天花板维修费 2000 元",
              "respondent_said": "只同意承担一半", "result": "failed"}
    return attempt_record(actor=world.users[persona], case=case, **{**fields, **overrides})


def test_three_failed_community_attempts_move_the_case_to_the_street(world, med):
    case = accepted_case(world)
    fail_tier(world, case, "mediator", 2)
    case.refresh_from_db()
    assert case.tier == Tier.COMMUNITY and list(case.attempts.values_list("number", flat=True)) == [1, 2]
    _attempt(world, case)
    case.refresh_from_db()
    assert case.tier == Tier.STREET and case.tier_area == world.areas["S1"] and case.status == CaseStatus.MEDIATING
    moved = Event.objects.get(subject_type="mediation.mediationcase", subject_id=str(case.pk),
                              kind="mediation.escalated")
    assert moved.payload["automatic"] is True and moved.payload["tier"] == Tier.STREET
    # The street's mediators take over; the community's mediator records no street attempt.
    with pytest.raises(PermissionDeniedError):
        _attempt(world, case, persona="mediator")
    mediator_assign(actor=world.users["street_official"], case=case, person=world.people["street_mediator"])
    with pytest.raises(DomainError) as not_this_tier:
        _attempt(world, case, persona="street_mediator", mediators=[world.people["mediator"]])
    assert not_this_tier.value.code == "invalid_mediator" and "本级" in not_this_tier.value.message


def test_the_street_tier_allows_two_and_the_district_one_whose_failure_ends_the_case(world, med):
    case = accepted_case(world)
    fail_tier(world, case, "mediator", 3)
    mediator_assign(actor=world.users["street_official"], case=case, person=world.people["street_mediator"])
    fail_tier(world, case, "street_mediator", 2)
    case.refresh_from_db()
    assert case.tier == Tier.DISTRICT and case.tier_area == world.areas["D"]
    mediator_assign(actor=world.users["district_official"], case=case, person=world.people["district_mediator"])
    with pytest.raises(Conflict) as top:
        case_escalate(actor=world.users["district_mediator"], case=case, reason="再试")
    assert top.value.code == "top_tier"
    # The top tier's last attempt failing ends the case: without the guidance nothing is written.
    events = Event.objects.count()
    with pytest.raises(DomainError) as no_guidance:
        _attempt(world, case, persona="district_mediator")
    assert no_guidance.value.details == {"field": "guidance"} and "诉讼" in no_guidance.value.message
    with pytest.raises(DomainError) as no_reason:
        _attempt(world, case, persona="district_mediator", ending=Ending(guidance="可向法院起诉。", propose_topic=True))
    assert no_reason.value.details == {"field": "proposal_note"}
    assert Event.objects.count() == events and Attempt.objects.filter(case=case).count() == 5
    _attempt(world, case, persona="district_mediator", ending=Ending(
        guidance="告知双方可向人民法院起诉（诉调对接）。", propose_topic=True,
        proposal_note="本楼多户存在同类管道问题，建议作为议题协商。"))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.FAILED and case.proposed_topic
    assert case.guidance == "告知双方可向人民法院起诉（诉调对接）。"
    failed = Event.objects.get(subject_type="mediation.mediationcase", subject_id=str(case.pk), kind="mediation.failed")
    assert failed.payload["attempt"] == Attempt.objects.get(case=case, tier=Tier.DISTRICT).pk
    assert world.people["community_secretary"].notifications.filter(text__contains="建议作为议题").exists()
    assert world.people["resident"].notifications.filter(text__contains="调解不成").exists()  # invited to rate
    assert world.people["resident"].notifications.filter(text__contains="其他解决途径：告知双方可向人民法院起诉").exists()
    with pytest.raises(Conflict):
        _attempt(world, case, persona="district_mediator")
    assert Attempt.objects.filter(case=case).count() == 6
    passed, output = run_verify()  # status, tier (folded from mediation.opened/escalated) and outcome reconcile
    assert passed, output


def test_the_mediator_may_end_a_case_as_failed_before_the_top_tier_with_guidance(world, med):
    case = accepted_case(world)
    fail_tier(world, case, "mediator", 1)
    with pytest.raises(DomainError) as no_guidance:
        case_fail(actor=world.users["mediator"], case=case, guidance="")
    assert no_guidance.value.details == {"field": "guidance"}
    case_fail(actor=world.users["mediator"], case=case, guidance="申请人决定直接起诉，已告知诉讼途径。")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.FAILED and case.tier == Tier.COMMUNITY


def test_the_mediator_moves_the_case_up_before_the_tier_is_used(world, med):
    case = accepted_case(world)
    _attempt(world, case)
    with pytest.raises(DomainError):
        case_escalate(actor=world.users["mediator"], case=case, reason="")
    with pytest.raises(PermissionDeniedError):
        case_escalate(actor=world.users["bystander"], case=case, reason="我想移交")
    case_escalate(actor=world.users["mediator"], case=case, reason="涉及物业公共管道，需街道协调")
    case.refresh_from_db()
    assert case.tier == Tier.STREET


def test_a_bad_attempt_writes_nothing(world, med):
    case = accepted_case(world)
    events = Event.objects.count()
    for overrides, field in [({"result": "maybe"}, "result"), ({"place": " "}, "place"),
                             ({"held_on": date.today() + timedelta(days=1)}, "held_on"),
                             ({"mediators": []}, "mediators")]:
        with pytest.raises(DomainError) as refused:
            _attempt(world, case, **overrides)
        assert refused.value.details == {"field": field} and refused.value.message
    with pytest.raises(Conflict) as stale:
        _attempt(world, case, number=2)
    assert stale.value.code == "stale_attempt"
    assert Attempt.objects.filter(case=case).count() == 0 and Event.objects.count() == events


def test_a_successful_attempt_means_agreement(world, med):
    case = accepted_case(world)
    _attempt(world, case, result="success")
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    with pytest.raises(Conflict):
        _attempt(world, case)


def test_the_areas_template_sets_the_counts(world, med):
    template_save(actor=world.users["admin"], area=world.areas["S1"], name="二一一", community_attempts=2,
                  street_attempts=1, district_attempts=1, limit_days=20)
    case = accepted_case(world)
    assert case.attempt_limits == [2, 1, 1]
    fail_tier(world, case, "mediator", 2)
    case.refresh_from_db()
    assert case.tier == Tier.STREET
    # A template edited later does not change a running case.
    MediationTemplate.objects.filter(area=world.areas["S1"]).update(street_attempts=5)
    case.refresh_from_db()
    assert case.limit_for(Tier.STREET) == 1
    with pytest.raises(DomainError) as zero:
        template_save(actor=world.users["admin"], area=world.areas["C1"], community_attempts=0, street_attempts=0,
                      district_attempts=0)
    assert "不能都为 0" in zero.value.message
    with pytest.raises(PermissionDeniedError):
        template_save(actor=world.users["community_secretary"], area=world.areas["C1"])
