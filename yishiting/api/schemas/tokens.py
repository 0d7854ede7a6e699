"""API tokens."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from .common import InputSchema


class TokenOut(Schema):
    """接口令牌（不含密钥）"""

    id: int
    name: str
    prefix: str = Field(..., description="密钥的前 12 个字符，用于辨认")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="令牌密钥，只显示这一次；请求时放在 Authorization: Bearer 之后")


class TokenCreateIn(InputSchema):
    name: str = Field(..., max_length=100, description="用途，如“数据同步脚本”")
    username: str | None = Field(None, max_length=150, description="未登录时：用户名（与 password 一起）")
    password: str | None = Field(None, max_length=256, description="未登录时：密码；失败计入登录锁定并记入审计")
