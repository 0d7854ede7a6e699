"""Topics (议题) through the API: list and propose, analysis and attachments, status moves, the residents'
opinions and stances (征求意见), and the process templates. Mounted at /api/v1/topics."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Query, Router, Status, UploadedFile

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.deliberation_topics import (
    AnalysisIn,
    AttachmentOut,
    DoorOpinionIn,
    OpinionIn,
    OpinionOut,
    TemplateOut,
    TopicDetailOut,
    TopicIn,
    TopicOut,
    TopicQuery,
    TransitionIn,
)
from yishiting.areas import selectors as areas
from yishiting.common.errors import DomainError
from yishiting.deliberation.models import ProcessTemplate, Topic
from yishiting.deliberation.selectors.topics import (
    opinion_summary,
    opinions_of,
    topic_search,
    topics_visible_to,
)
from yishiting.deliberation.services import topics as services
from yishiting.deliberation.timeline import topic_timeline_lines

router = Router(tags=["议题"])


def _topic(request: HttpRequest, topic_id: int) -> Topic:
    return visible_or_404(topics_visible_to(actor(request)), topic_id)


def _detail(user, topic: Topic) -> Topic:
    topic.attachments_list = list(topic.attachments.all())
    topic.opinion_counts = opinion_summary(topic)
    person = areas.person_for_user(user)
    topic.my_opinion = topic.opinions.filter(person=person).first() if person else None
    topic.timeline = topic_timeline_lines(topic)
    return topic


@router.get("/templates", response={200: list[TemplateOut], **COMMON_ERRORS}, summary="议事规则模板")
def templates(request: HttpRequest):
    """各地做法（垦利“345”、南昌幸福圆桌会等）：会议形式、各层级主持人、必须到场的各方、人数、法定人数、提前通知天数、议事周期。"""
    return ProcessTemplate.objects.filter(is_active=True)


@router.get("", response={200: page_of(TopicOut), **COMMON_ERRORS}, summary="议题列表")
def list_topics(request: HttpRequest, query: Query[TopicQuery]):
    """本人可见的议题（居民：本社区；工作人员：辖区），可按状态、字词、区域筛选，最新在前。"""
    area_path = visible_or_404(areas.areas_visible_to(actor(request)), query.area_id).path if query.area_id else None
    topics = topic_search(topics_visible_to(actor(request)), status=query.status, text=query.q,
                          area_path=area_path)
    return paginate(topics, query)


@router.post("", response={201: TopicDetailOut, **WRITE_ERRORS}, summary="提出议题")
def propose(request: HttpRequest, payload: TopicIn):
    """直接提出议题（如中心户提议、议事会成员的书面提议）；由社区两委、街道或区级干部登记。"""
    user = actor(request)
    level = visible_or_404(areas.areas_visible_to(user), payload.level_area_id)
    scope = visible_or_404(areas.areas_visible_to(user), payload.scope_area_id) if payload.scope_area_id else None
    template = None
    if payload.template_code:
        template = ProcessTemplate.objects.filter(code=payload.template_code, is_active=True).first()
        if template is None:
            raise DomainError("invalid_choice", "没有该议事规则模板。", details={"field": "template_code"})
    proposer = visible_or_404(areas.people_visible_to(user), payload.proposer_id) if payload.proposer_id else None
    topic = services.topic_propose(
        actor=user, title=payload.title, description=payload.description, level_area=level, scope_area=scope,
        template=template, proposer=proposer,
        proposal_signed=payload.proposal_signed, opinions_close_at=payload.opinions_close_at)
    return Status(201, _detail(user, _topic(request, topic.pk)))


@router.get("/{int:topic_id}", response={200: TopicDetailOut, **COMMON_ERRORS}, summary="议题详情")
def get_topic(request: HttpRequest, topic_id: int):
    """含说明、分析研判、附件（SHA-256）、意见统计、本人的意见和时间线（通俗中文）。"""
    return _detail(actor(request), _topic(request, topic_id))


@router.post("/{int:topic_id}/analysis", response={200: TopicDetailOut, **WRITE_ERRORS}, summary="分析研判")
def analyse(request: HttpRequest, topic_id: int, payload: AnalysisIn):
    """记录可行性分析和初步方案；征求意见中的议题随之进入“分析研判”。"""
    topic = services.topic_analyse(actor=actor(request), topic=_topic(request, topic_id),
                                   analysis=payload.analysis, draft_plan=payload.draft_plan)
    return _detail(actor(request), _topic(request, topic.pk))


@router.post("/{int:topic_id}/attachments", response={201: AttachmentOut, **WRITE_ERRORS}, summary="上传附件")
def attach(request: HttpRequest, topic_id: int, file: File[UploadedFile]):
    """PDF、JPEG、PNG 或 Word/Excel 文件，按内容识别，不超过 20 MB。"""
    topic = _topic(request, topic_id)
    data = file.read(services.MAX_ATTACHMENT + 1)
    return Status(201, services.topic_attach(actor=actor(request), topic=topic, name=file.name or "", data=data))


@router.post("/{int:topic_id}/transition", response={200: TopicDetailOut, **WRITE_ERRORS},
             summary="改变议题状态")
def move(request: HttpRequest, topic_id: int, payload: TransitionIn):
    """如退回征求意见、不再推进（须说明理由）。可用的变化见 docs/states/topic.md；会议和决议会自动改变状态。"""
    user = actor(request)
    topic = _topic(request, topic_id)
    require(user, "deliberation.manage", topic, "只有本级或上级的社区两委、街道和区级干部可以改变议题状态。")
    services.topic_transition(actor=user, topic=topic, to=payload.to, reason=payload.reason)
    return _detail(user, _topic(request, topic_id))


@router.get("/{int:topic_id}/opinions", response={200: page_of(OpinionOut), **COMMON_ERRORS},
            summary="居民意见")
def list_opinions(request: HttpRequest, topic_id: int, query: Query[PageQuery]):
    """每人一条，姓名脱敏，最近修改的在前。"""
    return paginate(opinions_of(_topic(request, topic_id)), query)


@router.post("/{int:topic_id}/opinions", response={200: OpinionOut, **WRITE_ERRORS}, summary="发表或修改我的意见")
def give_opinion(request: HttpRequest, topic_id: int, payload: OpinionIn):
    """议题涉及范围内的居民：支持、反对或其他意见，每人一条，征求意见结束前可以修改。"""
    return services.opinion_give(actor=actor(request), topic=_topic(request, topic_id), stance=payload.stance,
                                 text=payload.text)


@router.post("/{int:topic_id}/door-opinions", response={200: OpinionOut, **WRITE_ERRORS},
             summary="录入入户征求的意见")
def enter_opinion(request: HttpRequest, topic_id: int, payload: DoorOpinionIn):
    """网格员、楼栋长、社区工作人员代录居民在入户征求时表达的意见（同一居民再录入即修改）。"""
    user = actor(request)
    person = visible_or_404(areas.people_visible_to(user), payload.person_id, "找不到该居民。")
    return services.opinion_enter(actor=user, topic=_topic(request, topic_id), person=person,
                                  stance=payload.stance, text=payload.text)
