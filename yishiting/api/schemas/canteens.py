"""幸福食堂: menus with the caller's own price, meal orders (the delivery address only for the diner's side, the
canteen's staff and the assigned courier), daily counts and the monthly subsidy ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import CheckedSchema, InputSchema


class MealItemOut(Schema):
    id: int
    canteen_id: int
    canteen: str
    day: date
    meal: str = Field(..., description="lunch 午餐、dinner 晚餐")
    name: str
    price: Decimal = Field(..., description="标价（元）")
    my_price: Decimal = Field(..., description="调用者按优惠规则应付的价格（元）")
    rule: str | None = Field(None, description="适用的优惠规则")
    left: int = Field(..., description="剩余份数")


class MenuQuery(CheckedSchema):
    day: date | None = Field(None, description="日期，默认今天")


class MealOrderIn(InputSchema):
    item: int = Field(..., description="菜单菜品 id")
    fulfilment: str = Field(..., description="eat_in 堂食、pickup 自取、delivery 送餐上门")
    address: str = Field("", max_length=200, description="送餐地址（送餐上门必填）")
    note: str = Field("", max_length=200)
    diner_id_number: str | None = Field(None, description="代老人、儿童点餐时用餐人的身份证号（工作人员）")


class MealOrderOut(Schema):
    id: int
    number: str
    canteen: str
    item: str
    day: date
    meal: str
    fulfilment: str
    status: str
    status_label: str
    diner: str = Field(..., description="脱敏姓名")
    address: str = Field(..., description="送餐地址；用餐人一方、食堂工作人员和接单的志愿者以外只见脱敏地址")
    listed_price: Decimal
    paid_price: Decimal
    given_up: Decimal = Field(..., description="食堂让利（标价 − 个人支付）")
    rule: str
    courier: str | None
    rating: int | None
    placed_at: datetime
    actions: list[str] = Field(..., description="调用者现在可以做的：cancel accept reject assign serve deliver confirm")


class MealOrderQuery(PageQuery):
    mine: bool = Field(False, description="只看自己点的（或代点的）")
    status: str | None = None


class ActionIn(InputSchema):
    courier: int | None = Field(None, description="assign：送餐志愿者的人员 id")
    rating: int | None = Field(None, ge=1, le=5, description="confirm：给送餐志愿者的评分")
    comment: str = Field("", max_length=200)


class CountsOut(Schema):
    day: date
    orders: int
    by_meal: dict[str, int]
    by_fulfilment: dict[str, int]
    deliveries: int
    delivered: int
    listed: Decimal
    paid: Decimal
    given_up: Decimal


class CountsQuery(CheckedSchema):
    day: date | None = None


class LedgerQuery(CheckedSchema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM，默认本月")


class LedgerTotalOut(Schema):
    canteen_id: int
    canteen: str
    orders: int
    discounted: int
    listed: Decimal
    paid: Decimal
    given_up: Decimal
