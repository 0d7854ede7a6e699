"""吹哨·应哨: the whistles the caller may see, a unit's answers, and the writes of each step."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class ResponseOut(Schema):
    id: int
    organization: int
    organization_name: str
    status: str = Field(..., description="pending 待报到、arrived 已报到、responded 已应哨、missed 未应哨、cancelled 已撤回")
    arrived_at: datetime | None = None
    responded_at: datetime | None = None
    note: str = ""
    late: bool = Field(False, description="期限过后才应哨，或到办结时仍未应哨")
    deadline: date = Field(..., description="该单位的应哨期限（吹哨后增加的单位有自己的期限）")
    added: bool = Field(False, description="吹哨后增加的单位")
    actions: list[str] = Field(default_factory=list, description="当前用户可执行的操作：arrive、respond")


class WhistleOut(Schema):
    id: int
    number: str
    title: str
    text: str
    area: int
    area_name: str
    status: str = Field(..., description="open 应哨中、answered 已全部应哨、closed 已办结、cancelled 已撤回")
    status_label: str
    blower: str = Field(..., description="吹哨人（以公职身份的署全名，党员脱敏）")
    deadline: date
    demand: int | None = None
    topic: int | None = None
    task: int | None = None
    blown_at: datetime
    closed_at: datetime | None = None
    summary: str = ""
    responses: list[ResponseOut] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list, description="当前用户可执行的操作：close、cancel、add_unit")


class WhistleQuery(PageQuery):
    status: str | None = Field(None, description="按状态筛选")
    late: bool = Field(False, description="只看有超期单位的")
    q: str = Field("", max_length=50, description="编号或内容中的字词")
    mine: bool = Field(False, description="只看我吹的哨")


class BlowIn(InputSchema):
    text: str = Field(..., max_length=1000)
    units: list[int] = Field(..., min_length=1, max_length=8, description="应哨单位（组织）编号")
    days: int = Field(3, ge=1, le=20, description="应哨期限（工作日）")
    demand: int | None = Field(None, description="关联的诉求")
    topic: int | None = Field(None, description="关联的议题")
    task: int | None = Field(None, description="关联的办理任务")
    area: int | None = Field(None, description="不关联诉求时的发生地（将按吹哨登记一条诉求）")


class AddUnitIn(InputSchema):
    unit: int = Field(..., description="增加的应哨单位（组织）编号")
    days: int = Field(3, ge=1, le=20, description="该单位的应哨期限（从今天起的工作日）")


class RespondIn(InputSchema):
    note: str = Field(..., max_length=1000)


class SummaryIn(InputSchema):
    summary: str = Field(..., max_length=300)


class WhistleCancelIn(InputSchema):
    reason: str = Field(..., max_length=300)
