"""Evaluation (评): rounds with their counted result, residents' ratings, 五方互评, 组织考评, and the three
rates of an area. People leave masked (张*); every figure carries its numerator, denominator and rule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name

from .common import AreaRef, CheckedSchema, InputSchema

VALUES = "satisfied 满意，basic 基本满意，dissatisfied 不满意（须写明意见）"


class TopicRef(Schema):
    id: int
    title: str
    status: str


class RoundOut(Schema):
    """评价轮次"""

    id: int
    topic: TopicRef
    number: int = Field(..., description="轮次：1，重办后为 2")
    status: str = Field(..., description="open 评价中，closed 已结束")
    status_label: str
    opened_at: datetime
    closes_on: date = Field(..., description="最后一天可评价的日期（含）")
    closed_at: datetime | None
    rating_count: int = 0
    reopened: bool = Field(..., description="因不满意比例过高而重办")
    reopen_reason: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class RoundDetailOut(RoundOut):
    """评价轮次详情：结束后为保存的结果，评价中为即时计数；每项都有分子、分母和计算方法"""

    result: dict[str, Any] = Field(..., description="satisfaction、dissatisfied、parties、organization、total、"
                                                    "weights、reopen，各含 numerator/denominator/percent/rule")
    final: bool = Field(..., description="true：已结束、结果已保存")
    parties: list[dict[str, str]] = Field(..., description="本议题的互评各方 [{code, name}]")
    my_rating: str | None = Field(None, description="我给出的评价（未评价为空）")
    may_rate: bool = False


class RoundQuery(PageQuery):
    status: str | None = Field(None, max_length=16, description="open 或 closed")
    under: int | None = Field(None, description="只看该区域（含）以下的议题")
    q: str | None = Field(None, max_length=50, description="议题标题中的字词")


class RatingIn(InputSchema):
    """群众评价"""

    value: str = Field(..., description=VALUES)
    comment: str = Field("", max_length=1000, description="意见（选“不满意”时必填）")


class RatingOut(Schema):
    """群众评价（每人一次，提交后不能修改）"""

    id: int
    value: str
    value_label: str
    comment: str
    is_reporter: bool
    person: str = Field(..., description="评价人（脱敏）")
    created_at: datetime

    @staticmethod
    def resolve_value_label(obj) -> str:
        return obj.get_value_display()

    @staticmethod
    def resolve_person(obj) -> str:
        return mask_name(obj.person.name)


class PartyRatingIn(InputSchema):
    """五方互评"""

    rater_party: str = Field(..., max_length=24, description="评价方代码，如 property")
    ratee_party: str = Field(..., max_length=24, description="被评价方代码，不能是本方")
    score: int = Field(..., description="得分 0–100")
    comment: str = Field("", max_length=1000)
    entered_for: str = Field("", max_length=100, description="工作人员代录纸质互评表时：填表人")


class PartyRatingOut(Schema):
    id: int
    rater_party: str
    ratee_party: str
    score: int
    comment: str
    created_at: datetime


class OrgAssessIn(InputSchema):
    """组织考评"""

    score: int = Field(..., description="得分 0–100")
    comment: str = Field("", max_length=1000)


class OrgAssessOut(Schema):
    id: int
    score: int
    comment: str
    created_at: datetime


class KpiQuery(CheckedSchema):
    area: int = Field(..., description="区域编号（统计其下全部区域）")
    start: date = Field(..., description="开始日期（含）")
    end: date = Field(..., description="结束日期（含）")


class FigureOut(Schema):
    key: str = Field(..., description="response 响应率，on_time 按期办结率，satisfaction 满意率")
    label: str
    numerator: str
    denominator: int
    percent: str | None = Field(..., description="百分比（两位小数，四舍五入）；分母为 0 时为空")
    rule: str = Field(..., description="计算方法（中文）")
    counted: list[str] = Field(..., description="计入分子的前 20 条记录")
    not_counted: list[str] = Field(..., description="只计入分母的前 20 条记录")
    extra: dict[str, Any]


class KpiOut(Schema):
    """某区域某期间的三率"""

    area: AreaRef
    start: date
    end: date
    figures: list[FigureOut]
