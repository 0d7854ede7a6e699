"""Evaluation (评) through the API: rounds with their counted result, residents' ratings (one each, final),
五方互评, 组织考评, closing a round, rating a direct-handling task; and the three rates of an area.
Mounted at /api/v1/evaluations and /api/v1/kpis."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.handling_evaluation import (
    KpiOut,
    KpiQuery,
    OrgAssessIn,
    OrgAssessOut,
    PartyRatingIn,
    PartyRatingOut,
    RatingIn,
    RatingOut,
    RoundDetailOut,
    RoundOut,
    RoundQuery,
)
from yishiting.areas import selectors as areas
from yishiting.handling.choices import RoundStatus
from yishiting.handling.models import EvaluationRound
from yishiting.handling.selectors import evaluation as selectors
from yishiting.handling.services import evaluation as services
from yishiting.oversight import selectors as rollups

router = Router(tags=["评价"])
kpis_router = Router(tags=["三率统计"])


def _round(request: HttpRequest, round_id: int) -> EvaluationRound:
    return visible_or_404(selectors.rounds_visible_to(actor(request)), round_id, "找不到该评价轮次。")


def _detail(request: HttpRequest, round_id: int) -> EvaluationRound:
    """The round with what the detail shows; an open round's `result` is its live tally (in memory, not saved)."""
    round_ = _round(request, round_id)
    person = areas.person_for_user(actor(request))
    round_.final = round_.status == RoundStatus.CLOSED
    if not round_.final:
        round_.result = selectors.round_tally(round_)
    mine = selectors.my_rating(round_, person)
    round_.my_rating = mine.value if mine else None
    round_.parties = selectors.parties_of(round_.topic.template)
    round_.may_rate = selectors.may_rate(person, round_)
    return round_


@router.get("", response={200: page_of(RoundOut), **COMMON_ERRORS}, summary="评价轮次列表")
def list_rounds(request: HttpRequest, query: Query[RoundQuery]):
    """可见议题的评价轮次（居民：本社区的，以及本人诉求所在议题的），可按状态、区域、议题标题筛选，新的在前。"""
    user = actor(request)
    area_path = visible_or_404(areas.areas_visible_to(user), query.under).path if query.under else ""
    rounds = selectors.round_search(selectors.rounds_visible_to(user), status=query.status or "",
                                    text=query.q or "", area_path=area_path)
    return paginate(rounds, query)


@router.get("/{int:round_id}", response={200: RoundDetailOut, **COMMON_ERRORS}, summary="评价轮次详情")
def get_round(request: HttpRequest, round_id: int):
    """已结束：保存的结果；评价中：即时计数。满意率 =（满意 + 权重 × 基本满意）÷ 有效评价，每项都列出分子、
    分母和计算方法；含本人的评价和能否评价。"""
    return _detail(request, round_id)


@router.get("/{int:round_id}/ratings", response={200: page_of(RatingOut), **COMMON_ERRORS},
            summary="群众评价列表")
def list_ratings(request: HttpRequest, round_id: int, query: Query[PageQuery]):
    """本轮的群众评价（评价人脱敏），新的在前。"""
    return paginate(selectors.ratings_of(_round(request, round_id)), query)


@router.post("/{int:round_id}/ratings", response={201: RatingOut, **WRITE_ERRORS}, summary="评价办理结果")
def rate(request: HttpRequest, round_id: int, payload: RatingIn):
    """诉求人和议题涉及范围内的居民评价：满意、基本满意或不满意（须写明意见）。每人每轮一次，提交后不能修改，
    再次提交返回 409 already_rated；评价期已过返回 409 round_closed。"""
    rating = services.rating_give(actor=actor(request), round=_round(request, round_id), value=payload.value,
                                  comment=payload.comment)
    return Status(201, rating)


@router.post("/{int:round_id}/party-ratings", response={201: PartyRatingOut, **WRITE_ERRORS}, summary="五方互评")
def party_rate(request: HttpRequest, round_id: int, payload: PartyRatingIn):
    """某一方的代表给另一方打分（0–100），每轮每对一次，不能给本方打分。社区两委、街道和区级干部可代录纸质
    互评表（entered_for 填写填表人）。"""
    rating = services.party_rating_give(
        actor=actor(request), round=_round(request, round_id), rater_party=payload.rater_party,
        ratee_party=payload.ratee_party, score=payload.score, comment=payload.comment,
        entered_for=payload.entered_for)
    return Status(201, rating)


@router.post("/{int:round_id}/org-assessment", response={201: OrgAssessOut, **WRITE_ERRORS}, summary="组织考评")
def org_assess(request: HttpRequest, round_id: int, payload: OrgAssessIn):
    """本级或上级的街道、区级干部打分（0–100），每轮一次。"""
    assessment = services.org_assess(actor=actor(request), round=_round(request, round_id), score=payload.score,
                                     comment=payload.comment)
    return Status(201, assessment)


@router.post("/{int:round_id}/close", response={200: RoundDetailOut, **WRITE_ERRORS}, summary="结束评价")
def close(request: HttpRequest, round_id: int):
    """社区两委、街道和区级干部提前结束本轮评价并保存结果（评价期满时由定时任务自动结束）。第一轮不满意比例
    超过模板阈值且有效评价数达到下限的，议题转为重办，已销号的任务退回办理；第二轮不再重办。"""
    services.round_close(actor=actor(request), round=_round(request, round_id))
    return _detail(request, round_id)


@router.post("/tasks/{int:task_id}/ratings", response={201: RatingOut, **WRITE_ERRORS}, summary="评价直接办理的任务")
def rate_task(request: HttpRequest, task_id: int, payload: RatingIn):
    """直接办理（不经协商）的诉求办结销号后，由诉求人评价一次。"""
    user = actor(request)
    task = visible_or_404(selectors.rateable_tasks(areas.person_for_user(user)), task_id, "找不到您可以评价的任务。")
    return Status(201, services.rating_give(actor=user, task=task, value=payload.value, comment=payload.comment))


@kpis_router.get("", response={200: KpiOut, **COMMON_ERRORS}, summary="三率统计")
def rates(request: HttpRequest, query: Query[KpiQuery]):
    """某区域（含下级）某期间的响应率、按期办结率、满意率，按事件日志计算；每项给出分子、分母、计算方法和
    计入的前 20 条记录。需督办权限（社区两委、街道、区级干部、网格长）覆盖该区域。"""
    area = visible_or_404(areas.areas_visible_to(actor(request), "handling.supervise"), query.area, "找不到该区域。")
    return rollups.rates(area, query.start, query.end).as_dict()
