"""Ending a case: return visit (回访), closing, residents' ratings, archive (一事一档).

Transitions performed here (docs/states/mediationcase.md): `case_close` agreed → closed (event mediation.closed,
outcome 调解成功) once the agreement is effective, every obligation checked and a return visit recorded;
`case_archive` closed → archived (event mediation.archived), then the dossier is stored and the case sealed.
Every way a case closes ends in `after_close`: its demands learn it (demand.mediation_closed) and their reporters
are invited to rate (rating.given on the case counts in the 满意率).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_for_user, person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.reconcile import text_digest
from yishiting.demands.models import Demand
from yishiting.demands.services import demand_mediation_event
from yishiting.handling.choices import Satisfaction
from yishiting.handling.models import Dossier
from yishiting.handling.services.archive import dossier_store
from yishiting.notifications.services import notify_many

from ..choices import AgreementStatus, CaseStatus, MediatorStatus, ObligationStatus, Outcome
from ..dossier import dossier_content
from ..models import Agreement, MediationCase, MediationRating, ReturnVisit
from ..selectors import case_demands
from .base import lock, move, require_manager, require_mediator, require_status, text
from .cases import case_link


@transaction.atomic
def visit_record(*, actor, case: MediationCase, visited_on: date, note: str, resolved: bool = True,
                 visitor: Person | None = None) -> ReturnVisit:
    """回访: a mediator visits the parties after the agreement (or after the top tier) and records what was
    found. Event mediation.visited."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.AGREED, CaseStatus.MEDIATING)
    visitor = visitor or person_of_user(actor)
    if visitor is None:
        raise DomainError("required", _("请选择回访人。"), details={"field": "visitor"})
    if visited_on is None or visited_on > timezone.localdate():
        raise DomainError("invalid_date", _("回访日期不能晚于今天。"), details={"field": "visited_on"})
    visit = ReturnVisit.objects.create(case=locked, visited_on=visited_on, visitor=visitor, resolved=resolved,
                                       note=text(note, "note", _("请填写回访情况。")), recorded_by=actor)
    event_append(subject=locked, kind="mediation.visited", actor=actor, payload={
        "visit": visit.pk, "visited_on": visited_on.isoformat(), "resolved": resolved,
        "sha256": text_digest(visit.note)})
    return visit


@transaction.atomic
def case_close(*, actor, case: MediationCase) -> MediationCase:
    """Close a mediated case: agreed → closed (event mediation.closed, outcome 调解成功). Needs the agreement in
    effect, every obligation checked (a non-performance is recorded, pointing to the court) and a return visit."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.AGREED)
    agreement = Agreement.objects.filter(case=locked).first()
    if agreement is None or agreement.status != AgreementStatus.EFFECTIVE:
        raise Conflict("agreement_not_effective", _("调解协议签署生效后才能结案。"))
    if agreement.obligations.filter(status=ObligationStatus.PENDING).exists():
        raise Conflict("obligations_unchecked", _("还有履行事项未核实，核实后才能结案。"))
    if not locked.visits.exists():
        raise Conflict("no_visit", _("结案前须进行回访。"))
    on_time = bool(locked.deadline) and timezone.localdate() <= locked.deadline
    move(locked, to=CaseStatus.CLOSED, actor=actor, kind="mediation.closed",
         payload={"outcome": Outcome.AGREEMENT, "deadline": locked.deadline.isoformat() if locked.deadline else "",
                  "on_time": on_time, "non_performance": locked.non_performance},
         changes={"outcome": Outcome.AGREEMENT, "closed_at": timezone.now()})
    after_close(actor, locked)
    case.status = locked.status
    return locked


def after_close(actor, case: MediationCase) -> None:
    """A case closed however it ended: its demands learn it, reporters and parties are invited to rate."""
    demands = case_demands(case)
    demand_mediation_event(actor=actor, demands=demands, kind="demand.mediation_closed",
                           payload={"case": case.pk, "outcome": case.outcome})
    people = {d.reporter_id: d.reporter for d in demands if d.reporter_id}
    for party in case.parties.select_related("person"):
        if party.person_id:
            people.setdefault(party.person_id, party.person)
    notify_many(people=list(people.values()), subject=case, link=case_link(case) + "rate/", text=(  # zh-only
        f"调解案件“{case.title[:40]}”已结案（{case.get_outcome_display()}），请评价调解工作（满意、基本满意或不满意）。"))  # zh-only


def _may_rate(person: Person, case: MediationCase) -> bool:
    demands = Demand.objects.filter(Q(mediation=case) | Q(merged_into__mediation=case), reporter=person)
    return demands.exists() or case.parties.filter(person=person).exists()


@transaction.atomic
def case_rate(*, actor, case: MediationCase, value: str, comment: str = "") -> MediationRating:
    """A reporter of the case's demands (or a party) rates the closed case, once, final. Event rating.given
    (path and value: the 满意率 counts it with the topics' and tasks' ratings)."""
    person = person_for_user(actor)
    if person is None:
        raise PermissionDeniedError(_("请先以居民身份登录后再评价。"))
    if value not in Satisfaction.values:
        raise DomainError("invalid_choice", _("请选择满意、基本满意或不满意。"), details={"field": "value"})
    comment = text(comment, "comment", _("选择“不满意”时请写明哪里不满意。"),
                   required=value == Satisfaction.DISSATISFIED, limit=1000)
    locked = lock(case)
    if not _may_rate(person, locked):
        raise PermissionDeniedError(_("只有该案件的诉求人和当事人可以评价。"))
    if locked.status != CaseStatus.CLOSED:
        raise Conflict("not_closed", _("案件%(status)s，结案后（归档前）才能评价。") % {"status": locked.get_status_display()})
    if MediationRating.objects.filter(case=locked, person=person).exists():
        raise Conflict("already_rated", _("您已经评价过了，每人只能评价一次，评价提交后不能修改。"))
    try:
        with transaction.atomic():
            rating = MediationRating.objects.create(case=locked, person=person, value=value, comment=comment)
    except IntegrityError:
        raise Conflict("already_rated", _("您已经评价过了，每人只能评价一次，评价提交后不能修改。")) from None
    is_reporter = Demand.objects.filter(Q(mediation=locked) | Q(merged_into__mediation=locked),
                                        reporter=person).exists()
    event_append(subject=locked, kind="rating.given", actor=actor, payload={
        "rating": rating.pk, "value": value, "reporter": is_reporter, "path": locked.path})
    return rating


@transaction.atomic
def case_archive(*, actor, case: MediationCase) -> Dossier:
    """Seal a closed case into the 一事一档 archive: closed → archived (event mediation.archived), then the
    dossier is stored (public part: that a dispute of this type was mediated, and how it ended — never the
    parties) and the case and its demands are sealed: nothing about them can change afterwards."""
    require_manager(actor, case)
    locked = lock(case)
    if Dossier.objects.filter(mediation=locked).exists():
        raise Conflict("already_archived", _("该案件已经归档，不能重复归档。"))
    require_status(locked, CaseStatus.CLOSED)
    move(locked, to=CaseStatus.ARCHIVED, actor=actor, kind="mediation.archived")
    content: dict[str, Any] = dossier_content(locked, case_demands(locked))
    dossier = dossier_store(actor=actor, content=content, subject=locked, area=locked.area,
                            fields={"mediation": locked})
    case.status = locked.status
    return dossier


def active_mediator_people(case: MediationCase) -> list[Person]:
    return [m.person for m in case.mediators.filter(status=MediatorStatus.ACTIVE).select_related("person")]
