"""公开统计 without login: the public areas, and the figures per community × category × month, suppressed — the
same as the page /public/stats/ and its open data (one row per figure, the open data's column names)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class PublicAreaQuery(PageQuery):
    parent: int | None = Field(None, description="只列该地区的下级（如某区的街道、某街道的社区）")


class PublicAreaOut(Schema):
    """可查询公开统计的地区（区、街道、社区）"""

    id: int
    code: str
    name: str
    full_name: str
    level: str = Field(..., description="层级代码：district、street、community 等")
    parent_id: int | None


class PublicStatsQuery(PageQuery):
    area: int | None = Field(None, description="地区 id（区、街道或社区，见 GET /public/areas）；不填为第一个区")
    start: str | None = Field(None, pattern=MONTH, description="起始月份 YYYY-MM；不填为结束月份之前 5 个月")
    end: str | None = Field(None, pattern=MONTH, description="结束月份 YYYY-MM（含）；不填为本月")
    measure: Literal["received", "done"] | None = Field(
        None, description="received 收到诉求，done 其中已办结；不填两项都给")


class PublicFigureOut(Schema):
    """一个数字：某月、某社区（或全区合计）、某类别（或各类合计）、某项指标"""

    month: str = Field(..., description="月份 YYYY-MM")
    areaCode: str = Field(..., description="社区编码；全区合计为 _all")
    areaName: str
    categoryCode: str = Field(..., description="类别代码；各类合计为 _all")
    categoryName: str = Field(..., description="类别名称（合计为空）")
    measure: str = Field(..., description="received 收到诉求，done 已办结")
    value: int | None = Field(..., description="件数；被隐藏时为 null")
    suppressed: str = Field(..., description="空：照常公开；small：1 到 4 件；complementary：为防反推而隐藏")


class PublicStatsOut(Schema):
    """公开统计（分页）：每行一个数字，按指标、月份（新的在前）、社区、类别排列"""

    area: PublicAreaOut
    start: str
    end: str
    counted_to: datetime | None = Field(..., description="汇总表统计截至的时间；尚未统计时为 null")
    rule: str = Field(..., description="隐藏规则的中文说明")
    count: int = Field(..., description="总行数（由月数、社区数和类别数算出，不逐条计数）")
    count_capped: bool = False
    has_next: bool
    page: int
    page_size: int
    items: list[PublicFigureOut]
