"""Which template an area runs (模板按区域适用), a topic's template and why, and household consultations."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name

from .common import AreaRef, InputSchema


class TemplateRef(Schema):
    code: str
    name: str


class AssignmentOut(Schema):
    """一个区域适用的模板（下级区域没有自己的设置时一并适用）"""

    area: AreaRef
    template: TemplateRef
    reason: str
    assigned_at: datetime


class AssignmentIn(InputSchema):
    area_id: int
    template_code: str = Field(..., max_length=32)
    reason: str = Field("", max_length=200)


class UnassignIn(InputSchema):
    area_id: int
    reason: str = Field("", max_length=200)


class AreaTemplateOut(Schema):
    """区域适用的模板：本区域或最近的上级区域设置的，都没有设置时为全区默认模板"""

    template: TemplateRef | None
    source: AreaRef | None = Field(None, description="模板设置在哪个区域（本区域或上级）；空为全区默认")


class TopicTemplateOut(AreaTemplateOut):
    """议题采用的模板和原因"""

    changed_reason: str = Field("", description="系统管理员更换模板时说明的理由")
    area_now: TemplateRef | None = Field(None, description="区域现在适用的模板（议题形成之后区域改了模板时）")


class TopicTemplateIn(InputSchema):
    template_code: str = Field(..., max_length=32)
    reason: str = Field(..., max_length=200)


class ConsultationIn(InputSchema):
    household_id: int
    visited_on: date
    said: str = Field(..., max_length=1000, description="住户说了什么")


class TopicConsultationOut(Schema):
    """一次走访征求意见（住户只写户号，走访人姓名脱敏）"""

    id: int
    household: str
    visited_on: date
    said: str
    visitor: str

    @staticmethod
    def resolve_household(obj) -> str:
        return str(obj.household)

    @staticmethod
    def resolve_visitor(obj) -> str:
        return mask_name(obj.visitor.name) if obj.visitor_id else ""


class ConsultationsOut(Schema):
    recorded: int
    required: int
    items: list[TopicConsultationOut]


class AssignmentQuery(PageQuery):
    template_code: str | None = Field(None, max_length=32)
