"""微心愿: the public wall (no names), one's own and visible wishes, and the writes of each step."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class WallOut(Schema):
    """心愿墙上的一条（不含任何姓名，只到社区）"""

    id: int
    number: str
    community: str
    category: str
    text: str = Field(..., description="工作人员审核通过的公开内容")
    status: str = Field(..., description="open 待认领、claimed 已认领、fulfilled 已实现")
    donor_kind: str = Field("", description="unit 爱心单位、party_member 党员、resident 居民")
    created_at: datetime


class WishOut(WallOut):
    status_label: str
    original_text: str | None = Field(None, description="心愿原文：心愿人、认领人和工作人员可见")
    reject_reason: str = ""
    claim_due_on: date | None = None
    thanks: str = ""
    actions: list[str] = Field(default_factory=list, description="当前用户可执行的操作")


class WallQuery(PageQuery):
    community: int | None = Field(None, description="只看某个社区")


class WishQuery(PageQuery):
    mine: bool = Field(False, description="只看自己发布的")
    status: str | None = None


class PostIn(InputSchema):
    category: str
    text: str = Field(..., max_length=300)
    community: int | None = Field(None, description="工作人员代发时的社区")
    beneficiary_note: str = Field("", max_length=100)
    wisher: int | None = Field(None, description="工作人员为某位居民代发（如没有手机的老人）：居民的 id，取自人员选择器")


class ApproveIn(InputSchema):
    public_text: str = Field(..., max_length=200)
    no_money: bool
    no_personal_data: bool


class WishReasonIn(InputSchema):
    reason: str = Field(..., max_length=200)


class WishClaimIn(InputSchema):
    organization: int | None = Field(None, description="以单位名义认领（须为该单位代表）")


class ThanksIn(InputSchema):
    text: str = Field(..., max_length=200)
