"""Opening a case and getting it accepted: parties, their consent (art. 17), the hearing, the mediators.

Transitions performed here (docs/states/mediationcase.md): creation (status 待受理, event mediation.opened);
`case_accept` open → mediating (mediation.accepted, what the 响应率 counts for a screened demand);
`party_consent` refusing: open|mediating → closed (mediation.refused, outcome 当事人不同意调解, guidance kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Household, Organization, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.calendar import add_working_days
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.reconcile import text_digest
from yishiting.demands.services import demand_mediation_event
from yishiting.notifications.services import notify_many

from ..choices import CaseSource, CaseStatus, Consent, Hearing, MediatorStatus, Outcome, PartyKind, Side
from ..models import CaseMediator, CaseParty, CommitteeMember, DisputeType, MediationCase
from ..rules import is_party, may_manage_case, may_open_case, party_q
from ..selectors import case_demands, rules_for
from .base import (
    committee_for,
    lock,
    move,
    require_manager,
    require_mediator,
    require_status,
    start_tier,
    text,
    tier_area,
)


def case_link(case: MediationCase) -> str:
    return f"/mediation/{case.pk}/"


@dataclass
class PartyInput:
    """A party as entered: a registered person, household or organisation, or just a name (a neighbour who is
    not registered). `name` defaults to the linked record's name."""

    side: str
    kind: str = PartyKind.PERSON
    person: Person | None = None
    household: Household | None = None
    organization: Organization | None = None
    name: str = ""
    mobile: str = ""
    address: str = ""
    statement: str = ""


def _party_fields(data: PartyInput) -> dict:
    if data.side not in Side.values:
        raise DomainError("invalid_choice", _("请选择申请人或被申请人。"), details={"field": "side"})
    if data.kind not in PartyKind.values:
        raise DomainError("invalid_choice", _("当事人类型不正确。"), details={"field": "kind"})
    linked = {PartyKind.PERSON: data.person, PartyKind.HOUSEHOLD: data.household,
              PartyKind.ORGANIZATION: data.organization}[data.kind]
    name = (data.name or "").strip() or (getattr(linked, "name", "") or (str(linked) if linked else ""))
    return {"side": data.side, "kind": data.kind, "person": data.person, "household": data.household,
            "organization": data.organization,
            "name": text(name, "name", _("请填写当事人的姓名或名称。"), limit=200),
            "mobile": text(data.mobile or (data.person.mobile if data.person else ""), "mobile", required=False,
                           limit=20),
            "address": text(data.address, "address", required=False, limit=200),
            "statement": text(data.statement, "statement", required=False)}


def _add_party(actor, case: MediationCase, data: PartyInput, consent: str = Consent.PENDING) -> CaseParty:
    party = CaseParty.objects.create(case=case, consent=consent, **_party_fields(data),
                                     consent_at=timezone.now() if consent != Consent.PENDING else None)
    event_append(subject=case, kind="mediation.party_added", actor=actor, payload={
        "party": party.pk, "side": party.side, "kind": party.kind, "person": party.person_id,
        "name_sha256": text_digest(party.name)})
    return party


def _dispute_type(value: DisputeType | None) -> DisputeType | None:
    if value is not None and not value.is_active:
        raise DomainError("invalid_choice", _("请选择有效的纠纷类型。"), details={"field": "dispute_type"})
    return value


def _create(actor, *, area: Area, title: str, source: str, dispute_type: DisputeType | None,
            hearing: str, demands: Sequence = ()) -> MediationCase:
    rules = rules_for(area)
    tier = start_tier(area)
    today = timezone.localdate()
    due = add_working_days(today, rules.limit_days)
    case = MediationCase.objects.create(
        title=text(title, "title", _("请填写案由。"), limit=200), area=area, path=area.path, created_by=actor,
        source=source, dispute_type=_dispute_type(dispute_type), hearing=hearing, tier=tier,
        tier_area=tier_area(area, tier), attempt_limits=list(rules.attempts), opened_on=today,
        deadline=due.date, committee=committee_for(area))
    event_append(subject=case, kind="mediation.opened", actor=actor, new_subject=True, payload={
        "source": source, "demands": [d.number for d in demands], "tier": tier, "area": area.code,
        "deadline": due.date.isoformat(), "limits": list(rules.attempts), "template": rules.template_id,
        "calendar_warnings": due.warnings})
    return case


