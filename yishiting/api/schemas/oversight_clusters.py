"""举一反三: clusters of one problem across communities, one cluster with its members (reporters masked), spread
and trend, and raising it as one 类案 topic."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from .common import CheckedSchema, InputSchema


class ClusterPeriodQuery(CheckedSchema):
    area: int | None = Field(None, description="区域 id（街道或区）；不填为您辖区的最高一级")
    start: date | None = Field(None, description="开始日期；不填为结束日期前 90 天")
    end: date | None = Field(None, description="结束日期；不填为今天")


class ClusterListQuery(ClusterPeriodQuery):
    category: int | None = Field(None, description="诉求类别 id")
    min_communities: int | None = Field(None, ge=1, le=1000, description="至少涉及的社区数（只能高于模板设置）")


class ClusterSpreadOut(Schema):
    area_id: int
    area: str
    count: int


class ClusterOut(Schema):
    """一个类案：同一类别、内容相似、出现在至少 N 个社区的诉求"""

    id: str = Field(..., description="类案标识（类别与检索键），用于详情和发起")
    category: str
    label: str = Field(..., description="类案所说的问题，如 电梯 · 故障")
    count: int = Field(..., description="诉求件数")
    communities: int
    streets: int
    raised_topic_id: int | None = Field(None, description="已立为类案议题时的议题 id")


class ClusterListOut(Schema):
    area_id: int
    start: date
    end: date
    min_communities: int = Field(..., description="模板设置的最少社区数 N")
    threshold: float = Field(..., description="相似度阈值")
    computed_at: datetime = Field(..., description="类案计算时间（定时重新计算，约每 10 分钟）")
    items: list[ClusterOut]


class ClusterMemberOut(Schema):
    id: int
    number: str
    text: str = Field(..., description="诉求内容（电话、身份证号脱敏）")
    community: str | None
    reporter: str = Field(..., description="脱敏姓名，或“匿名”")
    status: str
    created_at: datetime


class ClusterTrendOut(Schema):
    period: str = Field(..., description="周（该周周一）或月（YYYY-MM）")
    count: int


class ClusterDetailOut(ClusterOut):
    seed_text: str = Field(..., description="代表诉求（脱敏）")
    members: list[ClusterMemberOut]
    by_community: list[ClusterSpreadOut]
    by_street: list[ClusterSpreadOut]
    trend: list[ClusterTrendOut]


class ClusterRaiseIn(InputSchema):
    area: int | None = Field(None, description="与列表相同的区域")
    start: date | None = None
    end: date | None = None
    title: str = Field("", max_length=200, description="类案议题标题；不填为“类案：类别 · 问题”")


class ClusterTopicOut(Schema):
    id: int
    topic_id: int
    topic_title: str
    level_area: str
    merged: list[str] = Field(..., description="并入议题的诉求编号")
    linked: list[str] = Field(..., description="已在办理、关联类案的诉求编号")
