"""Unit-rating pages for the officials who commission the units: the year's ratings of the units they see (search,
pagination, XLSX), one unit's rating with every part's figures and records and its kept history (a property
company's 服务信用), and the street's or community's annual evaluation form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Organization
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.common.paging import COUNT_CAP, capped_count
from yishiting.common.xlsx import Column, xlsx_of
from yishiting.oversight import selectors
from yishiting.oversight.models import AnnualEvaluation
from yishiting.oversight.rating import unit_rating
from yishiting.oversight.rules import evaluable_q, evaluator_areas, may_evaluate
from yishiting.oversight.services.ratings import annual_evaluation_save

from ..forms.oversight import EvaluationForm, RatingFilter
from .common import paginate, parse_pk, permission_required

PAGES = "web/pages/oversight/"


def _year(form: RatingFilter) -> int:
    return (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year


def _units(request: HttpRequest, form: RatingFilter):
    units = selectors.units_rated_for(request.user)
    if form.is_valid() and form.cleaned_data.get("q"):
        units = units.filter(name__icontains=form.cleaned_data["q"].strip())
    return units


@permission_required("oversight.ratings_view")
@heavy_read
def unit_rating_list(request: HttpRequest) -> HttpResponse:
    """The units with records for the year first (the rest read "本年度无记录" after them); when no unit has
    any, an empty state says what makes a rating, and the units are listed only on asking (`all=1`)."""
    form = RatingFilter(request.GET or None)
    year = _year(form)
    units = selectors.units_by_records(_units(request, form), year)
    # Each count stops at COUNT_CAP + 1 units (issue 18: no page counts its whole list).
    rated, unrated = (capped_count(units.filter(has_records=flag), COUNT_CAP) for flag in (True, False))
    listed = rated > 0 or request.GET.get("all") == "1"
    page = paginate(request, units if listed else units.none())
    ratings = selectors.year_ratings(list(page), year)
    return render(request, PAGES + "ratings.html", {
        "form": form, "page": page, "year": year, "rows": [(org, ratings[org.pk]) for org in page],
        "rated": min(rated, COUNT_CAP), "unrated": min(unrated, COUNT_CAP), "listed": listed,
        "counts_capped": max(rated, unrated) > COUNT_CAP,
        "may_evaluate": may_evaluate(request.user)})


@permission_required("oversight.ratings_view")
@heavy_read
def unit_rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(selectors.units_rated_for(request.user), pk=pk)
    form = RatingFilter(request.GET or None)
    year, history = _year(form), selectors.rating_history(org)
    rated = [h for h in history if h.score is not None]  # the years table lists years with a rating only
    return render(request, PAGES + "rating_detail.html", {
        "org": org, "year": year, "d": unit_rating(org, year), "history": rated, "form": form,
        "empty_years": len(history) - len(rated), "year_kept": any(h.year == year for h in history)})


EXPORT_COLUMNS = [  # zh-only: the printed 台账
    Column("单位", 30, lambda r: r[0].name),  # zh-only: the printed 台账
    Column("类型", 14, lambda r: str(r[0].get_kind_display())),  # zh-only: the printed 台账
    Column("服务区域", 20, lambda r: r[0].area.name),  # zh-only: the printed 台账
    Column("综合得分", 10, lambda r: float(r[1].score) if r[1].score is not None else None),  # zh-only: the printed 台账
    Column("等次", 6, lambda r: r[1].grade),  # zh-only: the printed 台账
]


@permission_required("oversight.ratings_view")
@heavy_read
def unit_rating_export(request: HttpRequest) -> HttpResponse:
    form = RatingFilter(request.GET or None)
    year = _year(form)
    units = list(selectors.units_by_records(_units(request, form), year)[:2000])
    ratings = selectors.year_ratings(units, year)
    data = xlsx_of([(org, ratings[org.pk]) for org in units], EXPORT_COLUMNS, title=f"{year}年度单位评级")  # zh-only: the printed 台账
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="unit-ratings-{year}.xlsx"'
    return response


@permission_required("oversight.evaluate")
def unit_evaluate(request: HttpRequest) -> HttpResponse:
    areas = evaluator_areas(request.user)
    if not areas:
        raise Http404
    year = timezone.localdate().year
    units = list(Organization.objects.filter(_any(areas)).order_by("path", "name"))
    form = EvaluationForm(request.POST or None, evaluators=areas, units=units,
                          initial=_initial(areas, request.GET.get("unit", ""), year))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            annual_evaluation_save(actor=request.user, evaluator_area=get_object_or_404(Area, pk=d["evaluator"]),
                                   organization=get_object_or_404(Organization, pk=d["organization"]), year=year,
                                   score=d["score"], comment=d["comment"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("年度评议已保存，关闭年度前可以修改。"))
            return redirect("web:unit_evaluate")
    given = AnnualEvaluation.objects.filter(evaluator_area__in=areas, year=year).select_related("organization",
                                                                                                 "evaluator_area")
    return render(request, PAGES + "evaluate.html", {"form": form, "given": given, "year": year},
                  status=400 if form.errors else 200)


def _initial(areas: list[Area], unit: str, year: int) -> dict:
    """Opened from "本年度已评议": the evaluation as it stands, to change it."""
    found = AnnualEvaluation.objects.filter(evaluator_area__in=areas, year=year, organization_id=parse_pk(unit)).first()
    if found is None:
        return {"organization": unit}
    return {"evaluator": str(found.evaluator_area_id), "organization": str(found.organization_id),
            "score": found.score, "comment": found.comment}


def _any(areas: list[Area]):
    query = evaluable_q(areas[0])
    for area in areas[1:]:
        query |= evaluable_q(area)
    return query
