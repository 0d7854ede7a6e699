"""Areas and households."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import AreaRef, InputSchema


class LevelOut(Schema):
    code: str
    name: str
    depth: int


class AreaOut(Schema):
    """区域"""

    id: int
    name: str
    full_name: str
    code: str
    level: LevelOut
    parent_id: int | None
    is_active: bool


class AreaQuery(PageQuery):
    under: int | None = Field(None, description="只列出该区域（含）以下的区域")
    level: str | None = Field(None, description="层级代码，如 community")
    q: str | None = Field(None, max_length=50, description="按名称或拼音（首字母或全拼）检索")


class AreaCreateIn(InputSchema):
    parent_id: int | None = Field(None, description="上级区域；为空表示最高一级（仅超级管理员）")
    level: str = Field(..., max_length=32, description="层级代码，必须是上级的下一级")
    name: str = Field(..., max_length=100)
    code: str = Field(..., max_length=64, description="区域编码：字母、数字、下划线、连字符")


class AreaRenameIn(InputSchema):
    name: str = Field(..., max_length=100)


class HouseholdOut(Schema):
    """住户"""

    id: int
    unit: AreaRef
    number: str
    exclusive_area: Decimal = Field(..., description="专有部分面积（平方米，两位小数）")


class HouseholdQuery(PageQuery):
    under: int | None = Field(None, description="只列出该区域以下的住户")
    number: str | None = Field(None, max_length=32, description="户号")


class HouseholdCreateIn(InputSchema):
    unit_id: int
    number: str = Field(..., max_length=32)
    exclusive_area: Decimal = Field(..., description="专有部分面积（平方米），如 \"89.50\"")
