"""Points, the 积分超市 and the 时间银行: balances, statements (each line with the event that caused it), goods,
redemptions with their pickup codes, transfers of hours, the communities' totals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from .common import InputSchema


class BalanceOut(Schema):
    points: int
    hours: Decimal


class LineOut(Schema):
    """明细一行：来源事件（event_id、事件类型）及其对象（subject_type/subject_id，可打开时前往该记录）"""

    id: int
    kind: str
    kind_label: str
    amount: Decimal = Field(..., description="积分或小时，支出为负")
    note: str
    event_id: int
    event_kind: str
    subject_type: str
    subject_id: str
    created_at: datetime


class ItemOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    price: int
    stock: int


class RedemptionOut(Schema):
    id: int
    item_id: int
    item: str
    points: int
    code: str = Field(..., description="领取码（仅兑换人本人和核销后的工作人员可见）")
    status: str
    status_label: str
    expires_at: datetime
    created_at: datetime


class PickupCodeIn(InputSchema):
    code: str = Field(..., min_length=8, max_length=8)


class TransferIn(InputSchema):
    to: int = Field(..., description="家人的人员编号（同一住户）")
    hours: Decimal = Field(..., gt=0, le=1000, decimal_places=2)
    note: str = Field("", max_length=100)


class TotalOut(Schema):
    community_id: int
    community: str
    hours_given: Decimal
    hours_withdrawn: Decimal
    points_earned: int
    points_redeemed: int
