"""The "三二一" tiers: attempts, moving up a tier, and 调解不成.

Transitions performed here (docs/states/mediationcase.md): a successful attempt mediating → agreed (event
mediation.attempt_succeeded); the top tier's last attempt failing mediating → closed in the same call
(mediation.failed, 调解不成, with the guidance given to the parties: 诉调对接); `case_fail` (the mediator ending it
earlier) mediating → closed likewise;
`case_withdraw` open|mediating → closed (mediation.withdrawn). Moving up a tier keeps the case mediating and
appends mediation.escalated (tier and area in the payload: reconcile folds them).

Two mediators recording the same case's attempt at once (say the closing one): the case row is locked first,
so the second waits, then finds the number taken or the tier used up or the case agreed — a Conflict; exactly
one attempt is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.reconcile import text_digest
from yishiting.notifications.services import notify_many

from ..choices import AttemptResult, CaseStatus, MediatorStatus, Outcome, Tier
from ..models import Attempt, CaseParty, MediationCase
from ..rules import may_manage_case
from ..selectors import higher_tier, rules_for
from .base import lock, move, require_mediator, require_open, require_status, text, tier_area
from .cases import _after_close, _office_people, case_link


def _mediators_of(case: MediationCase, people: Sequence[Person]) -> list[Person]:
    """The tier's own mediators hold its attempts: a case moved up to the street is mediated by the street's
    mediators (the community's keep reading the file they handed on, but record nothing more)."""
    if not people:
        raise DomainError("required", _("请选择主持这次调解的调解员。"), details={"field": "mediators"})
    active = set(case.mediators.filter(status=MediatorStatus.ACTIVE, tier=case.tier)
                 .values_list("person_id", flat=True))
    if any(p.pk not in active for p in people):
        raise DomainError("invalid_mediator", _("只能选择本级在任的调解员。"), details={"field": "mediators"})
    return list(people)


def _require_tier_mediator(actor, case: MediationCase) -> None:
    person = person_of_user(actor)
    own = person is not None and case.mediators.filter(person=person, status=MediatorStatus.ACTIVE,
                                                       tier=case.tier).exists()
    if not own and not may_manage_case(actor, case):
        raise PermissionDeniedError(_("只有本级调解员（或本辖区社区两委、街道和区级干部）可以记录本级调解。"))


def _present(case: MediationCase, parties: Sequence[CaseParty]) -> list[CaseParty]:
    ids = {p.pk for p in parties}
    found = list(CaseParty.objects.filter(case=case, pk__in=ids))
    if len(found) != len(ids):
        raise DomainError("invalid_party", _("到场当事人须是本案的当事人。"), details={"field": "parties_present"})
    return found


@dataclass(frozen=True)
class Ending:
    """What the parties are told when the top tier's last attempt fails (调解不成): the other ways (litigation,
    arbitration, administrative channels: 诉调对接), and whether the matter goes back to screening as a topic."""

    guidance: str = ""
    propose_topic: bool = False
    proposal_note: str = ""


@transaction.atomic
def attempt_record(*, actor, case: MediationCase, held_on: date, place: str, mediators: Sequence[Person],
                   parties_present: Sequence[CaseParty], applicant_said: str = "", respondent_said: str = "",
                   result: str, note: str = "", number: int | None = None, ending: Ending = Ending()) -> Attempt:
    """Record one attempt at the case's current tier (numbered 1..the tier's count). Success: mediating → agreed
    (the agreement is drafted next). Failure at the tier's last attempt: the case moves up a tier when the
    template says so (automatically), else waits for `case_escalate`; at the top tier the case ends here as
    调解不成 (mediating → closed), which needs `ending.guidance` — in one transaction with the attempt.
    `number` (optional) is the attempt the caller believes it records: a different next number is a Conflict.
    Events mediation.attempt (+ attempt_succeeded, escalated or failed)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.MEDIATING)
    if result not in AttemptResult.values:
        raise DomainError("invalid_choice", _("请选择调解结果（达成协议或未达成协议）。"), details={"field": "result"})
    if held_on is None or held_on > timezone.localdate():
        raise DomainError("invalid_date", _("调解日期不能晚于今天。"), details={"field": "held_on"})
    # What changed while the caller waited for the lock (the other mediator's attempt, a move up) is a Conflict
    # to refresh on, before asking whether the caller mediates the tier the case is at now.
    used = locked.attempts.filter(tier=locked.tier).count()
    if number is not None and number != used + 1:
        raise Conflict("stale_attempt", _("本级第 %(n)s 次调解已由他人记录，请刷新。") % {"n": number})
    if used >= locked.limit_for(locked.tier):
        raise Conflict("tier_used_up", _("%(tier)s已调解 %(n)s 次，次数已用完。") % {
            "tier": locked.get_tier_display(), "n": used})
    _require_tier_mediator(actor, locked)
    people = _mediators_of(locked, mediators)
    present = _present(locked, parties_present)
    ends = result == AttemptResult.FAILED and used + 1 >= locked.limit_for(locked.tier) and higher_tier(locked) is None
    if ends:
        ending = _checked(ending)
    attempt = Attempt.objects.create(
        case=locked, tier=locked.tier, number=used + 1, tier_area=locked.tier_area or locked.area, held_on=held_on,
        place=text(place, "place", _("请填写调解地点。"), limit=200),
        applicant_said=text(applicant_said, "applicant_said", required=False),
        respondent_said=text(respondent_said, "respondent_said", required=False), result=result,
        note=text(note, "note", required=False), recorded_by=actor)
    attempt.mediators.set(people)
    attempt.parties_present.set(present)
    event_append(subject=locked, kind="mediation.attempt", actor=actor, payload={
        "attempt": attempt.pk, "tier": attempt.tier, "number": attempt.number, "held_on": held_on.isoformat(),
        "result": result, "mediators": [p.pk for p in people], "present": [p.pk for p in present],
        "record_sha256": text_digest("\n".join([attempt.applicant_said, attempt.respondent_said, attempt.note]))})
    if result == AttemptResult.SUCCESS:
        move(locked, to=CaseStatus.AGREED, actor=actor, kind="mediation.attempt_succeeded",
             payload={"attempt": attempt.pk, "tier": attempt.tier})
    elif ends:
        _fail(actor, locked, ending, attempt=attempt)
    elif attempt.number >= locked.limit_for(locked.tier) and rules_for(locked.area).auto_escalate:
        _escalate(actor, locked, reason=_("本级调解次数已用完，自动移交上一级。"), automatic=True)
    case.status, case.tier, case.tier_area_id = locked.status, locked.tier, locked.tier_area_id
    return attempt


def _checked(ending: Ending) -> Ending:
    """The guidance is required to end a case as 调解不成; the proposal's reason when proposing a topic."""
    guidance = text(ending.guidance, "guidance", _("请写明告知当事人的其他解决途径（诉讼、仲裁、行政途径）。"))
    note = text(ending.proposal_note, "proposal_note", _("建议转为议题时请写明理由。"), required=ending.propose_topic)
    return Ending(guidance, bool(ending.propose_topic), note)


def _fail(actor, case: MediationCase, ending: Ending, attempt: Attempt | None = None) -> None:
    """调解不成 on the locked `case`: closed with the guidance; the community's staff are told of a proposal."""
    move(case, to=CaseStatus.CLOSED, actor=actor, kind="mediation.failed",
         payload={"outcome": Outcome.FAILED, "tier": case.tier, "propose_topic": ending.propose_topic,
                  "deadline": case.deadline.isoformat() if case.deadline else "",
                  "attempt": attempt.pk if attempt else None},
         changes={"outcome": Outcome.FAILED, "guidance": ending.guidance, "proposed_topic": ending.propose_topic,
                  "proposal_note": ending.proposal_note, "closed_at": timezone.now()})
    _after_close(actor, case)
    parties = [p.person for p in case.parties.select_related("person") if p.person_id]
    notify_many(people=parties, link=case_link(case), subject=case,  # the other ways, in the parties' hands
                text=f"调解案件“{case.title[:40]}”调解不成，已结案。其他解决途径：{ending.guidance[:200]}")  # zh-only
    if ending.propose_topic:  # the community's staff screen it again as a public matter (they open the topic)
        community = tier_area(case.area, Tier.COMMUNITY)
        notify_many(people=_office_at(community, actor), link=case_link(case), subject=case,
                    text=f"调解不成的纠纷“{case.title[:40]}”涉及公共事务，调解员建议作为议题协商：{ending.proposal_note[:100]}")  # zh-only


def _office_at(area, actor) -> list[Person]:
    from yishiting.areas.choices import Role

    people = Person.objects.filter(roles__path=area.path, roles__is_active=True,
                                   roles__role__in=[Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY]).distinct()
    return list(people.exclude(user_id=getattr(actor, "pk", None)).order_by("pk"))


def _escalate(actor, case: MediationCase, *, reason: str, automatic: bool) -> MediationCase:
    tier = higher_tier(case)
    if tier is None:
        raise Conflict("top_tier", _("已是最高一级调解，不能再移交；调解不成的请结案并告知其他途径。"))
    area = tier_area(case.area, tier)
    previous = case.tier
    case.tier, case.tier_area = tier, area
    case.save(update_fields=["tier", "tier_area"])
    event_append(subject=case, kind="mediation.escalated", actor=actor, payload={
        "from_tier": previous, "tier": tier, "area": area.code, "automatic": automatic, "reason": reason})
    notify_many(people=_office_people(case, actor), text=f"调解案件“{case.title[:40]}”移交{area.name}"  # zh-only
                f"（{case.get_tier_display()}），请指派调解员。", link=case_link(case), subject=case)  # zh-only
    return case


@transaction.atomic
def case_escalate(*, actor, case: MediationCase, reason: str) -> MediationCase:
    """The mediator moves the case up a tier (community → street → district) with its file; the new tier's
    staff are told to assign mediators. No status change (event mediation.escalated)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.MEDIATING)
    _escalate(actor, locked, reason=text(reason, "reason", _("请写明移交上一级的理由。"), limit=1000),
              automatic=False)
    case.tier, case.tier_area_id = locked.tier, locked.tier_area_id
    return locked


@transaction.atomic
def case_fail(*, actor, case: MediationCase, guidance: str, propose_topic: bool = False,
              proposal_note: str = "") -> MediationCase:
    """调解不成: mediating → closed (event mediation.failed) with the guidance given to the parties (litigation,
    arbitration, administrative channels: 诉调对接); where the matter is community-wide the mediator proposes it
    back to screening as a topic (`propose_topic`, the staff are told)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.MEDIATING, CaseStatus.AGREED)
    _fail(actor, locked, _checked(Ending(guidance, propose_topic, proposal_note)))
    case.status = locked.status
    return locked


@transaction.atomic
def case_withdraw(*, actor, case: MediationCase, reason: str, guidance: str = "") -> MediationCase:
    """The parties withdraw (or the dispute resolved itself): open|mediating → closed (event mediation.withdrawn)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_open(locked)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    reason = text(reason, "reason", _("请写明撤回的原因。"), limit=1000)
    move(locked, to=CaseStatus.CLOSED, actor=actor, kind="mediation.withdrawn",
         payload={"outcome": Outcome.WITHDRAWN, "reason": reason,
                  "deadline": locked.deadline.isoformat() if locked.deadline else ""},
         changes={"outcome": Outcome.WITHDRAWN, "guidance": text(guidance, "guidance", required=False),
                  "closed_at": timezone.now()})
    _after_close(actor, locked)
    case.status = locked.status
    return locked
