"""Schemas of /bodies (standing bodies, issue 20)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class BodyQuery(PageQuery):
    q: str | None = Field(None, max_length=50, description="名称或所属区域包含")
    kind: str | None = Field(None, max_length=32, description="议事组织类型代码，如 party_mass_council")


class BodyMemberOut(Schema):
    """议事组织的一名现任成员：在职干部按职务署名，居民姓名脱敏（有权查看者除外，留痕）。"""

    id: int
    role: str
    role_label: str
    name: str = Field(..., description="成员或单位代表的姓名（按查看者权限脱敏）")
    office: str = Field("", description="在职干部的职务")
    organization: str = Field("", description="成员单位名称")
    term_start: date
    term_end: date | None = None


class BodyOut(Schema):
    """议事组织。"""

    id: int
    name: str
    kind: str
    kind_name: str
    area_id: int
    area: str
    seats: int = Field(..., description="现任成员数")


class BodyDetailOut(BodyOut):
    members: list[BodyMemberOut]


class MemberAddIn(InputSchema):
    person_id: int | None = Field(None, description="成员（个人），与 organization_id 二选一")
    organization_id: int | None = Field(None, description="成员单位")
    representative_id: int | None = Field(None, description="单位代表（仅单位成员）")
    role: str = Field("member", max_length=16, description="convener 召集人、secretary 秘书、member 成员")
    term_start: date | None = Field(None, description="任期开始，默认今天")
    term_end: date | None = None


class RoleIn(InputSchema):
    role: str = Field(..., max_length=16)


class EndIn(InputSchema):
    on: date | None = Field(None, description="离任日期，默认今天")
    reason: str = Field("", max_length=200)
