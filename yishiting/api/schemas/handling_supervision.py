"""Supervision (督): the group, the records of the four kinds, bulletins and a topic's public progress.
Every person leaves masked (张*)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name

from .common import InputSchema
from .handling_tasks import TaskOut


class MemberOut(Schema):
    """监督小组成员"""

    id: int
    person: str
    role: str = Field(..., description="party_org 党组织、stakeholder 利益相关方、implementer 实施方")
    role_label: str
    added_at: datetime

    @staticmethod
    def resolve_person(obj) -> str:
        return mask_name(obj.person.name)

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class MemberIn(InputSchema):
    person_id: int
    role: str


class RecordOut(Schema):
    """督办记录"""

    id: int
    topic_id: int | None
    task_id: int | None
    kind: str = Field(..., description="visit 督走访、handling 督办理、revisit 督回访、satisfaction 督满意度")
    kind_label: str
    text: str
    supervisor: str
    happened_on: date
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_supervisor(obj) -> str:
        return mask_name(obj.supervisor.name)


class RecordIn(InputSchema):
    kind: str
    text: str = Field(..., max_length=5000)
    happened_on: date
    task_id: int | None = Field(None, description="针对议题下某项任务时填写")


class RecordQuery(PageQuery):
    task: int | None = Field(None, description="只看该任务的记录")


class BulletinOut(Schema):
    """进度通报"""

    id: int
    text: str
    created_at: datetime


class BulletinIn(InputSchema):
    text: str = Field(..., max_length=5000)


class ProgressOut(Schema):
    """议题的办理进度（公开）"""

    topic_id: int
    title: str
    status: str
    percent: int = Field(..., description="各任务进度的平均值（已销号按 100% 计）")
    closed: int
    tasks: list[TaskOut]
    bulletins: list[BulletinOut]
