"""挂点联系 and 党代表联系群众: links, the leader's glance at each linked community, contact records with their
matters (each turned into a demand in one call), and the yearly count per deputy."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class LinkOut(Schema):
    id: int
    leader_id: int
    leader: str = Field(..., description="挂点领导（在职干部，全名）")
    level: str = Field(..., description="district 区领导、street 街道领导")
    community_id: int
    community: str
    starts_on: date
    ends_on: date | None = None
    is_active: bool
    in_force: bool = Field(..., description="今天是否在挂点期内")


class LinkIn(InputSchema):
    leader_id: int
    community_id: int
    starts_on: date
    ends_on: date | None = Field(None, description="不填表示长期")
    note: str = Field("", max_length=200)


class LinkEndIn(InputSchema):
    reason: str = Field("", max_length=200)


class LinkQuery(PageQuery):
    q: str = Field("", max_length=50, description="领导或社区名称")
    state: str = Field("", max_length=16, description="current 在挂点期内，ended 已结束或未开始")


class StageOut(Schema):
    key: str
    label: str
    open: int
    overdue: int
    red: int


class PressingOut(Schema):
    kind: str
    title: str
    area: str
    deadline: date
    days: int
    red: bool
    status: str


class MeetingBrief(Schema):
    id: int
    title: str
    starts_at: str
    status_label: str


class GlanceOut(Schema):
    link: LinkOut
    stages: list[StageOut]
    pressing: list[PressingOut]
    meetings: list[MeetingBrief]
    satisfaction_percent: str | None = Field(None, description="今年满意率（%）")
    satisfaction_count: int = 0


class MatterOut(Schema):
    id: int
    text: str
    demand_id: int | None = None
    demand_number: str | None = None
    demand_status: str = Field("", description="诉求当前状态；尚未转为诉求时为空")
    done: bool = Field(False, description="按统计总览的办结规则已办结")


class ContactRecordOut(Schema):
    id: int
    deputy: str
    deputy_kind: str
    area_id: int
    area: str
    held_on: date
    place: str
    method: str
    method_label: str
    people_count: int
    summary: str
    matters: list[MatterOut] = Field(default_factory=list)


class ContactRecordIn(InputSchema):
    area_id: int
    held_on: date
    place: str = Field(..., max_length=100)
    method: str = Field(..., max_length=16, description="reception 接待日、visit 走访、forum 座谈")
    deputy_kind: str = Field(..., max_length=16, description="party 党代表、npc 人大代表、cppcc 政协委员")
    people_count: int = Field(..., ge=1, le=10000)
    person_ids: list[int] = Field(default_factory=list, max_length=50, description="联系的居民（选填）")
    summary: str = Field("", max_length=2000)
    matters: list[str] = Field(default_factory=list, max_length=20, description="反映的事项，每项一条")


class MatterIn(InputSchema):
    text: str = Field(..., max_length=500)


class ContactRecordQuery(PageQuery):
    q: str = Field("", max_length=50)
    method: str = Field("", max_length=16)
    year: int | None = Field(None, ge=2000, le=2100)
    deputy_id: int | None = None


class DemandRef(Schema):
    id: int
    number: str
    status: str


class DeputyYearOut(Schema):
    deputy_id: int
    name: str
    contacts: int
    people: int
    raised: int
    demands: int
    done: int
