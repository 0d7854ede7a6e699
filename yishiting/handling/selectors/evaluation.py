"""Reads of evaluation (评): the rounds a viewer may see, one round's live tally with every figure's working,
who is invited to rate, and what a person has already given.

The tally is exact: counts are integers, the "基本满意" weight is a Decimal from the template and every share is a
Fraction; figures are turned into text (two decimals, half up) only for display, after every comparison is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_for_user
from yishiting.common.paging import SubqueryCount
from yishiting.common.rules import scope_for
from yishiting.deliberation.models import ProcessTemplate, Topic
from yishiting.deliberation.services.topics import lives_in
from yishiting.demands.models import Demand

from ..choices import RoundStatus, Satisfaction, TaskStatus
from ..models import EvaluationRound, OrgAssessment, PartyRating, Rating, Task

DEFAULT_WEIGHTS = {"residents": 60, "parties": 20, "organization": 20}
DEFAULT_BASIC_WEIGHT = Decimal("0.90")
# Shuangyashan's 五方 (一提二议三办四评), the default when a template names no parties.
DEFAULT_PARTIES = [{"code": "residents_committee", "name": gettext_lazy("居委会")}, {"code": "owners_committee", "name": gettext_lazy("业委会")},
                   {"code": "property", "name": gettext_lazy("物业企业")}, {"code": "resident_unit", "name": gettext_lazy("驻区单位")},
                   {"code": "police", "name": gettext_lazy("社区警务")}]
DIMENSIONS = {"residents": gettext_lazy("群众评价"), "parties": gettext_lazy("五方互评"), "organization": gettext_lazy("组织考评")}
VALUE_LABELS = dict(Satisfaction.choices)


# ---- template rules ----

def weights_of(template: ProcessTemplate | None) -> dict[str, int]:
    return dict(template.evaluation_weights) if template is not None and template.evaluation_weights \
        else dict(DEFAULT_WEIGHTS)


def parties_of(template: ProcessTemplate | None) -> list[dict[str, str]]:
    return list(template.mutual_parties) if template is not None and template.mutual_parties \
        else [{**p, "name": str(p["name"])} for p in DEFAULT_PARTIES]


def basic_weight_of(template: ProcessTemplate | None) -> Decimal:
    return Decimal(template.basic_weight) if template is not None else DEFAULT_BASIC_WEIGHT


def percent_text(value: Fraction | None) -> str | None:
    """A share (0–1) as a percent with two decimals, half up — for display only."""
    if value is None:
        return None
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def number_text(value: Fraction | Decimal | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ---- the satisfaction formula, shared by a round's tally and the KPIs ----

@dataclass(frozen=True)
class Satisfied:
    satisfied: int
    basic: int
    dissatisfied: int
    basic_weight: Decimal

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def numerator(self) -> Decimal:
        return Decimal(self.satisfied) + self.basic_weight * self.basic

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.numerator) / self.valid if self.valid else None

    @property
    def dissatisfied_share(self) -> Fraction | None:
        return Fraction(self.dissatisfied, self.valid) if self.valid else None

    def rule(self) -> str:
        return (_("（满意 %(satisfied)s + %(basic_weight)s × 基本满意 %(basic)s）÷ 有效评价 %(valid)s = %(numerator)s ÷ %(valid2)s") % {"satisfied": self.satisfied, "basic_weight": self.basic_weight, "basic": self.basic, "valid": self.valid, "numerator": self.numerator, "valid2": self.valid})

    def as_dict(self) -> dict[str, Any]:
        return {"counts": {Satisfaction.SATISFIED.value: self.satisfied, Satisfaction.BASIC.value: self.basic,
                           Satisfaction.DISSATISFIED.value: self.dissatisfied},
                "numerator": str(self.numerator), "denominator": self.valid, "basic_weight": str(self.basic_weight),
                "percent": percent_text(self.rate), "rule": self.rule()}


def satisfied_from(counts: dict[str, int], basic_weight: Decimal) -> Satisfied:
    return Satisfied(counts.get(Satisfaction.SATISFIED, 0), counts.get(Satisfaction.BASIC, 0),
                     counts.get(Satisfaction.DISSATISFIED, 0), basic_weight)


# ---- a round's tally ----

def _rating_counts(round_: EvaluationRound) -> dict[str, int]:
    return dict(Rating.objects.filter(round=round_).values_list("value").annotate(n=Count("pk")).order_by())


def _parties(round_: EvaluationRound, names: dict[str, str]) -> dict[str, Any]:
    rows = list(PartyRating.objects.filter(round=round_).values("ratee_party")
                .annotate(n=Count("pk"), total=Sum("score")).order_by("ratee_party"))
    count, total = sum(r["n"] for r in rows), sum(r["total"] for r in rows)
    average = Fraction(total, count) if count else None
    return {"count": count, "sum": total, "average": number_text(average), "average_exact": average,
            "by_ratee": [{"code": r["ratee_party"], "name": names.get(r["ratee_party"], r["ratee_party"]),
                          "count": r["n"], "sum": r["total"], "average": number_text(Fraction(r["total"], r["n"]))}
                         for r in rows],
            "rule": _("各方互评得分之和 %(total)s ÷ 评分条数 %(count)s") % {"total": total, "count": count} if count else _("尚无互评")}


def _total(weights: dict[str, int], scores: dict[str, Fraction | None]) -> dict[str, Any]:
    """Weighted total over the dimensions that have a score; a dimension without one gives its weight to the
    others (its weight leaves the denominator), so a round without party ratings is not scored as if they were 0."""
    parts = [{"dimension": key, "name": str(DIMENSIONS[key]), "weight": weights.get(key, 0), "score": number_text(score),
              "product": number_text(score * weights.get(key, 0)) if score is not None else None}
             for key, score in scores.items()]
    counted = [(weights.get(k, 0), s) for k, s in scores.items() if s is not None and weights.get(k, 0)]
    weight_sum = sum(w for w, _ in counted)
    value = sum((s * w for w, s in counted), Fraction(0)) / weight_sum if weight_sum else None
    rule = " + ".join(f"{DIMENSIONS[p['dimension']]} {p['score']} × {p['weight']}" for p in parts
                      if p["score"] is not None and p["weight"]) or _("尚无可计的评价")
    return {"value": number_text(value), "weight_sum": weight_sum, "parts": parts,
            "rule": _("（%(rule)s）÷ 已有得分维度的权重之和 %(weight_sum)s") % {"rule": rule, "weight_sum": weight_sum} if weight_sum else rule}


def round_tally(round_: EvaluationRound) -> dict[str, Any]:
    """The figures of a round now (the same a close stores), each with its numerator, denominator and rule."""
    template = round_.topic.template
    sat = satisfied_from(_rating_counts(round_), basic_weight_of(template))
    names = {p["code"]: p["name"] for p in parties_of(template)}
    parties = _parties(round_, names)
    org = OrgAssessment.objects.filter(round=round_).first()
    scores = {"residents": sat.rate * 100 if sat.rate is not None else None,
              "parties": parties.pop("average_exact"),
              "organization": Fraction(org.score) if org else None}
    dissatisfied = sat.dissatisfied_share
    return {
        "valid": sat.valid, "reporters": Rating.objects.filter(round=round_, is_reporter=True).count(),
        "satisfaction": sat.as_dict(),
        "dissatisfied": {"numerator": sat.dissatisfied, "denominator": sat.valid,
                         "percent": percent_text(dissatisfied),
                         "rule": _("不满意 %(dissatisfied)s ÷ 有效评价 %(valid)s") % {"dissatisfied": sat.dissatisfied, "valid": sat.valid}},
        "parties": parties,
        "organization": {"score": org.score if org else None,
                         "rule": _("组织考评得分 %(score)s") % {"score": org.score} if org else _("尚未考评")},
        "weights": weights_of(template), "total": _total(weights_of(template), scores),
    }


def reopen_due(round_: EvaluationRound, tally: dict[str, Any]) -> bool:
    """Round 1 only; enough valid ratings, and the dissatisfied share strictly above the threshold (exactly)."""
    template = round_.topic.template
    threshold = template.reopen_threshold_percent if template else 30
    minimum = template.reopen_min_ratings if template else 3
    valid, dissatisfied = tally["valid"], tally["dissatisfied"]["numerator"]
    return round_.number == 1 and valid >= minimum and valid > 0 \
        and Fraction(dissatisfied * 100, valid) > threshold


# ---- who may see and who is invited ----

def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    """Rounds of topics in the viewer's handling.view scope (level or scope area), plus rounds of topics whose
    demands the viewer reported (a reporter may live outside the topic's area). Newest first."""
    scope = scope_for(user, "handling.view")
    query = scope.q("topic__path") | scope.q("topic__scope_area_path")
    person = person_for_user(user)
    if person is not None:
        query |= Q(topic__in=reporter_topics(person))
    return (EvaluationRound.objects.filter(query).select_related("topic", "topic__template", "topic__level_area")
            .annotate(rating_count=SubqueryCount(Rating.objects.filter(round=OuterRef("pk"))))
            .order_by("-opened_at", "-pk"))  # counted per listed round, not joined over every round


def round_search(queryset: QuerySet[EvaluationRound], *, status: str = "", text: str = "",
                 area_path: str = "") -> QuerySet[EvaluationRound]:
    """One filter for the API list and the staff page."""
    if status in RoundStatus.values:
        queryset = queryset.filter(status=status)
    if text:
        queryset = queryset.filter(topic__title__icontains=text)
    if area_path:
        queryset = queryset.filter(topic__path__startswith=area_path)
    return queryset


def topic_demands(topic: Topic) -> QuerySet[Demand]:
    """The topic's demands and the duplicates merged into them."""
    return Demand.objects.filter(Q(topic=topic) | Q(merged_into__topic=topic))


def reporter_topics(person: Person) -> QuerySet[Topic]:
    return Topic.objects.filter(Q(demands__reporter=person) | Q(demands__duplicates__reporter=person)).distinct()


def reporter_ids(topic: Topic) -> set[int]:
    return set(topic_demands(topic).filter(reporter__isnull=False).values_list("reporter_id", flat=True))


def residents_in_scope(topic: Topic) -> QuerySet[Person]:
    """Everyone who lives (household) or is registered within the topic's scope — who may rate it."""
    return Person.objects.filter(path__startswith=topic.opinion_path)


def my_rating(round_: EvaluationRound | None, person: Person | None, task: Task | None = None) -> Rating | None:
    if person is None:
        return None
    return Rating.objects.filter(person=person, **({"round": round_} if round_ is not None else {"task": task})).first()


def ratings_of(round_: EvaluationRound) -> QuerySet[Rating]:
    """A round's ratings, newest first (shown with masked names)."""
    return Rating.objects.filter(round=round_).select_related("person").order_by("-created_at", "-pk")


def party_ratings_of(round_: EvaluationRound) -> QuerySet[PartyRating]:
    return PartyRating.objects.filter(round=round_).select_related("rater").order_by("rater_party", "ratee_party")


def current_round(topic: Topic) -> EvaluationRound | None:
    return topic.evaluation_rounds.order_by("-number").first()


def rateable_tasks(person: Person | None) -> QuerySet[Task]:
    """Closed direct-handling tasks (no topic) on the person's own demands."""
    if person is None:
        return Task.objects.none()
    return Task.objects.filter(topic__isnull=True, demands__reporter=person).distinct().order_by("-closed_at")


def may_rate_task(person: Person | None, task: Task | None) -> bool:
    """Whether the reporter of a direct-handling demand is offered the rating of its closed task (once)."""
    return bool(person and task and task.topic_id is None and task.status == TaskStatus.CLOSED
                and task.demands.filter(reporter=person).exists()
                and not Rating.objects.filter(task=task, person=person).exists())


def may_rate(person: Person | None, round_: EvaluationRound, today: date | None = None) -> bool:
    """Whether the rating form is offered: an open round, the person a reporter or living in scope, not yet rated
    (the service checks the same again under the round's lock)."""
    if person is None or round_.status != RoundStatus.OPEN or (today or timezone.localdate()) > round_.closes_on:
        return False
    topic = round_.topic
    eligible = person.pk in reporter_ids(topic) or lives_in(person, topic.opinion_path)
    return eligible and not Rating.objects.filter(round=round_, person=person).exists()
