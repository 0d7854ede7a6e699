"""Templates per area through the API (模板按区域适用): where each template applies, which one an area runs and
why, an admin setting it; a topic's template and why, an admin changing it with a reason; and the household
consultations (走访征求意见) some templates require before the meeting. Mounted at /api/v1/templates."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.deliberation_templates import (
    AreaTemplateOut,
    AssignmentIn,
    AssignmentOut,
    AssignmentQuery,
    ConsultationIn,
    ConsultationsOut,
    TopicConsultationOut,
    TopicTemplateIn,
    TopicTemplateOut,
    UnassignIn,
)
from yishiting.areas import selectors as areas
from yishiting.common.errors import DomainError
from yishiting.deliberation.models import ProcessTemplate, Topic
from yishiting.deliberation.selectors import templates as selectors
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.services import assignments as services
from yishiting.deliberation.services.consultations import consultation_record
from yishiting.deliberation.services.locality import consultations_needed

router = Router(tags=["议事规则模板"])


def _template(code: str) -> ProcessTemplate:
    template = ProcessTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise DomainError("invalid_choice", "没有该议事规则模板，或它已停用。", details={"field": "template_code"})
    return template


def _topic(request: HttpRequest, topic_id: int) -> Topic:
    return visible_or_404(topics_visible_to(actor(request)).select_related("level_area", "template"), topic_id)


@router.get("/assignments", response={200: page_of(AssignmentOut), **COMMON_ERRORS}, summary="模板适用区域")
def list_assignments(request: HttpRequest, query: Query[AssignmentQuery]):
    """各区域设置的模板（下级区域没有自己的设置时逐级继承），按区域树排列。"""
    actor(request)
    rows = selectors.assignments()
    if query.template_code:
        rows = rows.filter(template__code=query.template_code)
    return paginate(rows, query)


@router.post("/assignments", response={200: AssignmentOut, **WRITE_ERRORS}, summary="设置区域适用的模板")
def assign(request: HttpRequest, payload: AssignmentIn):
    """系统管理员：该区域（及其下级，除非下级另有设置）今后形成的议题采用该模板；已有议题不变。"""
    user = actor(request)
    area = visible_or_404(areas.areas_visible_to(user), payload.area_id, "找不到该区域，或您无权查看。")
    return services.template_assign(actor=user, area=area, template=_template(payload.template_code),
                                    reason=payload.reason)


@router.post("/assignments/clear", response={204: None, **WRITE_ERRORS}, summary="取消区域的模板设置")
def unassign(request: HttpRequest, payload: UnassignIn):
    """系统管理员：该区域改为沿用上级区域的模板。"""
    user = actor(request)
    area = visible_or_404(areas.areas_visible_to(user), payload.area_id, "找不到该区域，或您无权查看。")
    services.template_unassign(actor=user, area=area, reason=payload.reason)
    return Status(204, None)


@router.get("/areas/{int:area_id}", response={200: AreaTemplateOut, **COMMON_ERRORS}, summary="区域适用的模板")
def for_area(request: HttpRequest, area_id: int):
    """本区域或最近的上级区域设置的模板；都没有设置时为全区默认模板。"""
    area = visible_or_404(areas.areas_visible_to(actor(request)), area_id)
    return selectors.template_choice(area)


@router.get("/topics/{int:topic_id}", response={200: TopicTemplateOut, **COMMON_ERRORS}, summary="议题采用的模板")
def topic_template(request: HttpRequest, topic_id: int):
    """议题采用哪个模板、为什么（继承自哪个区域，或系统管理员更换时的理由）。"""
    return selectors.topic_template(_topic(request, topic_id))


@router.post("/topics/{int:topic_id}", response={200: TopicTemplateOut, **WRITE_ERRORS}, summary="更换议题的模板")
def change_topic_template(request: HttpRequest, topic_id: int, payload: TopicTemplateIn):
    """系统管理员：开会前更换议题的模板，须说明理由（记入议题时间线）。"""
    topic = services.topic_template_change(actor=actor(request), topic=_topic(request, topic_id),
                                           template=_template(payload.template_code), reason=payload.reason)
    return selectors.topic_template(_topic(request, topic.pk))


@router.get("/topics/{int:topic_id}/consultations", response={200: ConsultationsOut, **COMMON_ERRORS},
            summary="走访征求意见")
def list_consultations(request: HttpRequest, topic_id: int):
    """会前走访的住户和他们的意见，以及模板要求的最少户数。"""
    topic = _topic(request, topic_id)
    recorded, required = consultations_needed(topic)
    rows = list(selectors.consultations_of(topic)[:200])
    return {"recorded": recorded, "required": required, "items": rows}


@router.post("/topics/{int:topic_id}/consultations", response={201: TopicConsultationOut, **WRITE_ERRORS},
             summary="记录走访征求意见")
def record_consultation(request: HttpRequest, topic_id: int, payload: ConsultationIn):
    """民情理事会成员：走访了哪一户、哪天、住户说了什么；同一户只记一次（重复提交返回原记录）。"""
    user = actor(request)
    household = visible_or_404(areas.households_visible_to(user), payload.household_id, "找不到该住户。")
    return Status(201, consultation_record(actor=user, topic=_topic(request, topic_id), household=household,
                                           visited_on=payload.visited_on, said=payload.said))
