"""志愿服务 (issue 19): activities with places and sign-ups, QR check-in, check-out with hours and a rating,
teams, 公益服务岗, and one's own record. Names of other people leave masked (张*)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from .common import InputSchema


class ActivityOut(Schema):
    id: int
    title: str
    team: str | None
    community: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int = Field(..., description="已占名额（已报名、已签到、已签退）")
    waiting: int = Field(..., description="候补人数")
    full: bool = Field(..., description="名额已满（再报名进入候补）")
    status: str = Field(..., description="open 报名中、finished 已结束、cancelled 已取消")
    my_status: str | None = Field(None, description="我的报名状态：signed_up、waiting、checked_in、checked_out、absent")


class VolunteerAttendanceOut(Schema):
    id: int
    activity_id: int
    person: str = Field(..., description="脱敏姓名")
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: str | None = Field(None, description="确认的服务时长（小时，一位小数）")
    rating: int | None


class CheckInIn(InputSchema):
    code: str = Field(..., max_length=64, description="组织人出示的二维码中的签到码（签到网址的最后一段）")


class CheckOutIn(InputSchema):
    rating: int = Field(..., ge=1, le=5)
    hours: str | None = Field(None, max_length=8, description="留空按签到签退时间计算；修改时须填 reason")
    reason: str = Field("", max_length=200)


class TeamOut(Schema):
    id: int
    name: str
    area: str
    description: str
    members: int


class PostOut(Schema):
    id: int
    name: str
    community: str
    team: str | None
    description: str
    capacity: int
    holders: int = Field(..., description="今天在岗人数")


class PostClaimIn(InputSchema):
    starts_on: date
    ends_on: date


class PostClaimOut(Schema):
    id: int
    post_id: int
    post: str
    starts_on: date
    ends_on: date
    status: str
    released_on: date | None


class VolunteerRecordOut(Schema):
    """我的志愿服务：经确认的时长、次数、平均评价"""

    hours: str
    services: int
    rating: str | None
    activities: list[VolunteerAttendanceOut]
    claims: list[PostClaimOut]
