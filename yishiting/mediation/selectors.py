"""Reads of the mediation app. Every list and page starts from `cases_visible_to` (one definition for web, API
and admin): the parties, the active mediators and the supervising office staff — nobody else (art. 15).

Parties' details are masked (张*, 138****1234) for everyone but the case's active mediators and the supervising
staff (`sees_party_details`); a party sees its own details in full and the other side's masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_of_user
from yishiting.common.masking import mask_address, mask_free_text, mask_mobile, mask_name

from .choices import CaseStatus, MediatorStatus, PartyKind, SignerKind, Tier
from .models import (
    Agreement,
    Attempt,
    CaseMediator,
    CaseParty,
    CommitteeMember,
    DisputeType,
    MediationCase,
    MediationCommittee,
    MediationTemplate,
)
from .rules import is_mediator, may_supervise, party_q, supervised_q

CASE_RELATED = ["area", "tier_area", "dispute_type", "committee"]


def cases_visible_to(user) -> QuerySet[MediationCase]:
    """Cases the user may see: supervised (office role at the case's area or above), mediated (active mediator),
    or their own (a party, in person or through their household)."""
    if not getattr(user, "is_authenticated", False):
        return MediationCase.objects.none()
    query = supervised_q(user)
    person = person_of_user(user)
    if person is not None:
        query |= Q(pk__in=CaseMediator.objects.filter(person_id=person.pk, status=MediatorStatus.ACTIVE)
                   .values("case_id"))
        query |= Q(pk__in=CaseParty.objects.filter(party_q(person)).values("case_id"))
    return MediationCase.objects.filter(query).select_related(*CASE_RELATED)


def cases_filter(queryset: QuerySet[MediationCase], *, status: str | None = None, tier: int | None = None,
                 under: Area | None = None, dispute_type: int | None = None) -> QuerySet[MediationCase]:
    if status:
        queryset = queryset.filter(status=status)
    if tier:
        queryset = queryset.filter(tier=tier)
    if under is not None:
        queryset = queryset.filter(path__startswith=under.path)
    if dispute_type:
        queryset = queryset.filter(dispute_type_id=dispute_type)
    return queryset


def case_for(user, pk: int) -> MediationCase | None:
    """One case with what its page shows, or None (the caller answers 404: an unseen case does not exist)."""
    return (cases_visible_to(user).filter(pk=pk)
            .prefetch_related(Prefetch("parties", queryset=CaseParty.objects.select_related("person")),
                              Prefetch("mediators", queryset=CaseMediator.objects.select_related("person", "member")),
                              Prefetch("attempts", queryset=Attempt.objects.select_related("tier_area")
                                       .prefetch_related("mediators", "parties_present")),
                              "visits", "demands")
            .first())


def sees_party_details(user, case: MediationCase) -> bool:
    return is_mediator(user, case) or may_supervise(user, case)


@dataclass
class PartyView:
    id: int
    side: str
    side_label: str
    kind: str
    name: str
    mobile: str
    address: str
    statement: str
    consent: str
    consent_label: str
    is_self: bool = False


def parties_for(user, case: MediationCase) -> list[PartyView]:
    """The parties as `user` may see them (masked unless a mediator, supervising staff or the party itself)."""
    full = sees_party_details(user, case)
    person = person_of_user(user)
    own_ids = set(case.parties.filter(party_q(person)).values_list("pk", flat=True)) if person else set()
    views = []
    for p in case.parties.all():
        own = p.pk in own_ids
        shown = full or own
        views.append(PartyView(
            id=p.pk, side=p.side, side_label=str(p.get_side_display()), kind=p.kind,
            # An organisation's name is not personal data (its contact's phone still is).
            name=p.name if shown or p.kind == PartyKind.ORGANIZATION else mask_name(p.name), mobile=p.mobile if shown else mask_mobile(p.mobile),
            address=p.address if shown else mask_address(p.address),
            statement=p.statement if shown else mask_free_text(p.statement, [p.name]),
            consent=p.consent, consent_label=str(p.get_consent_display()), is_self=own))
    return views


def attempts_left(case: MediationCase) -> int:
    """Attempts still allowed at the case's current tier (reads the prefetched attempts when there are)."""
    used = sum(1 for a in case.attempts.all() if a.tier == case.tier)
    return max(case.limit_for(case.tier) - used, 0)


def higher_tier(case: MediationCase) -> int | None:
    """The tier a case moves up to from its current one (a template may skip a tier: count 0); None at the top."""
    tier = case.tier + 1
    while tier <= Tier.DISTRICT and case.limit_for(tier) == 0:
        tier += 1
    return tier if tier <= Tier.DISTRICT else None


def next_attempt_is_last(case: MediationCase) -> bool:
    """Would a failed next attempt end the case (the top tier's last one: 调解不成)? Then recording it asks for
    the guidance given to the parties, and the case closes with it."""
    return attempts_left(case) == 1 and higher_tier(case) is None


def mediator_candidates(case: MediationCase) -> QuerySet[CommitteeMember]:
    """Active members of the committees covering the case's place (community, street, district), who are not
    already active mediators of it."""
    busy = case.mediators.filter(status=MediatorStatus.ACTIVE).values("person_id")
    return (CommitteeMember.objects.filter(is_active=True, committee__path__in=case.area.ancestor_paths())
            .exclude(person_id__in=busy).select_related("person", "committee").order_by("committee__path", "pk"))


def committees_visible_to(user) -> QuerySet[MediationCommittee]:
    from yishiting.common.rules import scope_for

    return (MediationCommittee.objects.filter(scope_for(user, "mediation.committees").q("path"))
            .select_related("area").prefetch_related(Prefetch(
                "members", queryset=CommitteeMember.objects.filter(is_active=True).select_related("person"))))


def dispute_types() -> QuerySet[DisputeType]:
    return DisputeType.objects.filter(is_active=True)


@dataclass(frozen=True)
class Rules:
    """The "三二一" rules in force for an area (the nearest template up the tree, else the defaults)."""

    attempts: tuple[int, int, int] = (3, 2, 1)
    limit_days: int = 30
    yellow_percent: int = 80
    escalate_after_days: int = 3
    confirmation_days: int = 30
    auto_escalate: bool = True
    template_id: int | None = None
    tier_limits: tuple[int | None, int | None, int | None] = (None, None, None)  # working days; None: no own limit


def rules_for(area: Area) -> Rules:
    paths = area.ancestor_paths()  # the area's own path included
    template = (MediationTemplate.objects.filter(area__path__in=paths).select_related("area")
                .order_by("-area__path").first())
    if template is None:
        return Rules()
    return Rules(tuple(template.attempts()), template.limit_days, template.yellow_percent,
                 template.escalate_after_days, template.confirmation_days, template.auto_escalate, template.pk,
                 tuple(template.tier_limits()))


@dataclass
class AgreementDocument:
    """What the 调解协议书 says (art. 29), in print order: for the PDF/DOCX (medweb renders it). The API's
    AgreementDocumentOut is derived from these fields, in this order (those marked `internal` left out)."""

    number: str
    committee: str
    tier: int  # the tier that reached the agreement
    level: str  # 社区初调 / 镇街深调 / 区（市）级调解: that tier's name
    form: str
    parties: list[dict[str, Any]]
    dispute_type: str
    facts: str
    disputed_points: str
    responsibilities: str
    content: str
    performance: str
    perform_by: date | None
    obligations: list[dict[str, Any]]
    oral_note: str
    mediators: list[str]
    party_signatures: list[dict[str, Any]]
    mediator_signatures: list[dict[str, Any]]
    stamped_on: date | None
    effective_on: date | None
    confirmation_due: date | None
    status: str
    case_id: int = field(default=0, metadata={"internal": True})
    notes: list[str] = field(default_factory=list, metadata={"internal": True})


def agreement_document(case: MediationCase) -> AgreementDocument | None:
    """The agreement's full content (parties unmasked: the printed agreement is the parties' own record; only
    callers that passed `mediation.view` for this case reach it). None when the case has no agreement."""
    agreement = (Agreement.objects.filter(case=case)
                 .select_related("case__committee", "case__dispute_type", "attempt__tier_area")
                 .prefetch_related("signatures__party", "signatures__mediator", "obligations__party").first())
    if agreement is None:
        return None
    signs = list(agreement.signatures.all())
    tier, committee = _agreement_tier(case, agreement)
    mediators = case.mediators.filter(status=MediatorStatus.ACTIVE).select_related("person")
    # The lines to sign are the mediators of the tier that reached it (lower tiers' mediators keep read access).
    names = ([m.person.name for m in mediators if m.tier == tier] or [m.person.name for m in mediators])
    return AgreementDocument(
        case_id=case.pk, committee=committee.name if committee else "", tier=tier, level=str(Tier(tier).label),
        number=case_number(case), form=agreement.form,
        parties=[{"side": str(p.get_side_display()), "kind": str(p.get_kind_display()), "name": p.name,
                  "mobile": p.mobile, "address": p.address} for p in case.parties.all()],
        dispute_type=case.dispute_type.name if case.dispute_type else "",
        facts=agreement.facts, disputed_points=agreement.disputed_points,
        responsibilities=agreement.responsibilities, content=agreement.content,
        performance=agreement.performance, perform_by=agreement.perform_by,
        obligations=[{"party": o.party.name, "text": o.text, "due_on": o.due_on,
                      "status": str(o.get_status_display())} for o in agreement.obligations.all()],
        oral_note=agreement.oral_note,
        mediators=names,
        party_signatures=[{"name": s.party.name, "method": str(s.get_method_display()), "signed_on": s.signed_on}
                          for s in signs if s.kind == SignerKind.PARTY],
        mediator_signatures=[{"name": s.mediator.name, "signed_on": s.signed_on}
                             for s in signs if s.kind == SignerKind.MEDIATOR],
        stamped_on=agreement.stamped_at.date() if agreement.stamped_at else None,
        effective_on=agreement.effective_at.date() if agreement.effective_at else None,
        confirmation_due=agreement.confirmation_due, status=agreement.status)


def _agreement_tier(case: MediationCase, agreement: Agreement) -> tuple[int, MediationCommittee | None]:
    """The tier where the agreement was reached (its attempt's, else the case's current one) and the committee
    answering there: a case that moved up to the street is stamped by the street's committee, not the
    community's it opened at (人民调解法 art. 29)."""
    attempt = agreement.attempt
    tier = attempt.tier if attempt else case.tier
    area = (attempt.tier_area if attempt else None) or case.tier_area
    committee = (MediationCommittee.objects.filter(path__in=area.ancestor_paths()).order_by("-path").first()
                 if area is not None else None)
    return tier, committee or case.committee


def case_number(case: MediationCase) -> str:
    """调〔2026〕第 12 号: the year it opened and its id (ids never repeat, so the number needs no counter)."""
    year = (case.opened_on or timezone.localdate(case.created_at)).year
    return f"调〔{year}〕第 {case.pk} 号"  # zh-only


def cases_to_rate(person) -> QuerySet[MediationCase]:
    """Closed cases a person may rate: a reporter of its demands or a party, not yet rated by them."""
    if person is None:
        return MediationCase.objects.none()
    return (MediationCase.objects.filter(status=CaseStatus.CLOSED)
            .filter(Q(demands__reporter=person) | Q(parties__person=person)).exclude(ratings__person=person)
            .distinct())


def case_demands(case: MediationCase) -> list:
    """The demands screened into the case and those merged into them (reporters joined)."""
    from yishiting.demands.models import Demand

    direct = list(Demand.objects.filter(mediation=case).select_related("reporter"))
    merged = list(Demand.objects.filter(merged_into__in=direct).select_related("reporter")) if direct else []
    return sorted(direct + merged, key=lambda d: d.pk)
