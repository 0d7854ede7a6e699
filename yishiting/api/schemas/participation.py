"""Participation: the service menu, orders (居民点单·社区派单·党员接单), the showcase. Residents leave masked
(张*); providers as the showcase names them (a unit by name, a person masked)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class MenuItemOut(Schema):
    id: int
    title: str
    description: str
    provider: str = Field(..., description="服务提供方（单位名称，或脱敏的个人，如 在职党员 党*）")
    provider_kind: str = Field(..., description="unit 双报到单位、party_member 在职党员、volunteer 志愿者、social_org 社会组织")
    area: str
    times: str
    capacity: int = Field(..., description="同时可接订单数")


class OrderIn(InputSchema):
    item: int | None = Field(None, description="菜单上的服务项目（GET /participation/menu）；不填则为菜单外的需求")
    title: str = Field("", max_length=60, description="菜单外的需求写在这里（选了服务项目则不用填）")
    text: str = Field("", max_length=500)
    wanted: str = Field("", max_length=60, description="希望的服务时间")
    resident: int | None = Field(None, description="代居民点单（工作人员）：居民的 id，取自人员选择器；不填为自己点单")


class DispatchIn(InputSchema):
    providers: list[int] = Field(..., min_length=1, max_length=20, description="本社区的服务提供方 id")


class ServiceRateIn(InputSchema):
    stars: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=300)


class OrderQuery(PageQuery):
    mine: bool | None = Field(None, description="true 只看我点的单")
    status: str | None = Field(None, max_length=16)


class OrderOut(Schema):
    id: int
    number: str
    title: str
    status: str = Field(..., description="submitted 待派单、dispatched 待接单、escalated 超时转社区、accepted 服务中、"
                                         "reported 待确认、rated 已评价、cancelled 已取消")
    status_label: str
    community: str
    item: int | None = None
    provider: str | None = None
    accept_due: datetime | None = None
    hours: Decimal | None = None
    rating: int | None = None
    created_at: datetime


class OrderDetailOut(OrderOut):
    actions: list[str] = Field(..., description="您此刻可做的：dispatch、accept、rate、cancel（反馈服务须带照片，在页面上提交）")


class ShowcaseOut(Schema):
    id: int
    provider: str
    kind: str
    community: str
    done: int = Field(..., description="已评价的服务次数")
    stars: float | None = Field(None, description="平均评价（1–5 星）")


class AssessmentOut(Schema):
    grade: str = Field(..., description="good 好、fairly_good 较好、average 一般、poor 差")
    grade_label: str
    reasons: str


class ServiceLineOut(Schema):
    served_on: date
    what: str
    served_person: str | None = Field(None, description="服务对象（脱敏，如 王*）")
    hours: Decimal
    rating: int | None = None


class ReportMemberOut(Schema):
    name: str = Field(..., description="报到党员（单位自己的党员，同报告 PDF）")
    posts: list[str]
    services: int
    hours: Decimal
    stars: float | None = Field(None, description="平均评价")
    assessment: AssessmentOut | None = None
    records: list[ServiceLineOut]


class UnitReportOut(Schema):
    unit: str
    community: str
    year: int
    quarter: int
    first: date
    last: date
    total_services: int
    total_hours: Decimal
    assessment: AssessmentOut | None = Field(None, description="社区对单位的季度考核建议")
    members: list[ReportMemberOut]
    pdf: str = Field(..., description="同一报告的 PDF 地址（页面登录后下载）")


__all__ = ["AssessmentOut", "DispatchIn", "MenuItemOut", "OrderDetailOut", "OrderIn", "OrderOut", "OrderQuery", "ServiceRateIn", "ShowcaseOut", "UnitReportOut"]
