"""The year's ratings of a page of units (the ratings list, its XLSX and the API's list) in a fixed number of
grouped queries, whatever the number of units: the same parts, rules and weights as oversight.rating, which
computes one unit's rating with its records (the detail page, the year's close) in ~7 queries per unit.

Each part is one query grouped by unit (counts and sums, with the outcome rules as conditional counts); the
weights of the units' districts one more. The test compares both on random records (test_rating_batch)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from yishiting.areas.models import PATH_STEP, Organization
from yishiting.common.models import Event
from yishiting.common.paging import SubqueryCount
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import OrgAssessment, PartyRating, Task
from yishiting.handling.services.evaluation import PARTY_REPRESENTATIVES

from .choices import ItemStatus, Part
from .models import AnnualEvaluation, RatingWeights, RectificationItem
from .rating import DEFAULT_WEIGHTS, PARTY_OF_KIND, cutoff_for, decimal_of, grade_of

CHUNK = 500  # units per round of queries (the XLSX lists up to 2,000; SQLite's bound parameters stay few)
MARKS = ("returned", "extended", "reopened")


@dataclass
class Summary:
    """A unit's rating as the lists show it: the score and grade, and each part's score (no records)."""

    organization_id: int
    year: int
    cutoff: date
    score: Decimal | None
    grade: str
    parts: dict[str, Fraction | None] = field(default_factory=dict)


class _Aggregate(Func):
    """An aggregate over a correlated subquery's rows with no GROUP BY (one value per outer row)."""

    output_field = IntegerField()


def _scalar(queryset, function: str, column: str = "pk") -> Subquery:
    return Subquery(queryset.order_by().annotate(_v=_Aggregate(F(column), function=function)).values("_v"))


def _weights(orgs: list[Organization]) -> dict[str, RatingWeights]:
    """District path → its weights (one query); a district without its own keeps the defaults."""
    paths = {org.path[:PATH_STEP] for org in orgs}
    return {w.district.path: w for w in RatingWeights.objects.filter(district__path__in=paths)
            .select_related("district")}


def _topic_parts(ids: list[int], year: int) -> dict[int, dict[str, tuple[int, int]]]:
    """五方互评 and 组织考评 per unit: (count, sum of scores), one query with correlated subqueries."""
    task_topics = Task.objects.filter(organization=OuterRef(OuterRef("pk")), topic__isnull=False).values("topic_id")
    ratings = (PartyRating.objects.filter(ratee_party=OuterRef("ratee"), round__opened_at__year=year)
               .filter(Q(round__topic__path__startswith=OuterRef("path")) | Q(round__topic_id__in=task_topics)))
    assessments = OrgAssessment.objects.filter(round__topic_id__in=task_topics, round__opened_at__year=year)
    ratee = Case(*[When(kind__in=kinds, then=Value(party)) for party, (_roles, kinds) in PARTY_REPRESENTATIVES.items()],
                 default=Value(""), output_field=CharField())
    rows = (Organization.objects.filter(pk__in=ids).order_by().annotate(ratee=ratee)
            .annotate(pn=_scalar(ratings, "COUNT"), ps=_scalar(ratings, "SUM", "score"),
                      on=_scalar(assessments, "COUNT"), os=_scalar(assessments, "SUM", "score"))
            .values_list("pk", "pn", "ps", "on", "os"))
    return {pk: {Part.PARTIES: (pn or 0, ps or 0), Part.ORGANIZATION: (on or 0, os or 0)}
            for pk, pn, ps, on, os in rows}


def _handling(ids: list[int], year: int, cutoff: date) -> dict[int, dict[str, int]]:
    """Per unit: its tasks assigned in the year closed on time, late (closed late, or open past the deadline at
    the cut-off), and their returns, extensions and reopenings (counted from the task's events)."""
    closed = Q(status=TaskStatus.CLOSED, closed_at__isnull=False)
    not_closed = ~Q(status=TaskStatus.CLOSED) | Q(closed_at__isnull=True)
    sid = Cast(OuterRef("pk"), CharField())
    marks = {mark: SubqueryCount(Event.objects.filter(subject_type="handling.task", subject_id=sid,
                                                      kind=f"task.{mark}")) for mark in MARKS}
    rows = (Task.objects.filter(organization_id__in=ids, created_at__year=year).exclude(status=TaskStatus.CANCELLED)
            .order_by().annotate(**{f"m_{k}": v for k, v in marks.items()}).values("organization_id")
            .annotate(on_time=Count("pk", filter=closed & Q(closed_at__date__lte=F("deadline"))),
                      late=Count("pk", filter=(closed & Q(closed_at__date__gt=F("deadline")))
                                 | (not_closed & Q(deadline__lt=cutoff))),
                      **{mark: Sum(f"m_{mark}") for mark in MARKS}))
    return {r["organization_id"]: r for r in rows}


