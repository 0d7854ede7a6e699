"""Notices (公示) through the API: drafts from a resolution, publishing on the working-day calendar, residents'
objections and their answers, completion, major matters and their legality review, the A4 poster.
Mounted at /api/v1/notices."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.handling_notices import (
    AnswerIn,
    DecideIn,
    LegalReviewOut,
    MajorIn,
    NoticeDetailOut,
    NoticeIn,
    NoticeOut,
    NoticeQuery,
    ObjectionIn,
    ObjectionOut,
    PublishIn,
    ReviewQuery,
)
from yishiting.areas import selectors as areas
from yishiting.deliberation.models import Resolution
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.handling.models import Notice, Objection
from yishiting.handling.notice_poster import notice_poster_response
from yishiting.handling.selectors import notices as selectors
from yishiting.handling.services import notices as services

router = Router(tags=["公示"])
PDF = "application/pdf"


def _notice(request: HttpRequest, notice_id: int) -> Notice:
    return visible_or_404(selectors.notices_visible_to(actor(request)), notice_id, "找不到该公示，或您无权查看。")


def _detail(request: HttpRequest, notice_id: int) -> Notice:
    return selectors.notice_for(actor(request), _notice(request, notice_id))


@router.get("", response={200: page_of(NoticeOut), **COMMON_ERRORS}, summary="公示列表")
def list_notices(request: HttpRequest, query: Query[NoticeQuery]):
    """工作人员：辖区内的公示（含草稿）；居民：本社区已发布的公示。可按状态、字词、区域筛选，最新在前。"""
    user = actor(request)
    area_path = visible_or_404(areas.areas_visible_to(user), query.area_id).path if query.area_id else None
    return paginate(selectors.notice_search(selectors.notices_visible_to(user), status=query.status, text=query.q,
                                            area_path=area_path), query)


@router.post("", response={201: NoticeDetailOut, **WRITE_ERRORS}, summary="由决议拟写公示（草稿）")
def create_notice(request: HttpRequest, payload: NoticeIn):
    """协商结果、项目计划（时间表、路线图、责任人）自动遮挡手机号、身份证号和居民姓名；公示工作日取议事规则模板（至少 5 天）；
    按模板规则或工作人员认定为重大事项。"""
    user = actor(request)
    resolution = visible_or_404(Resolution.objects.filter(topic__in=topics_visible_to(user)),
                                payload.resolution_id, "找不到该决议。")
    notice = services.notice_draft(
        actor=user, resolution=resolution, title=payload.title, plan=[item.dict() for item in payload.plan],
        responsible=payload.responsible, starts_on=payload.starts_on, is_major=payload.is_major,
        major_reason=payload.major_reason)
    return Status(201, _detail(request, notice.pk))


@router.get("/legal-reviews", response={200: page_of(LegalReviewOut), **COMMON_ERRORS}, summary="合法性审核待办")
def list_reviews(request: HttpRequest, query: Query[ReviewQuery]):
    """街道、区级干部：本级（区级含下辖街道）的合法性审核，默认只列待审核的，最早提请的在前。"""
    return paginate(selectors.legal_reviews_for(actor(request), status=query.status), query)


@router.post("/legal-reviews/{int:review_id}/decide", response={200: LegalReviewOut, **WRITE_ERRORS},
             summary="合法性审核")
def decide_review(request: HttpRequest, review_id: int, payload: DecideIn):
    """通过：公示已期满的议题进入办理；不通过：议题退回协商（分析研判），审核意见即理由。须填写审核意见。"""
    user = actor(request)
    review = visible_or_404(selectors.legal_reviews_for(user, status=None), review_id, "找不到该审核事项。")
    return services.legal_review_decide(actor=user, review=review, approve=payload.approve, opinion=payload.opinion)


@router.get("/{int:notice_id}", response={200: NoticeDetailOut, **COMMON_ERRORS}, summary="公示详情")
def get_notice(request: HttpRequest, notice_id: int):
    """含协商结果、项目计划、公示期和剩余工作日、合法性审核情况，以及本人可否提出异议。"""
    return _detail(request, notice_id)


@router.post("/{int:notice_id}/publish", response={200: NoticeDetailOut, **WRITE_ERRORS}, summary="发布公示")
def publish(request: HttpRequest, notice_id: int, payload: PublishIn):
    """按工作日日历（节假日不计、调休上班日计入）确定公示截止日，议题进入“公示中”，通知提议人和诉求人；
    重大事项同时提请合法性审核。重复发布不会重复通知。"""
    services.notice_publish(actor=actor(request), notice=_notice(request, notice_id), starts_on=payload.starts_on)
    return _detail(request, notice_id)


@router.post("/{int:notice_id}/major", response={200: NoticeDetailOut, **WRITE_ERRORS}, summary="列为重大事项")
def mark_major(request: HttpRequest, notice_id: int, payload: MajorIn):
    """草稿或公示中均可；已发布的随即提请合法性审核。须说明依据。"""
    services.notice_mark_major(actor=actor(request), notice=_notice(request, notice_id), reason=payload.reason)
    return _detail(request, notice_id)


@router.post("/{int:notice_id}/complete", response={200: NoticeDetailOut, **WRITE_ERRORS}, summary="公示期满")
def complete(request: HttpRequest, notice_id: int):
    """公示期满且异议全部答复后结束公示；非重大事项或合法性审核已通过的，议题进入“办理中”。"""
    services.notice_complete(actor=actor(request), notice=_notice(request, notice_id))
    return _detail(request, notice_id)


@router.get("/{int:notice_id}/objections", response={200: page_of(ObjectionOut), **COMMON_ERRORS},
            summary="异议及答复")
def list_objections(request: HttpRequest, notice_id: int, query: Query[PageQuery]):
    """按提出先后排列，提出人姓名脱敏。"""
    return paginate(selectors.objections_of(_notice(request, notice_id)), query)


@router.post("/{int:notice_id}/objections", response={201: ObjectionOut, **WRITE_ERRORS}, summary="提出异议")
def raise_objection(request: HttpRequest, notice_id: int, payload: ObjectionIn):
    """议题涉及范围内的居民在公示期内提出；社区工作人员会收到通知并答复。"""
    objection = services.objection_raise(actor=actor(request), notice=_notice(request, notice_id), text=payload.text)
    return Status(201, objection)


@router.post("/objections/{int:objection_id}/answer", response={200: ObjectionOut, **WRITE_ERRORS},
             summary="答复异议")
def answer_objection(request: HttpRequest, objection_id: int, payload: AnswerIn):
    """每条异议都须答复；实质性异议使公示撤回、议题退回协商。提出人会收到答复。"""
    user = actor(request)
    objection = visible_or_404(Objection.objects.filter(notice__in=selectors.notices_visible_to(user))
                               .select_related("notice", "notice__topic", "person"), objection_id, "找不到该异议。")
    return services.objection_answer(actor=user, objection=objection, answer=payload.answer,
                                     substantial=payload.substantial)


@router.get("/{int:notice_id}/poster.pdf", response={200: None, **COMMON_ERRORS}, summary="公示海报（A4 PDF）",
            openapi_extra={"responses": {200: {"description": "PDF 文件", "content": {
                PDF: {"schema": {"type": "string", "format": "binary"}}}}}})
def poster(request: HttpRequest, notice_id: int):
    """A4 张贴用：协商结果、项目计划表、公示期，二维码指向公示页面（内嵌中文字体，可离线打印）。"""
    return notice_poster_response(request, _notice(request, notice_id))