@transaction.atomic
def case_open(*, actor, area: Area, title: str, source: str = CaseSource.MEDIATOR,
              parties: Iterable[PartyInput] = (), dispute_type: DisputeType | None = None,
              hearing: str = Hearing.PRIVATE) -> MediationCase:
    """A mediator (a member of a committee covering `area`) or the office staff there open a case directly
    (source 调解员主动调解), or another domain opens one for its own source (法律咨询转入: legal's consultation,
    its thread given as the applicant's statement). Event mediation.opened, then mediation.party_added each."""
    if source not in CaseSource.values or source == CaseSource.SCREENING:
        raise DomainError("invalid_choice", _("案件来源不正确。"), details={"field": "source"})
    if source != CaseSource.CONSULTATION and not may_open_case(actor, area):
        raise PermissionDeniedError(_("只有覆盖该区域的人民调解委员会成员或社区两委、街道和区级干部可以立案。"))
    if hearing not in Hearing.values:
        raise DomainError("invalid_choice", _("请选择公开或不公开调解。"), details={"field": "hearing"})
    case = _create(actor, area=area, title=title, source=source, dispute_type=dispute_type, hearing=hearing)
    for data in parties:
        _add_party(actor, case, data)
    return case


@transaction.atomic
def case_apply(*, actor, area: Area, title: str, statement: str, respondent: PartyInput,
               dispute_type: DisputeType | None = None, hearing: str = Hearing.PRIVATE) -> MediationCase:
    """A resident applies for mediation (当事人申请): they are the applicant and, having applied, agree to be
    mediated; the respondent is asked by the mediator. Event mediation.opened (source application)."""
    person = person_of_user(actor)
    if person is None:
        raise PermissionDeniedError(_("请先以居民身份登录后再申请调解。"))
    if hearing not in Hearing.values:
        raise DomainError("invalid_choice", _("请选择公开或不公开调解。"), details={"field": "hearing"})
    case = _create(actor, area=area, title=title, source=CaseSource.APPLICATION, dispute_type=dispute_type,
                   hearing=hearing)
    _add_party(actor, case, PartyInput(side=Side.APPLICANT, person=person,
                                       statement=text(statement, "statement", _("请写明纠纷的事实和您的请求。"))),
               consent=Consent.AGREED)
    _add_party(actor, case, PartyInput(**{**respondent.__dict__, "side": Side.RESPONDENT}))
    notify_many(people=_office_people(case, actor), text=f"收到一件调解申请“{case.title[:40]}”，请指派调解员。",  # zh-only
                link=case_link(case), subject=case)
    return case


def case_open_from_demands(*, actor, demands: Sequence, level_area: Area, title: str = "",
                           dispute_type: DisputeType | None = None) -> MediationCase:
    """What screening a dispute to mediation opens (called by yishiting.loop inside demand_screen's
    transaction): the case at the screening level, each reporter an applicant. The demands are linked by
    screening itself (Demand.mediation)."""
    case = _create(actor, area=level_area, title=title or demands[0].text[:200], source=CaseSource.SCREENING,
                   dispute_type=dispute_type, hearing=Hearing.PRIVATE, demands=demands)
    seen: set[int] = set()
    for demand in demands:
        reporter = demand.reporter if demand.reporter_id else None
        # An anonymous reporter is never named to anyone: the mediator registers the parties after talking to them.
        if reporter is not None and reporter.pk not in seen and demand.reporter_kind != "anonymous":
            seen.add(reporter.pk)
            _add_party(actor, case, PartyInput(side=Side.APPLICANT, person=reporter, statement=demand.text))
    notify_many(people=_office_people(case, actor), text=f"诉求转入调解“{case.title[:40]}”，请指派调解员。",  # zh-only
                link=case_link(case), subject=case)
    return case


def _office_people(case: MediationCase, actor=None) -> list[Person]:
    """The office staff at the tier's area, who assign its mediators (whoever acted is not told of it)."""
    from yishiting.areas.choices import Role

    area = case.tier_area or case.area
    people = (Person.objects.filter(roles__path=area.path, roles__is_active=True,
                                    roles__role__in=[Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY,
                                                     Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL])
              .distinct().order_by("pk"))
    return list(people.exclude(user_id=actor.pk) if getattr(actor, "pk", None) else people)


# ---- parties ----

