"""Reads the mediation web pages need beyond selectors.py (written for the pages by medweb; the rules stay in
rules.py, the visibility in `cases_visible_to`).

- who gets the case list (`may_list_cases`): the supervising office staff, and members of a people's mediation
  committee — never other residents (a party follows its own case from the home page and its demand);
- where a mediator or the staff may open a case, and whom they may name as a party;
- the "三二一" progress of a case tier by tier, and the steps a demand's page shows for a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import areas_visible_to, community_depth, person_of_user
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import has_perm

from .choices import AgreementStatus, CaseStatus, MediatorStatus, ObligationStatus, Tier
from .models import Agreement, Attempt, CaseMediator, CaseParty, CommitteeMember, MediationCase
from .rules import MEDIATION_MANAGE, MEDIATION_SUPERVISE, may_view_case


def memberships(user) -> QuerySet[CommitteeMember]:
    person = person_of_user(user)
    if person is None:
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(person_id=person.pk, is_active=True).select_related("committee__area")


def _mediates(user_id: int) -> bool:
    return (CommitteeMember.objects.filter(person__user_id=user_id, is_active=True).exists()
            or CaseMediator.objects.filter(person__user_id=user_id, status=MediatorStatus.ACTIVE).exists())


# Every page's menu asks (调解 for mediators): one query per user per 10 s and process, cleared in the process that
# names a member or a mediator (the others see it within 10 s), as the 成长档案 entry does (cadres.selectors).
_mediators = LocalCache("mediation_mediates", _mediates, watch=(CommitteeMember, CaseMediator, Person), ttl=10.0)


def is_mediator_anywhere(user) -> bool:
    """An active committee member, or an active mediator of some case (a member who left keeps their cases)."""
    return bool(getattr(user, "is_authenticated", False)) and _mediators.get(user.pk)


def may_list_cases(user) -> bool:
    return has_perm(user, MEDIATION_SUPERVISE.name) or is_mediator_anywhere(user)


def case_search(queryset: QuerySet[MediationCase], text: str) -> QuerySet[MediationCase]:
    text = (text or "").strip()
    return queryset.filter(title__icontains=text) if text else queryset


def open_paths(user) -> list[str]:
    """The subtrees where the user may open a case: office scope, and each committee they serve on."""
    paths = set(areas_visible_to(user, MEDIATION_MANAGE.name).filter(level__depth__lte=community_depth())
                .values_list("path", flat=True))
    paths |= set(memberships(user).values_list("committee__path", flat=True))
    return sorted(paths)


def open_areas(user) -> QuerySet[Area]:
    """Places a case may be opened at: communities and the estates/grids in them (and streets for street
    staff), inside `open_paths`."""
    paths = open_paths(user)
    if not paths:
        return Area.objects.none()
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return Area.objects.filter(under, level__depth__lte=community_depth() + 1).select_related("level").order_by("path")


def party_pool(user) -> QuerySet[Person]:
    """Registered people a case opener may name as parties: those living in the subtrees they may open in."""
    paths = open_paths(user)
    if not paths:
        return Person.objects.none()
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return Person.objects.filter(under).select_related("household", "area")


def cases_as_party(person: Person | None) -> QuerySet[MediationCase]:
    """The cases the person is a party to (in person or through their household): the home page's 我的调解."""
    if person is None:
        return MediationCase.objects.none()
    mine = Q(person_id=person.pk) | (Q(household_id=person.household_id) if person.household_id else Q(pk__in=[]))
    return (MediationCase.objects.filter(pk__in=CaseParty.objects.filter(mine).values("case_id"))
            .select_related("dispute_type").order_by("-created_at"))


@dataclass
class TierRow:
    tier: int
    label: str
    area: str
    limit: int
    used: int
    state: str  # done | current | todo | skipped
    attempts: list[Attempt] = field(default_factory=list)


def tier_progress(case: MediationCase) -> list[TierRow]:
    """The three tiers, each with its attempts (as prefetched by `case_for`), what is used of its count and
    whether the case is there now, has passed it or has not reached it."""
    attempts = list(case.attempts.all())
    rows = []
    for tier in Tier:
        limit = case.limit_for(tier)
        done = [a for a in attempts if a.tier == tier]
        if tier == case.tier and not case.is_closed and case.status != CaseStatus.AGREED:
            state = "current"
        elif tier < case.tier or done:
            state = "done"
        else:
            state = "skipped" if limit == 0 else "todo"
        area = done[0].tier_area.name if done else (case.tier_area.name if tier == case.tier and case.tier_area_id
                                                    else "")
        rows.append(TierRow(tier=int(tier), label=str(tier.label), area=area, limit=limit, used=len(done),
                            state=state, attempts=done))
    return rows


def agreement_of(case: MediationCase) -> Agreement | None:
    return (Agreement.objects.filter(case=case)
            .prefetch_related("signatures__party", "signatures__mediator", "obligations__party").first())


# ---- a demand's page: where its case stands ----

@dataclass
class CaseStep:
    label: str
    state: str
    when: object = None
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


def case_steps(user, case: MediationCase) -> list[CaseStep]:
    """受理 → the tiers reached → 调解协议 → 履行与回访 → 结案 → 归档, for the demand's page. A link to the case
    only for those who may open it (its parties, mediators and supervising staff)."""
    link = [(_("查看调解案件"), reverse("web:mediation_detail", args=[case.pk]))] if may_view_case(user, case) else []
    accepted = case.accepted_at is not None
    steps = [CaseStep(_("受理"), "done" if accepted else ("current" if not case.is_closed else "done"),
                      case.accepted_at, _("调解员已受理") if accepted else _("等待调解员受理"), link)]
    attempts = list(case.attempts.all())
    for tier in Tier:
        done = [a for a in attempts if a.tier == tier]
        if not done and tier != case.tier:
            continue
        current = tier == case.tier and case.status == CaseStatus.MEDIATING
        steps.append(CaseStep(str(tier.label), "current" if current else ("done" if done else "todo"),
                              done[-1].held_on if done else None,
                              _("已调解 %(used)s 次（本级至多 %(limit)s 次）") % {"used": len(done),
                                                                         "limit": case.limit_for(tier)}))
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is not None:
        effective = agreement.status == AgreementStatus.EFFECTIVE
        steps.append(CaseStep(_("调解协议"), "done" if effective else "current", agreement.effective_at,
                              _("协议已生效") if effective else _("协议待签署")))
        pending = agreement.obligations.filter(status=ObligationStatus.PENDING).exists()
        steps.append(CaseStep(_("履行与回访"), "done" if case.is_closed else ("current" if effective else "todo"),
                              None, _("履行情况核实中") if pending and effective else ""))
    steps.append(CaseStep(_("结案"), "done" if case.is_closed else "todo", case.closed_at,
                          str(case.get_outcome_display()) if case.outcome else ""))
    if case.status == CaseStatus.ARCHIVED:
        steps.append(CaseStep(_("归档"), "done", None, _("一事一档已封存")))
    return steps
