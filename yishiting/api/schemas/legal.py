"""Legal services: the expert pool, 一社区一法律顾问 coverage and 云律团 consultations. Askers leave as the reader
may see them (yishiting.legal.thread): "我", masked with their community, or just 居民."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import CheckedSchema, InputSchema


class FieldOut(Schema):
    code: str
    name: str
    is_legal: bool = Field(..., description="云律团解答的法律类领域（居民提问时可选）")


class ExpertOut(Schema):
    """专家库成员（姓名脱敏）"""

    id: int
    person_id: int
    name: str = Field(..., description="脱敏姓名，如 林**")
    level: int = Field(..., description="1 区级、2 街道级、3 社区级")
    area: str
    fields: list[str]
    is_lawyer: bool
    title: str
    availability: str = Field(..., description="available 可约请、busy 繁忙、away 暂停服务（繁忙过了截止日即为 available）")
    busy_until: date | None = Field(None, description="繁忙截止日（含当日）")


class ExpertRecordOut(Schema):
    expert: ExpertOut
    answered: int
    claimed: int
    escalated_from: int = Field(..., description="认领后逾期转法律顾问的件数")
    rated: int
    rating: float | None = Field(None, description="平均评分（1–5 星）")
    median_hours: float | None = Field(None, description="从提问到首次解答的中位时间（小时）")
    meetings: int = Field(..., description="受邀参加的协商会议数")
    cases: int = Field(..., description="担任调解员的调解案件数")


class CoverageOut(Schema):
    community_id: int
    community: str
    state: str = Field(..., description="missing 未聘任、lapsed 任期已满、ending 30 天内到期、covered 在任")
    adviser: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class ExpertQuery(PageQuery):
    field: str | None = Field(None, max_length=32, description="领域代码，如 law、construction")
    level: int | None = Field(None, ge=1, le=3)
    area: int | None = Field(None, description="事项所在区域：本社区、街道、区的专家依次在前")


class ConsultationQuery(PageQuery):
    mine: bool | None = Field(None, description="true 只看我提的问题")
    status: str | None = Field(None, max_length=16)


class AskIn(InputSchema):
    field: str = Field(..., max_length=32, description="法律类领域代码（GET /legal/fields）")
    title: str = Field("", max_length=100, description="一句话说明；不填取正文开头（对他人脱敏）")
    text: str = Field(..., max_length=4000)


class TextIn(InputSchema):
    text: str = Field(..., max_length=4000)


class RateIn(InputSchema):
    stars: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=300)


class MessageOut(Schema):
    kind: str = Field(..., description="question 提问、answer 解答、follow_up 追问")
    who: str
    text: str
    at: datetime


class ConsultationOut(Schema):
    id: int
    number: str
    title: str
    field: str
    status: str
    status_label: str
    community: str
    asker: str = Field(..., description="“我”、脱敏姓名（律师和工作人员）或“居民”")
    due_on: date
    lawyer: str | None = None
    adviser: str | None = None
    rating: int | None = None
    mediation_case_id: int | None = None
    created_at: datetime


class ConsultationDetailOut(ConsultationOut):
    messages: list[MessageOut]
    actions: list[str] = Field(..., description="您此刻可做的：claim、answer、follow_up、rate、refer")


class ReferredOut(Schema):
    consultation: ConsultationDetailOut
    mediation_case_id: int


__all__ = ["AskIn", "CheckedSchema", "ConsultationDetailOut", "ConsultationOut", "ConsultationQuery", "CoverageOut",
           "ExpertOut", "ExpertQuery", "ExpertRecordOut", "FieldOut", "RateIn", "ReferredOut", "TextIn"]