@transaction.atomic
def party_add(*, actor, case: MediationCase, party: PartyInput) -> CaseParty:
    """A mediator or the managing staff add a party (a second respondent, an applicant's household …) before
    the case ends. Event mediation.party_added (the name only as a digest: events are not masked)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    return _add_party(actor, locked, party)


@transaction.atomic
def party_state(*, actor, case: MediationCase, party: CaseParty, statement: str) -> CaseParty:
    """Record the facts and request as a party states them (the party itself, or a mediator writing them down).
    Event mediation.statement (digest only)."""
    if not (is_party(actor, case) and _is_own(actor, party)):
        require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    party = _party_of(locked, party)
    party.statement = text(statement, "statement", _("请写明事实和请求。"))
    party.save(update_fields=["statement"])
    event_append(subject=locked, kind="mediation.statement", actor=actor,
                 payload={"party": party.pk, "sha256": text_digest(party.statement)})
    return party


def _is_own(actor, party: CaseParty) -> bool:
    """Is `party` the caller (in person, through their household, or as their organisation's representative)?"""
    person = person_of_user(actor)
    return person is not None and CaseParty.objects.filter(party_q(person), pk=party.pk).exists()


def _party_of(case: MediationCase, party: CaseParty) -> CaseParty:
    found = CaseParty.objects.filter(pk=party.pk, case=case).first()
    if found is None:
        raise DomainError("invalid_party", _("该当事人不属于本案件。"), details={"field": "party"})
    return found


@transaction.atomic
def party_consent(*, actor, case: MediationCase, party: CaseParty, agreed: bool, note: str = "",
                  guidance: str = "") -> CaseParty:
    """A party says whether it agrees to be mediated (art. 17) — itself, or a mediator/staff recording what it
    said. Agreeing: event mediation.consented. Refusing: the case is not mediated — open|mediating → closed
    (event mediation.refused, outcome 当事人不同意调解) with the guidance given (诉讼、仲裁、行政途径)."""
    if not (is_party(actor, case) and _is_own(actor, party)):
        require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    party = _party_of(locked, party)
    note = text(note, "note", required=False, limit=1000)
    if agreed:
        party.consent, party.consent_note, party.consent_at = Consent.AGREED, note, timezone.now()
        party.save(update_fields=["consent", "consent_note", "consent_at"])
        event_append(subject=locked, kind="mediation.consented", actor=actor, payload={"party": party.pk})
        return party
    guidance = text(guidance, "guidance", _("当事人不同意调解时，须写明告知其的其他解决途径（诉讼、仲裁、行政途径）。"))
    party.consent, party.consent_note, party.consent_at = Consent.REFUSED, note, timezone.now()
    party.save(update_fields=["consent", "consent_note", "consent_at"])
    move(locked, to=CaseStatus.CLOSED, actor=actor, kind="mediation.refused",
         payload={"party": party.pk, "outcome": Outcome.REFUSED, "deadline": _iso(locked.deadline)},
         changes={"outcome": Outcome.REFUSED, "guidance": guidance, "closed_at": timezone.now()})
    _after_close(actor, locked)
    return party


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _after_close(actor, case: MediationCase) -> None:
    from .closing import after_close  # closing owns what a closed case tells its demands and residents

    after_close(actor, case)


@transaction.atomic
def case_set_hearing(*, actor, case: MediationCase, hearing: str, party: CaseParty | None = None) -> MediationCase:
    """Public or not (art. 23: the parties may ask either way): a party asks, or the mediator decides. Event
    mediation.hearing."""
    if hearing not in Hearing.values:
        raise DomainError("invalid_choice", _("请选择公开或不公开调解。"), details={"field": "hearing"})
    if party is not None and is_party(actor, case) and _is_own(actor, party):
        pass  # the party's own wish
    else:
        require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    locked.hearing = hearing
    locked.save(update_fields=["hearing"])
    event_append(subject=locked, kind="mediation.hearing", actor=actor,
                 payload={"hearing": hearing, "party": party.pk if party else None})
    case.hearing = hearing
    return locked


# ---- mediators ----

def _member_for(case: MediationCase, person: Person) -> CommitteeMember | None:
    return (CommitteeMember.objects.filter(person=person, is_active=True, committee__path__in=case.area.ancestor_paths())
            .order_by("-committee__path").first())


@transaction.atomic
def mediator_assign(*, actor, case: MediationCase, person: Person, lead: bool = False,
                    chosen_by: CaseParty | None = None) -> CaseMediator:
    """The managing staff assign a mediator — a member of a committee covering the case's place — at the
    case's current tier; `chosen_by` records that a party chose them (art. 19). Event mediation.mediator_assigned."""
    require_manager(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    member = _member_for(locked, person)
    if member is None:
        raise DomainError("not_a_member", _("调解员须是覆盖该区域的人民调解委员会的在任成员。"),
                          details={"field": "person"})
    if locked.parties.filter(person=person).exists():
        raise DomainError("conflict_of_interest", _("当事人不能担任本案调解员。"), details={"field": "person"})
    if chosen_by is not None:
        chosen_by = _party_of(locked, chosen_by)
    try:
        with transaction.atomic():
            mediator = CaseMediator.objects.create(case=locked, person=person, member=member, tier=locked.tier,
                                                   is_lead=lead, chosen_by=chosen_by, assigned_by=actor)
    except IntegrityError:
        raise Conflict("already_assigned", _("该调解员已在本案中。")) from None
    event_append(subject=locked, kind="mediation.mediator_assigned", actor=actor, payload={
        "mediator": mediator.pk, "person": person.pk, "tier": locked.tier, "lead": lead,
        "chosen_by": chosen_by.pk if chosen_by else None})
    notify_many(people=[person], text=f"您被指派为调解案件“{locked.title[:40]}”的调解员。",  # zh-only
                link=case_link(locked), subject=locked)
    return mediator


def _end_mediator(actor, case: MediationCase, mediator: CaseMediator, status: str, reason: str,
                  kind: str, payload: dict) -> CaseMediator:
    found = CaseMediator.objects.select_for_update().filter(pk=mediator.pk, case=case).first()
    if found is None or found.status != MediatorStatus.ACTIVE:
        raise Conflict("not_active", _("该调解员已不在本案中。"))
    found.status, found.reason, found.ended_at = status, reason, timezone.now()
    found.save(update_fields=["status", "reason", "ended_at"])
    event_append(subject=case, kind=kind, actor=actor, payload={"mediator": found.pk, "person": found.person_id,
                                                                 **payload})
    return found


@transaction.atomic
def mediator_refuse(*, actor, case: MediationCase, mediator: CaseMediator, party: CaseParty,
                    reason: str = "") -> CaseMediator:
    """A party refuses a mediator (art. 19) — itself, or staff recording it: the mediator leaves the case.
    Event mediation.mediator_refused."""
    if not (is_party(actor, case) and _is_own(actor, party)):
        require_manager(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING)
    party = _party_of(locked, party)
    return _end_mediator(actor, locked, mediator, MediatorStatus.REFUSED,
                         text(reason, "reason", required=False, limit=1000), "mediation.mediator_refused",
                         {"party": party.pk})


@transaction.atomic
def mediator_step_aside(*, actor, case: MediationCase, mediator: CaseMediator, reason: str) -> CaseMediator:
    """A mediator with a conflict of interest steps aside (回避) — by their own word or the staff's decision.
    Event mediation.mediator_stepped_aside."""
    person = person_of_user(actor)
    if person is None or person.pk != mediator.person_id:
        require_manager(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.OPEN, CaseStatus.MEDIATING, CaseStatus.AGREED)
    return _end_mediator(actor, locked, mediator, MediatorStatus.STEPPED_ASIDE,
                         text(reason, "reason", _("请写明回避理由。"), limit=1000),
                         "mediation.mediator_stepped_aside", {})


# ---- acceptance ----

@transaction.atomic
def case_accept(*, actor, case: MediationCase) -> MediationCase:
    """An assigned mediator accepts the case once every party has agreed to be mediated: open → mediating
    (event mediation.accepted: a screened demand counts as responded to now, in the 响应率)."""
    locked = lock(case)
    person = person_of_user(actor)
    mediators = locked.mediators.filter(status=MediatorStatus.ACTIVE)
    own = person is not None and mediators.filter(person=person).exists()
    # The mediator accepts; the managing staff may record it for them, once someone is assigned.
    if not own and not (may_manage_case(actor, locked) and mediators.exists()):
        raise PermissionDeniedError(_("须先指派调解员，由调解员受理。"))
    require_status(locked, CaseStatus.OPEN)
    parties = list(locked.parties.all())
    if not any(p.side == Side.APPLICANT for p in parties) or not any(p.side == Side.RESPONDENT for p in parties):
        raise DomainError("parties_missing", _("受理前须登记申请人和被申请人。"))
    waiting = [p for p in parties if p.consent != Consent.AGREED]
    if waiting:
        raise DomainError("consent_missing", _("还有 %(n)s 位当事人未确认同意调解（人民调解以自愿为原则）。")
                          % {"n": len(waiting)}, details={"parties": [p.pk for p in waiting]})
    demands = case_demands(locked)
    moved = move(locked, to=CaseStatus.MEDIATING, actor=actor, kind="mediation.accepted",
                 payload={"demands": [d.number for d in demands], "tier": locked.tier},
                 changes={"accepted_at": timezone.now(), "accepted_by": actor})
    # The 响应率 counts a demand screened to mediation as answered now (handling.kpis reads this event).
    demand_mediation_event(actor=actor, demands=demands, kind="demand.mediation_accepted", payload={"case": locked.pk})
    people = [p.person for p in parties if p.person_id]
    notify_many(people=people, text=f"您的调解案件“{locked.title[:40]}”已受理，调解员将与您约定调解时间。",  # zh-only
                link=case_link(locked), subject=locked)
    case.status = moved.status
    return moved
