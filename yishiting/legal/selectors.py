"""Reads of legal services: the pool (and the picker planners and mediators use), the coverage of 一社区一法律顾问,
the consultations each persona sees, and an expert's record."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.common.rules import scope_for

from .choices import Availability, ConsultationStatus
from .models import AdviserPost, Consultation, ConsultationTemplate, Expert, ExpertField

PICK_LIMIT = 20


# ---- the pool ----------------------------------------------------------------------------------------------

def experts_visible_to(user, permission: str = "legal.pool") -> QuerySet[Expert]:
    """Pool members the staff see: those registered in their subtree and the levels above it that serve them
    (a street's planners draw on the district's experts too)."""
    scope = scope_for(user, permission)
    above = Q()
    if not scope.everything:
        ancestors = {p[:n] for p in scope.paths for n in range(PATH_STEP, len(p), PATH_STEP)}
        above = Q(path__in=ancestors)
    return (Expert.objects.filter(scope.q("path") | above)
            .select_related("person", "person__area", "area", "organization").prefetch_related("fields"))


def active_fields(legal_only: bool = False) -> QuerySet[ExpertField]:
    fields = ExpertField.objects.filter(is_active=True)
    return fields.filter(is_legal=True) if legal_only else fields


def near_first(paths: list[str]) -> Case:
    """0 for experts registered at the first (narrowest) path, 1 for the next, …"""
    whens = [When(path=path, then=Value(i)) for i, path in enumerate(paths) if path]
    return Case(*whens, default=Value(len(paths)), output_field=IntegerField())


def pool_pick(*, area: Area | None, field_code: str = "", level: int | None = None, term: str = "",
              limit: int = PICK_LIMIT) -> tuple[list[Expert], bool]:
    """Available pool members of `area`'s district with `field_code` and `level`, the area's own community first,
    then its street, then the district (the meeting invitee picker, `/pick/expert/`, mediation's mediators).
    `term` narrows by the whole name, title or organization. Returns (experts, more)."""
    experts = Expert.objects.filter(is_active=True).exclude(availability=Availability.AWAY)
    paths: list[str] = []
    if area is not None:
        experts = experts.filter(path__startswith=area.path[:PATH_STEP])
        paths = [area.path[:n] for n in range(len(area.path), 0, -PATH_STEP)]
        experts = experts.filter(Q(path__in=paths) | Q(path__startswith=area.path))
    if field_code:
        experts = experts.filter(fields__code=field_code)
    if level:
        experts = experts.filter(level=level)
    term = " ".join((term or "").split())[:50]
    if term:
        experts = experts.filter(Q(person__name=term) | Q(title__contains=term) | Q(organization__name__contains=term)
                                 | Q(fields__name=term))
    found = list(experts.distinct().annotate(near=near_first(paths))
                 .select_related("person", "person__area", "area", "organization").prefetch_related("fields")
                 .order_by("near", "level", "pk")[: limit + 1])
    return found[:limit], len(found) > limit


def expert_label(expert: Expert) -> str:
    """"张* · 区级 · 法律、财务 · 执业律师（某律所）"; names masked (the picker's rows are not audited reads)."""
    fields = "、".join(f.name for f in expert.fields.all())
    who = expert.title + (f"（{expert.organization.name}）" if expert.organization_id else "")
    parts = [str(expert.person), str(expert.get_level_display()), expert.area.name, fields, who,
             expert.availability_label if expert.availability_on() != Availability.AVAILABLE else ""]
    return " · ".join(p for p in parts if p)


# ---- 一社区一法律顾问 --------------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    community: Area
    post: AdviserPost | None  # the post in force today, or the last one
    state: str  # "covered", "lapsed", "missing", "ending"

    @property
    def state_zh(self) -> str:
        """The state as the printed 台账 writes it (records stay Chinese, docs/i18n.md)."""
        return {"covered": "在任", "ending": "30 天内到期", "lapsed": "任期已满", "missing": "未聘任"}[self.state]  # zh-only: the printed 台账

    @property
    def state_label(self) -> str:
        from django.utils.translation import gettext

        return {"covered": gettext("在任"), "ending": gettext("30 天内到期"), "lapsed": gettext("任期已满"),
                "missing": gettext("未聘任")}[self.state]


def coverage(user, today: date | None = None) -> list[CoverageRow]:
    """Every community in the viewer's scope with its adviser: gaps (never appointed, term lapsed) first."""
    today = today or timezone.localdate()
    scope = scope_for(user, "legal.coverage")
    communities = list(Area.objects.filter(scope.q("path"), level__depth=community_depth(), is_active=True)
                       .order_by("path"))
    latest: dict[int, AdviserPost] = {}
    for post in (AdviserPost.objects.filter(community__in=communities, starts_on__lte=today)
                 .select_related("expert__person", "expert__organization").order_by("community_id", "starts_on", "pk")):
        current = latest.get(post.community_id)
        if current is None or post.ends_on >= today or current.ends_on < today:
            latest[post.community_id] = post
    rows = [CoverageRow(c, latest.get(c.pk), _state(latest.get(c.pk), today)) for c in communities]
    order = {"missing": 0, "lapsed": 1, "ending": 2, "covered": 3}
    return sorted(rows, key=lambda r: (order[r.state], r.community.path))


def _state(post: AdviserPost | None, today: date) -> str:
    if post is None:
        return "missing"
    if post.ends_on < today:
        return "lapsed"
    return "ending" if (post.ends_on - today).days <= 30 else "covered"


# ---- consultations ------------------------------------------------------------------------------------------

def answer_days() -> int:
    template = ConsultationTemplate.objects.filter(is_active=True).order_by("order", "pk").first()
    return template.answer_working_days if template else 2


def _thread(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return queryset.select_related("asker", "community", "field", "lawyer__person", "adviser__person")


def consultations_of(person) -> QuerySet[Consultation]:
    return _thread(Consultation.objects.filter(asker=person)) if person else Consultation.objects.none()


def consultations_for_lawyer(expert) -> QuerySet[Consultation]:
    from .rules import lawyer_q

    return _thread(Consultation.objects.filter(lawyer_q(expert)))


def public_board(user) -> QuerySet[Consultation]:
    """Answered questions of the viewer's community (district-wide for staff): what others asked, no names."""
    scope = scope_for(user, "legal.view")
    return _thread(Consultation.objects.filter(scope.q("path"), status__in=[
        ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED]))


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """Every consultation the user may open: their own, the board, a lawyer's and adviser's, staff's subtree."""
    from yishiting.areas.rules import STAFF
    from yishiting.common.rules import active_roles

    from .rules import expert_of, lawyer_q

    person = getattr(user, "person", None) if user.is_authenticated else None
    scope = scope_for(user, "legal.view")
    staff_paths = {r.path for r in active_roles(user) if r.role in STAFF}
    query = Q(asker=person) if person else Q(pk__in=[])
    query |= scope.q("path") & Q(status__in=[ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED])
    if user.is_superuser:
        query = Q()
    for path in staff_paths:
        query |= Q(path__startswith=path)
    expert = expert_of(user)
    if expert is not None:
        query |= lawyer_q(expert)
    return _thread(Consultation.objects.filter(query))


def staff_consultations(user) -> QuerySet[Consultation]:
    scope = scope_for(user, "legal.pool")
    return _thread(Consultation.objects.filter(scope.q("path")))


def due_for_escalation(today: date) -> QuerySet[Consultation]:
    from .transitions import AWAITING_ANSWER

    return Consultation.objects.filter(status__in=AWAITING_ANSWER, due_on__lt=today).order_by("pk")


# ---- an expert's record -------------------------------------------------------------------------------------

@dataclass
class ExpertRecord:
    expert: Expert
    answered: int = 0
    claimed: int = 0
    escalated_from: int = 0  # questions they claimed but left to the adviser
    rated: int = 0
    rating: float | None = None
    median_hours: float | None = None
    meetings: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    recent: list = field(default_factory=list)


def expert_record(expert: Expert) -> ExpertRecord:
    """What the pool's managers judge an expert by: answers, ratings, the median time from question to first
    answer, the meetings they were invited to, the mediation cases they worked and their adviser posts."""
    from yishiting.deliberation.models import Participant

    stats = Consultation.objects.filter(answered_by=expert).aggregate(rated=Count("rating"))
    summary = records_summary([expert])[expert.pk]
    record = ExpertRecord(expert=expert, answered=summary.answered, rated=stats["rated"], rating=summary.rating,
                          median_hours=summary.median_hours)
    record.claimed = Consultation.objects.filter(lawyer=expert).count()
    record.escalated_from = (Consultation.objects.filter(lawyer=expert, escalated_at__isnull=False)
                             .exclude(answered_by=expert).count())
    record.meetings = list(Participant.objects.filter(person=expert.person).select_related("meeting")
                           .order_by("-meeting__starts_at")[:20])
    record.cases = _cases_of(expert)
    record.posts = list(expert.posts.select_related("community").order_by("-starts_on"))
    record.recent = list(_thread(Consultation.objects.filter(Q(lawyer=expert) | Q(adviser=expert)))[:20])
    return record


def _cases_of(expert: Expert) -> list:
    """Mediation cases the expert was assigned to as a mediator (mediation.CaseMediator)."""
    from yishiting.mediation.models import CaseMediator

    return [m.case for m in CaseMediator.objects.filter(person=expert.person).select_related("case")
            .order_by("-assigned_at")[:20]]


def pool_counts(user) -> list[tuple[str, int]]:
    """How many active experts at each level the viewer sees (Kenli: 34 district, 38 street, 94 community)."""
    from yishiting.areas.choices import ExpertLevel

    counts = dict(experts_visible_to(user).filter(is_active=True).values_list("level").annotate(n=Count("pk"))
                  .values_list("level", "n"))
    return [(str(label), counts.get(value, 0)) for value, label in ExpertLevel.choices]


@dataclass
class RecordSummary:
    answered: int = 0
    rating: float | None = None
    median_hours: float | None = None


def records_summary(experts: list[Expert]) -> dict[int, RecordSummary]:
    """Answers, average rating and median response time of a page of experts (two queries)."""
    summary = {e.pk: RecordSummary() for e in experts}
    rows = (Consultation.objects.filter(answered_by__in=experts).values("answered_by")
            .annotate(n=Count("pk"), avg=Avg("rating")))
    for row in rows:
        summary[row["answered_by"]].answered, summary[row["answered_by"]].rating = row["n"], row["avg"]
    hours: dict[int, list[float]] = {}
    for expert_id, asked, answered in Consultation.objects.filter(answered_by__in=experts).values_list(
            "answered_by", "created_at", "answered_at"):
        hours.setdefault(expert_id, []).append((answered - asked).total_seconds() / 3600)
    for expert_id, values in hours.items():
        summary[expert_id].median_hours = statistics.median(values)
    return summary
