"""Supervision (督) through the API, per topic: the supervision group, the records of the four kinds (督走访、
督办理、督回访、督满意度, on the topic or one of its tasks), progress bulletins and the public progress.
Mounted at /api/v1/supervision."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.handling_supervision import (
    BulletinIn,
    BulletinOut,
    MemberIn,
    MemberOut,
    ProgressOut,
    RecordIn,
    RecordOut,
    RecordQuery,
)
from yishiting.areas.selectors import people_visible_to
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.handling.selectors import tasks as selectors
from yishiting.handling.services import supervision as services

router = Router(tags=["督办"])


def _topic(request: HttpRequest, topic_id: int) -> Topic:
    return visible_or_404(topics_visible_to(actor(request)), topic_id, "找不到该议题。")


@router.get("/topics/{int:topic_id}/members", response={200: list[MemberOut], **COMMON_ERRORS},
            summary="监督小组成员")
def members(request: HttpRequest, topic_id: int):
    """党组织、利益相关方、实施方，姓名脱敏。"""
    return selectors.supervision_members(_topic(request, topic_id))


@router.post("/topics/{int:topic_id}/members", response={201: MemberOut, **WRITE_ERRORS}, summary="加入监督小组")
def add_member(request: HttpRequest, topic_id: int, payload: MemberIn):
    """社区两委、网格长、街道和区级干部添加成员（每人一次；重复添加返回 409 already_member）。"""
    user = actor(request)
    person = visible_or_404(people_visible_to(user), payload.person_id, "找不到该人员。")
    return Status(201, services.supervision_member_add(actor=user, topic=_topic(request, topic_id), person=person,
                                                       role=payload.role))


@router.delete("/topics/{int:topic_id}/members/{int:member_id}", response={204: None, **WRITE_ERRORS},
               summary="移出监督小组")
def remove_member(request: HttpRequest, topic_id: int, member_id: int):
    """移出成员（事件日志中保留记录）。"""
    member = visible_or_404(_topic(request, topic_id).supervisors.all(), member_id, "找不到该成员。")
    services.supervision_member_remove(actor=actor(request), member=member)
    return Status(204, None)


@router.get("/topics/{int:topic_id}/records", response={200: page_of(RecordOut), **COMMON_ERRORS},
            summary="督办记录")
def records(request: HttpRequest, topic_id: int, query: Query[RecordQuery]):
    """议题及其任务的督办记录，日期新的在前；`task` 只看某项任务的。"""
    topic = _topic(request, topic_id)
    task = visible_or_404(topic.tasks.all(), query.task, "找不到该任务。") if query.task else None
    return paginate(selectors.supervision_records(topic=topic, task=task), query)


@router.post("/topics/{int:topic_id}/records", response={201: RecordOut, **WRITE_ERRORS}, summary="记录督办")
def add_record(request: HttpRequest, topic_id: int, payload: RecordIn):
    """kind：visit 督走访、handling 督办理、revisit 督回访、satisfaction 督满意度；日期不能晚于今天。
    针对任务时该任务的经办人会收到通知。"""
    topic = _topic(request, topic_id)
    task = visible_or_404(topic.tasks.all(), payload.task_id, "找不到该任务。") if payload.task_id else None
    return Status(201, services.supervision_record(actor=actor(request), topic=topic, task=task, kind=payload.kind,
                                                   text=payload.text, happened_on=payload.happened_on))


@router.get("/topics/{int:topic_id}/bulletins", response={200: page_of(BulletinOut), **COMMON_ERRORS},
            summary="进度通报")
def bulletins(request: HttpRequest, topic_id: int, query: Query[PageQuery]):
    """公开的进度通报，最新在前。"""
    return paginate(_topic(request, topic_id).bulletins.all(), query)


@router.post("/topics/{int:topic_id}/bulletins", response={201: BulletinOut, **WRITE_ERRORS}, summary="发布进度通报")
def post_bulletin(request: HttpRequest, topic_id: int, payload: BulletinIn):
    """公示、办理、评价阶段的议题可发布；监督小组成员会收到站内消息。"""
    return Status(201, services.bulletin_post(actor=actor(request), topic=_topic(request, topic_id),
                                              text=payload.text))


@router.get("/topics/{int:topic_id}/progress", response={200: ProgressOut, **COMMON_ERRORS}, summary="办理进度")
def progress(request: HttpRequest, topic_id: int):
    """议题下各任务的状态、进度和预警，平均进度（已销号按 100%），以及进度通报。"""
    p = selectors.topic_progress(_topic(request, topic_id))
    return {"topic_id": p.topic.pk, "title": p.topic.title, "status": p.topic.status, "percent": p.percent,
            "closed": p.closed, "tasks": p.tasks, "bulletins": p.bulletins}
