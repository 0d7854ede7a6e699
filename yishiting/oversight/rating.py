"""A unit's yearly rating and how it was reached, down to the records (the page and the API show this).

Five parts, each 0–100, weighted per district (RatingWeights; defaults 20/20/30/20/10):
- 五方互评 (parties): the mean of the scores other parties gave this unit's party (its organisation kind: a
  property company is rated as 物业) in evaluation rounds opened in the year on topics in the area it serves or
  on which it had a task.
- 组织考评 (organization): the mean of the street's or district's assessment of rounds opened in the year on
  topics where the unit had a task.
- 办理记录 (handling): of the unit's tasks assigned in the year and due by the cut-off (today, or 31 December
  for a past year), the share closed on time × 100, minus a deduction per return (退回), approved extension (延期)
  and reopening (重办); never below 0.
- 年度评议 (evaluation): the mean of the streets' and communities' annual scores of the unit for the year.
- 整改记录 (rectification): of the unit's 整改 items issued in the year and due by the cut-off, the share
  accepted on time × 100 — an item still open past its deadline counts as not on time.
- 应哨记录 (whistles): of the whistles (吹哨) blown in the year that named the unit and were due by the cut-off,
  the share it answered (应哨) by the deadline × 100 — a late answer, or none by the close, counts against it.
A part with no records is left out and the weights of the others scale up; no part at all, no rating.
Score = Σ weight × part ÷ Σ weight, rounded half-up to one decimal. Grade A ≥ 90, B ≥ 80, C ≥ 60, else D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from yishiting.areas.models import PATH_STEP, Area, Organization
from yishiting.common.models import Event
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import OrgAssessment, PartyRating, Task
from yishiting.handling.services.evaluation import PARTY_REPRESENTATIVES

from .choices import ItemStatus, Part
from .models import AnnualEvaluation, RatingWeights, RectificationItem

GRADES = [(90, "A"), (80, "B"), (60, "C")]
PARTY_OF_KIND = {kind: party for party, (_roles, kinds) in PARTY_REPRESENTATIVES.items() for kind in kinds}
DEFAULT_WEIGHTS = RatingWeights()


@dataclass
class PartResult:
    part: str
    weight: int
    score: Fraction | None
    rule: str
    records: list[dict[str, Any]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Derivation:
    organization: Organization
    year: int
    cutoff: date
    parts: list[PartResult]
    score: Decimal | None
    grade: str

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "cutoff": self.cutoff.isoformat(),
                "score": str(self.score) if self.score is not None else None, "grade": self.grade,
                "parts": [{"part": p.part, "weight": p.weight, "rule": p.rule, "figures": p.figures,
                           "score": decimal_of(p.score) if p.score is not None else None, "records": p.records}
                          for p in self.parts]}


def decimal_of(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def weights_for(org: Organization) -> RatingWeights:
    """The weights of the unit's district (its path's first step), or the defaults."""
    district = Area.objects.filter(path=org.path[:PATH_STEP]).first()
    found = RatingWeights.objects.filter(district=district).first() if district else None
    return found or DEFAULT_WEIGHTS


def cutoff_for(year: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    return min(today, date(year, 12, 31))


def _mean(values: list[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _parties(org: Organization, year: int) -> tuple[Fraction | None, list[dict], dict]:
    party = PARTY_OF_KIND.get(org.kind)
    if party is None:
        return None, [], {"party": None}
    task_topics = Task.objects.filter(organization=org, topic__isnull=False).values("topic_id")
    rows = (PartyRating.objects.filter(ratee_party=party, round__opened_at__year=year)
            .filter(Q(round__topic__path__startswith=org.path) | Q(round__topic_id__in=task_topics))
            .select_related("round__topic").order_by("pk"))
    records = [{"kind": "party_rating", "id": r.pk, "round": r.round_id, "topic": r.round.topic.title,
                "rater_party": r.rater_party, "score": r.score} for r in rows]
    return _mean([r["score"] for r in records]), records, {"party": party, "count": len(records)}


def _organization(org: Organization, year: int) -> tuple[Fraction | None, list[dict], dict]:
    task_topics = Task.objects.filter(organization=org, topic__isnull=False).values("topic_id")
    rows = (OrgAssessment.objects.filter(round__topic_id__in=task_topics, round__opened_at__year=year)
            .select_related("round__topic").order_by("pk"))
    records = [{"kind": "org_assessment", "id": a.pk, "round": a.round_id, "topic": a.round.topic.title,
                "score": a.score} for a in rows]
    return _mean([r["score"] for r in records]), records, {"count": len(records)}


def _task_outcome(task: Task, cutoff: date) -> str:
    closed = timezone.localtime(task.closed_at).date() if task.closed_at else None
    if task.status == TaskStatus.CLOSED and closed is not None:
        return "on_time" if closed <= task.deadline else "late"
    return "late" if task.deadline < cutoff else "pending"


def _handling_events(tasks: list[Task]) -> dict[int, dict[str, int]]:
    per_task: dict[int, dict[str, int]] = {t.pk: {"returned": 0, "extended": 0, "reopened": 0} for t in tasks}
    events = Event.objects.filter(subject_type="handling.task", subject_id__in=[str(t.pk) for t in tasks],
                                  kind__in=["task.returned", "task.extended", "task.reopened"])
    for subject_id, kind in events.values_list("subject_id", "kind"):
        per_task[int(subject_id)][kind.split(".", 1)[1]] += 1
    return per_task


def _handling_score(tasks: list[Task], cutoff: date, weights: RatingWeights) -> tuple[Fraction | None, list, dict]:
    marks = _handling_events(tasks)
    records, tally = [], {"on_time": 0, "late": 0, "pending": 0, "returned": 0, "extended": 0, "reopened": 0}
    for task in tasks:
        outcome = _task_outcome(task, cutoff)
        tally[outcome] += 1
        for mark, n in marks[task.pk].items():
            tally[mark] += n
        records.append({"kind": "task", "id": task.pk, "title": task.title, "deadline": task.deadline.isoformat(),
                        "status": task.status, "outcome": outcome, **marks[task.pk]})
    counted = tally["on_time"] + tally["late"]
    if not counted:
        return None, records, {**tally, "counted": 0}
    deduction = (tally["returned"] * weights.per_returned + tally["extended"] * weights.per_extended
                 + tally["reopened"] * weights.per_reopened)
    score = max(Fraction(100 * tally["on_time"], counted) - deduction, Fraction(0))
    return score, records, {**tally, "counted": counted, "deduction": deduction}


def _evaluation(org: Organization, year: int) -> tuple[Fraction | None, list[dict], dict]:
    rows = AnnualEvaluation.objects.filter(organization=org, year=year).select_related("evaluator_area").order_by("pk")
    records = [{"kind": "annual_evaluation", "id": e.pk, "evaluator": e.evaluator_area.name, "score": e.score,
                "comment": e.comment} for e in rows]
    return _mean([r["score"] for r in records]), records, {"count": len(records)}


def _item_outcome(item: RectificationItem, cutoff: date) -> str:
    if item.status == ItemStatus.ACCEPTED and item.accepted_at is not None:
        return "on_time" if timezone.localtime(item.accepted_at).date() <= item.deadline else "late"
    return "late" if item.deadline < cutoff else "pending"


def _rectification(org: Organization, year: int, cutoff: date) -> tuple[Fraction | None, list[dict], dict]:
    items = (RectificationItem.objects.filter(organization=org, list__issued_at__year=year)
             .exclude(status=ItemStatus.CANCELLED).select_related("list").order_by("pk"))
    records, tally = [], {"on_time": 0, "late": 0, "pending": 0}
    for item in items:
        outcome = _item_outcome(item, cutoff)
        tally[outcome] += 1
        records.append({"kind": "rectification_item", "id": item.pk, "list": item.list_id, "number": str(item),
                        "description": item.description[:80], "deadline": item.deadline.isoformat(),
                        "status": item.status, "outcome": outcome, "returns": item.returns})
    counted = tally["on_time"] + tally["late"]
    score = Fraction(100 * tally["on_time"], counted) if counted else None
    return score, records, {**tally, "counted": counted}


def _whistles(org: Organization, year: int, cutoff: date) -> tuple[Fraction | None, list[dict], dict]:
    from yishiting.whistles.rating import response_outcomes  # the app beside handling keeps its own rule

    records = response_outcomes(org, year, cutoff)
    tally = {key: sum(1 for r in records if r["outcome"] == key) for key in ("on_time", "late", "pending")}
    counted = tally["on_time"] + tally["late"]
    return (Fraction(100 * tally["on_time"], counted) if counted else None), records, {**tally, "counted": counted}


RULES = {  # kept in Chinese in the derivation (a record of how the figure was reached); the page translates them
    Part.PARTIES: gettext_noop("其他各方对本单位的五方互评得分的平均分"),
    Part.ORGANIZATION: gettext_noop("本单位承办任务所在议题的组织考评得分的平均分"),
    Part.HANDLING: gettext_noop("按期办结任务数 ÷ 已到期任务数 × 100，减去每次退回、延期、重办的扣分，最低 0 分"),
    Part.EVALUATION: gettext_noop("镇街、社区年度评议得分的平均分"),
    Part.RECTIFICATION: gettext_noop("按期验收销号的整改事项数 ÷ 已到期整改事项数 × 100（逾期未销号的计为未按期）"),
    Part.WHISTLES: gettext_noop("按期应哨次数 ÷ 已到期的吹哨召集次数 × 100（超期应哨、未应哨的计为未按期）"),
}


def grade_of(score: Decimal | None) -> str:
    if score is None:
        return ""
    return next((grade for bound, grade in GRADES if score >= bound), "D")


def unit_rating(org: Organization, year: int, *, today: date | None = None) -> Derivation:
    """The unit's rating for `year` as of today (a past year: as of its last day)."""
    weights, cutoff = weights_for(org), cutoff_for(year, today)
    found = {
        Part.PARTIES: _parties(org, year),
        Part.ORGANIZATION: _organization(org, year),
        Part.HANDLING: _handling_score(list(Task.objects.filter(organization=org, created_at__year=year)
                                            .exclude(status=TaskStatus.CANCELLED).order_by("pk")), cutoff, weights),
        Part.EVALUATION: _evaluation(org, year),
        Part.RECTIFICATION: _rectification(org, year, cutoff),
        Part.WHISTLES: _whistles(org, year, cutoff),
    }
    parts = [PartResult(part=str(part), weight=getattr(weights, str(part)), score=score, rule=RULES[part],
                        records=records, figures=figures) for part, (score, records, figures) in found.items()]
    counted = [p for p in parts if p.score is not None and p.weight > 0]
    total_weight = sum(p.weight for p in counted)
    score = None
    if total_weight:
        exact = sum((p.score * p.weight for p in counted), Fraction(0)) / total_weight
        score = Decimal(decimal_of(exact))
    return Derivation(organization=org, year=year, cutoff=cutoff, parts=parts, score=score, grade=grade_of(score))
