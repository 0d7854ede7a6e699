"""Organizations."""

from __future__ import annotations

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import AreaRef, InputSchema


class OrganizationOut(Schema):
    """组织"""

    id: int
    kind: str
    kind_label: str
    name: str
    area: AreaRef
    parent_id: int | None
    credit_code: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class OrganizationQuery(PageQuery):
    under: int | None = Field(None, description="只列出服务该区域以下的组织")
    kind: str | None = Field(None, max_length=32, description="组织类型代码")
    q: str | None = Field(None, max_length=50, description="名称包含")


class OrganizationCreateIn(InputSchema):
    kind: str = Field(..., max_length=32)
    name: str = Field(..., max_length=200)
    area_id: int
    parent_id: int | None = None
    credit_code: str = Field("", max_length=18)
