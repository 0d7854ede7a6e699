"""The caller: account, person, roles and permissions."""

from __future__ import annotations

from ninja import Schema

from yishiting.common.masking import mask_name

from .common import AreaRef, OrganizationRef


class MyPersonOut(Schema):
    id: int
    name: str
    household_id: int | None
    area: AreaRef | None

    @staticmethod
    def resolve_name(obj) -> str:
        return mask_name(obj.name)


class MyRoleOut(Schema):
    id: int
    role: str
    role_label: str
    area: AreaRef
    organization: OrganizationRef | None
    title: str

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class PermissionOut(Schema):
    name: str
    label: str


class MeOut(Schema):
    """当前用户"""

    id: int
    username: str
    is_superuser: bool
    person: MyPersonOut | None
    roles: list[MyRoleOut]
    permissions: list[PermissionOut]
