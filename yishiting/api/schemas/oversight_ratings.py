"""整改清单 (rectification lists and items) and unit ratings (单位年度评级) — names prefixed so they stay unique
across the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import CheckedSchema, InputSchema


class RectificationItemIn(InputSchema):
    description: str = Field(..., max_length=2000)
    deadline_days: int = Field(..., description="整改期限（工作日，1–250）")
    organization_id: int | None = Field(None, description="责任单位；下发给单位的清单可省略（即该单位）")


class RectificationIssueIn(InputSchema):
    title: str = Field(..., max_length=200)
    basis: str = Field("", max_length=2000)
    target_area_id: int | None = Field(None, description="整改社区（与 target_organization_id 二选一）")
    target_organization_id: int | None = Field(None, description="整改单位")
    items: list[RectificationItemIn]


class RectificationTextIn(InputSchema):
    text: str = Field(..., max_length=2000)


class RectificationNoteIn(InputSchema):
    note: str = Field("", max_length=2000, description="验收意见；退回、撤销时为必填的理由")


class RectificationReportOut(Schema):
    id: int
    kind: str
    text: str
    reporter: str = Field(..., description="脱敏姓名")
    photos: int
    created_at: datetime


class RectificationItemOut(Schema):
    id: int
    number: str
    seq: int
    description: str
    responsible: str
    organization_id: int | None
    deadline_days: int
    deadline: date
    status: str
    status_label: str
    returns: int
    last_note: str
    warnings: list[str]
    actions: list[str] = Field(..., description="调用者现在可做的操作")
    reports: list[RectificationReportOut]


class RectificationListOut(Schema):
    id: int
    number: str
    title: str
    target: str
    issuer_area: str
    issued_at: datetime
    item_count: int
    open_count: int


class RectificationDetailOut(RectificationListOut):
    basis: str
    items: list[RectificationItemOut]


class RectificationQuery(PageQuery):
    q: str | None = Field(None, max_length=100)
    status: str | None = Field(None, description="open 有未销号事项、done 全部销号")


class UnitRatingPartOut(Schema):
    part: str
    weight: int
    score: str | None
    rule: str
    figures: dict[str, Any]
    records: list[dict[str, Any]]


class UnitRatingOut(Schema):
    organization_id: int
    name: str
    kind: str
    year: int
    score: str | None = Field(..., description="综合得分（一位小数），无记录时为 null")
    grade: str


class UnitRatingDetailOut(UnitRatingOut):
    cutoff: date
    parts: list[UnitRatingPartOut]
    history: list[UnitRatingOut]


class UnitRatingQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)
    q: str | None = Field(None, max_length=100)


class UnitYearQuery(CheckedSchema):
    year: int | None = Field(None, ge=2000, le=2100)


class AnnualEvaluationIn(InputSchema):
    evaluator_area_id: int
    organization_id: int
    year: int
    score: int
    comment: str = Field("", max_length=1000)


class AnnualEvaluationOut(Schema):
    id: int
    evaluator_area: str
    organization_id: int
    year: int
    score: int
    comment: str
