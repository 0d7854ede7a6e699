"""People. Names, mobiles and ID numbers always leave masked; /people/{id}/reveal is the audited way out."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import model_validator

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_id_number, mask_mobile, mask_name

from .common import AreaRef, InputSchema


class PersonOut(Schema):
    """人员（已脱敏）"""

    id: int
    name: str = Field(..., description="脱敏姓名，如 张*")
    mobile: str = Field(..., description="脱敏手机号，如 138****1234")
    id_number: str = Field(..., description="脱敏身份证号，保留首 1 位和末 2 位")
    household_id: int | None
    area: AreaRef | None
    has_account: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return mask_name(obj.name)

    @staticmethod
    def resolve_mobile(obj) -> str:
        return mask_mobile(obj.mobile)

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_has_account(obj) -> bool:
        return obj.user_id is not None


class PersonQuery(PageQuery):
    under: int | None = Field(None, description="只列出该区域以下的人员")
    q: str | None = Field(None, max_length=50, description="完整的姓名、手机号或身份证号（不支持模糊检索）")


class PersonCreateIn(InputSchema):
    name: str = Field(..., max_length=50)
    mobile: str = Field("", max_length=20)
    id_number: str | None = Field(None, max_length=18)
    household_id: int | None = Field(None, description="所在住户；与 area_id 二选一")
    area_id: int | None = Field(None, description="所属区域（无住户时）；与 household_id 二选一")

    @model_validator(mode="after")
    def one_place(self):
        if (self.household_id is None) == (self.area_id is None):
            raise ValueError("household_id 和 area_id 须且只能填写一个。")
        return self


class PersonUpdateIn(InputSchema):
    """只修改请求中给出的字段。"""

    name: str | None = Field(None, max_length=50)
    mobile: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=18)
    household_id: int | None = None
    area_id: int | None = None

    @model_validator(mode="after")
    def one_place(self):
        if self.household_id is not None and self.area_id is not None:
            raise ValueError("household_id 和 area_id 只能填写一个。")
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("姓名不能为空。")
        return self


class RevealIn(InputSchema):
    reason: str = Field("", max_length=200, description="查看事由，记入审计日志")


class RevealOut(Schema):
    """未脱敏的个人信息（本次查看已记入审计日志）"""

    name: str
    mobile: str
    id_number: str
