"""Self-registration and household claims (住户申报). The claimant leaves masked, like every person."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from yishiting.common.masking import mask_mobile, mask_name

from .common import InputSchema


class RegisterCodeIn(InputSchema):
    mobile: str = Field(..., max_length=20, description="11 位手机号；已注册的号码返回 409 already_registered")


class RegisterIn(InputSchema):
    mobile: str = Field(..., max_length=20)
    code: str = Field(..., max_length=6, description="短信中的 6 位验证码；输错计入与短信登录相同的锁定")
    name: str = Field(..., max_length=50, description="真实姓名（对他人脱敏显示）")
    token_name: str = Field("注册时创建", max_length=100, description="同时创建的接口令牌的用途")


class RegisteredOut(Schema):
    user_id: int
    username: str
    secret: str = Field(..., description="接口令牌密钥，只显示这一次；请求时放在 Authorization: Bearer 之后")


class BuildingOut(Schema):
    """楼栋（申报住户时选择）"""

    id: int
    name: str
    estate: str = Field(..., description="所在小区或网格")
    full_name: str

    @staticmethod
    def resolve_estate(obj) -> str:
        return obj.parent.name if obj.parent_id else ""


class ClaimHouseholdOut(Schema):
    """楼栋内的一户"""

    id: int
    unit: str = Field(..., description="单元")
    number: str = Field(..., description="户号")

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class ClaimOut(Schema):
    """住户申报"""

    id: int
    household: ClaimHouseholdOut
    building: str
    relation: str = Field(..., description="owner 业主 / tenant 租户 / family 家庭成员")
    relation_label: str
    status: str = Field(..., description="pending 待审核 / approved 已认证 / rejected 未通过 / withdrawn 已撤回")
    status_label: str
    auto_verified: bool = Field(..., description="与业主名册（姓名、手机号）一致，提交时即认证")
    reason: str = Field(..., description="未通过原因")
    person_name: str = Field(..., description="申报人（脱敏）")
    person_mobile: str = Field(..., description="申报人手机号（脱敏）")
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_building(obj) -> str:
        unit = obj.household.unit
        return unit.parent.name if unit.parent_id else ""

    @staticmethod
    def resolve_relation_label(obj) -> str:
        return obj.get_relation_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_person_name(obj) -> str:
        return mask_name(obj.person.name)

    @staticmethod
    def resolve_person_mobile(obj) -> str:
        return mask_mobile(obj.person.mobile)


class ClaimIn(InputSchema):
    household_id: int
    relation: str = Field(..., description="owner / tenant / family")


class RejectIn(InputSchema):
    reason: str = Field(..., max_length=200, description="申报人会看到的原因")
