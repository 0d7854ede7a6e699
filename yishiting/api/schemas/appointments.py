"""事务预约: services, free slots, bookings (with the check-in code for their owner) and the desk's day."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class ServiceOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="room 场地、legal 法律咨询、government 政务服务、other 其他")
    area: str
    place: str
    slot_minutes: int
    capacity: int
    cancel_cutoff_hours: int


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    free: int


class BookingOut(Schema):
    id: int
    number: str
    service: str
    starts_at: datetime
    status: str = Field(..., description="booked 已预约、cancelled 已取消、checked_in 已签到、no_show 未到")
    code: str | None = Field(None, description="签到码：只给预约人本人")
    person: str | None = Field(None, description="预约人（脱敏）：只给窗口工作人员")
    note: str


class BookIn(InputSchema):
    note: str = Field("", max_length=200)
    person: int | None = Field(None, description="代居民预约（工作人员）：居民的 id，取自人员选择器；不填为自己预约")


class CheckInCodeIn(InputSchema):
    code: str = Field(..., pattern=r"^\d{6}$")


class DeskQuery(PageQuery):
    day: date | None = Field(None, description="默认今天")
    service: int | None = None