def _evaluations(ids: list[int], year: int) -> dict[int, tuple[int, int]]:
    rows = (AnnualEvaluation.objects.filter(organization_id__in=ids, year=year).order_by()
            .values("organization_id").annotate(n=Count("pk"), s=Sum("score")))
    return {r["organization_id"]: (r["n"], r["s"]) for r in rows}


def _rectification(ids: list[int], year: int, cutoff: date) -> dict[int, tuple[int, int]]:
    """Per unit: (items accepted on time, items late) of the 整改 items issued to it in the year."""
    accepted = Q(status=ItemStatus.ACCEPTED, accepted_at__isnull=False)
    not_accepted = ~Q(status=ItemStatus.ACCEPTED) | Q(accepted_at__isnull=True)
    rows = (RectificationItem.objects.filter(organization_id__in=ids, list__issued_at__year=year)
            .exclude(status=ItemStatus.CANCELLED).order_by().values("organization_id")
            .annotate(on_time=Count("pk", filter=accepted & Q(accepted_at__date__lte=F("deadline"))),
                      late=Count("pk", filter=(accepted & Q(accepted_at__date__gt=F("deadline")))
                                 | (not_accepted & Q(deadline__lt=cutoff)))))
    return {r["organization_id"]: (r["on_time"], r["late"]) for r in rows}


def _share(on_time: int, late: int) -> Fraction | None:
    return Fraction(100 * on_time, on_time + late) if on_time + late else None


def _mean(found: tuple[int, int] | None) -> Fraction | None:
    return Fraction(found[1], found[0]) if found and found[0] else None


def _handling_score(row: dict | None, weights: RatingWeights) -> Fraction | None:
    if not row or not row["on_time"] + row["late"]:
        return None
    deduction = sum((row[mark] or 0) * getattr(weights, f"per_{mark}") for mark in MARKS)
    return max(_share(row["on_time"], row["late"]) - deduction, Fraction(0))


def _compose(org: Organization, year: int, cutoff: date, parts: dict[str, Fraction | None],
             weights: RatingWeights) -> Summary:
    counted = [(getattr(weights, str(part)), score) for part, score in parts.items()
               if score is not None and getattr(weights, str(part)) > 0]
    total = sum(weight for weight, _score in counted)
    score = None
    if total:
        score = Decimal(decimal_of(sum((s * w for w, s in counted), Fraction(0)) / total))
    return Summary(organization_id=org.pk, year=year, cutoff=cutoff, score=score, grade=grade_of(score), parts=parts)


def _chunk(orgs: list[Organization], year: int, cutoff: date) -> dict[int, Summary]:
    from yishiting.whistles.rating import response_tallies  # the app beside handling keeps its own rule

    ids = [org.pk for org in orgs]
    weights, topics = _weights(orgs), _topic_parts(ids, year)
    handling, evaluations = _handling(ids, year, cutoff), _evaluations(ids, year)
    rectification, whistles = _rectification(ids, year, cutoff), response_tallies(ids, year, cutoff)
    found = {}
    for org in orgs:
        w = weights.get(org.path[:PATH_STEP], DEFAULT_WEIGHTS)
        on_topics = topics.get(org.pk, {})
        parts = {
            Part.PARTIES: _mean(on_topics.get(Part.PARTIES)) if org.kind in PARTY_OF_KIND else None,
            Part.ORGANIZATION: _mean(on_topics.get(Part.ORGANIZATION)),
            Part.HANDLING: _handling_score(handling.get(org.pk), w),
            Part.EVALUATION: _mean(evaluations.get(org.pk)),
            Part.RECTIFICATION: _share(*rectification.get(org.pk, (0, 0))),
            Part.WHISTLES: _share(*whistles.get(org.pk, (0, 0))),
        }
        found[org.pk] = _compose(org, year, cutoff, {str(k): v for k, v in parts.items()}, w)
    return found


def unit_ratings(orgs: Iterable[Organization], year: int, *, today: date | None = None) -> dict[int, Summary]:
    """{organization id: Summary} for `orgs` — as oversight.rating.unit_rating scores each, in 8 queries per
    CHUNK units."""
    orgs, cutoff = list(orgs), cutoff_for(year, today)
    found: dict[int, Summary] = {}
    for start in range(0, len(orgs), CHUNK):
        found.update(_chunk(orgs[start:start + CHUNK], year, cutoff))
    return found
