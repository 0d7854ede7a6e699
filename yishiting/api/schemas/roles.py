"""Role assignments."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name

from .common import AreaRef, InputSchema, OrganizationRef


class PersonRef(Schema):
    id: int
    name: str = Field(..., description="脱敏姓名")

    @staticmethod
    def resolve_name(obj) -> str:
        return mask_name(obj.name)


class RoleOut(Schema):
    """角色分配"""

    id: int
    role: str
    role_label: str
    person: PersonRef
    area: AreaRef
    organization: OrganizationRef | None
    expert_level: int | None
    title: str
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class RoleQuery(PageQuery):
    under: int | None = Field(None, description="只列出该区域以下的角色")
    role: str | None = Field(None, max_length=32, description="角色代码")
    person: int | None = Field(None, description="人员编号")
    active: bool | None = Field(True, description="true 仅有效的（默认），false 仅已撤销的；留空则全部")


class RoleAssignIn(InputSchema):
    person_id: int
    role: str = Field(..., max_length=32)
    area_id: int
    organization_id: int | None = None
    expert_level: int | None = Field(None, description="专家库级别：1 区级，2 街道级，3 社区级")
    title: str = Field("", max_length=64)
