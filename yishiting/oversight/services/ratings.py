"""Writes of unit ratings: a street's or community's annual evaluation of a unit (one per evaluator, unit and
year; changed until the district closes the year), and closing a year, which keeps every unit's rating as it
stands (the history a property company's 服务信用 is read from)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import PATH_STEP, Area, Organization
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..models import AnnualEvaluation, RatingYear, UnitRating
from ..rating import unit_rating
from ..rules import evaluable_q, evaluator_areas

MAX_COMMENT = 1000


def year_closed(org_or_area, year: int) -> bool:
    return RatingYear.objects.filter(district__path=org_or_area.path[:PATH_STEP], year=year).exists()


def _check(score, comment: str, year) -> tuple[int, str]:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise DomainError("invalid_score", _("得分须是 0 到 100 之间的整数。"), details={"field": "score"})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError("too_long", _("意见不能超过 %(n)s 字。") % {"n": MAX_COMMENT}, details={"field": "comment"})
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise DomainError("invalid_year", _("年度不正确。"), details={"field": "year"})
    return score, comment


@transaction.atomic
def annual_evaluation_save(*, actor, evaluator_area: Area, organization: Organization, year: int, score: int,
                           comment: str = "") -> AnnualEvaluation:
    """The street (of the district departments above it) or the community (of the co-building units serving it)
    gives or changes its score for the year. Event annual_evaluation.saved on the unit."""
    score, comment = _check(score, comment, year)
    if evaluator_area.pk not in {a.pk for a in evaluator_areas(actor)}:
        raise PermissionDeniedError(_("只有镇街干部（评议区直部门）和社区书记（评议共驻共建单位）可以进行年度评议。"))
    if not Organization.objects.filter(evaluable_q(evaluator_area), pk=organization.pk).exists():
        raise DomainError("not_evaluable", _("%(area)s不评议“%(unit)s”：镇街评议区直部门，社区评议本社区的共驻共建单位。")
                          % {"area": evaluator_area.name, "unit": organization.name}, details={"field": "organization"})
    if year_closed(organization, year):
        raise Conflict("year_closed", _("%(year)s 年度评议已关闭，不能再修改。") % {"year": year})
    try:
        with transaction.atomic():
            evaluation, created = AnnualEvaluation.objects.select_for_update().update_or_create(
                evaluator_area=evaluator_area, organization=organization, year=year,
                defaults={"score": score, "comment": comment, "evaluated_by": actor})
    except IntegrityError:  # the same evaluator's other tab, a moment earlier: change that one
        evaluation = AnnualEvaluation.objects.get(evaluator_area=evaluator_area, organization=organization, year=year)
        evaluation.score, evaluation.comment, evaluation.evaluated_by = score, comment, actor
        evaluation.save()
        created = False
    event_append(subject=organization, kind="annual_evaluation.saved", actor=actor, payload={
        "evaluation": evaluation.pk, "evaluator_area": evaluator_area.pk, "year": year, "score": score,
        "created": created})
    return evaluation


@transaction.atomic
def rating_year_close(*, actor, district: Area, year: int) -> RatingYear:
    """Close a district's year: evaluations freeze and each unit of the district with any record gets its kept
    rating (UnitRating, with the derivation). Event rating_year.closed."""
    if district.depth != 1:
        raise DomainError("not_a_district", _("只能按区关闭评级年度。"), details={"field": "district"})
    if not has_perm(actor, "oversight.weights", district):
        raise PermissionDeniedError(_("只有区级干部可以关闭评级年度。"))
    if year >= timezone.localdate().year:
        raise DomainError("year_not_over", _("只能关闭已经结束的年度。"), details={"field": "year"})
    try:
        with transaction.atomic():
            closed = RatingYear.objects.create(district=district, year=year, closed_by=actor)
    except IntegrityError:
        raise Conflict("year_closed", _("%(year)s 年度已关闭。") % {"year": year}) from None
    kept = [unit_rating_keep(org, year) for org in Organization.objects.filter(path__startswith=district.path)]
    event_append(subject=closed, kind="rating_year.closed", actor=actor, new_subject=True,
                 payload={"district": district.pk, "year": year, "units": len([k for k in kept if k])})
    return closed


def unit_rating_keep(org: Organization, year: int) -> UnitRating | None:
    """Store the unit's rating for the year as computed now (None when it has no records at all)."""
    derivation = unit_rating(org, year)
    if derivation.score is None and not any(p.records for p in derivation.parts):
        return None
    kept, _created = UnitRating.objects.update_or_create(
        organization=org, year=year, defaults={"path": org.path, "score": derivation.score, "grade": derivation.grade,
                                               "derivation": derivation.as_dict()})
    return kept
