"""堡垒指数 / 先锋指数: snapshots, their parts (the derivation) and the records each part counted. Members are named
masked (张*)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery


class IndexSnapshotOut(Schema):
    """一个周期的堡垒指数（党组织）或先锋指数（党员）"""

    id: int
    kind: str = Field(..., description="fortress 堡垒指数、pioneer 先锋指数")
    period: str = Field(..., description="month、quarter、year")
    start: date
    end: date
    subject: str = Field(..., description="党组织名称，或脱敏的党员姓名及其党组织")
    organization_id: int
    area: str
    peer_area_id: int = Field(..., description="排名范围（同级比较的区域）")
    value: str = Field(..., description="指数，0–100，两位小数")
    rank: int
    peers: int


class IndexPartOut(Schema):
    key: str
    label: str
    rule: str
    kind: str = Field(..., description="count 计数、rate 比率、satisfaction 满意度")
    considered: int = Field(..., description="考察的记录数")
    counted: int = Field(..., description="计入的记录数（比率的分子）")
    target: int | None = Field(None, description="计数类指标的满分数量（本周期）")
    score: str = Field(..., description="分项得分，0–100")
    weight: int
    points: str = Field(..., description="计入指数的分值 = 得分 × 权重 ÷ 权重之和")


class IndexDetailOut(IndexSnapshotOut):
    parts: list[IndexPartOut]
    computed_at: datetime


class IndexRecordOut(Schema):
    id: int
    title: str
    detail: str
    when: datetime | None
    counted: bool


class IndexRankingQuery(PageQuery):
    kind: str = Field("fortress", description="fortress 或 pioneer")
    period: str = Field("", description="month、quarter、year；空为最近一期")
    start: date | None = None
    area: int | None = Field(None, description="排名范围的区域；空为最高一级")
