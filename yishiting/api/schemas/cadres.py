"""干部成长档案与践诺清单: archives (credits, mentors, posts, matters led, pledges), the monthly ranking,
attendance, and pledges published, updated and completed; the public pledge list of an area."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class CadreOut(Schema):
    id: int
    name: str = Field(..., description="姓名（在职干部，全名）")
    kind: str = Field(..., description="secretary 社区书记、reserve 后备干部、grid_worker 网格员、young 年轻干部")
    post: str
    area_id: int
    area: str


class CadreQuery(PageQuery):
    q: str = Field("", max_length=40)
    kind: str = Field("", max_length=16)


class CreditsOut(Schema):
    programme_id: int
    programme: str
    credits: Decimal
    attended: int
    activities: int
    honours: list[date]


class CadreMatterOut(Schema):
    key: str = Field(..., description="topics 提议的议题、meetings 主持的会议、tasks 经办的任务、cases 主持的调解、whistles 吹哨")
    label: str
    total: int
    done: int


class PledgeOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    post: str
    what: str
    measure: str
    due_on: date
    status: str = Field(..., description="active 践诺中、done 已兑现")
    progress: int
    is_overdue: bool
    is_stale: bool = Field(..., description="进度久未更新（按工作日计）")
    last_update_on: date
    result: str
    completed_on: date | None = None


class ArchiveOut(CadreOut):
    credits: list[CreditsOut]
    mentors: list[str]
    posts: list[str]
    matters: list[CadreMatterOut]
    pledges: list[PledgeOut]


class RankOut(Schema):
    cadre_id: int
    name: str
    rank: int
    credits: Decimal
    attended: int
    honoured: bool
    bottom: bool = Field(..., description="排名靠后，列入约谈提醒")
    talked: bool


class AttendanceIn(InputSchema):
    cadre_id: int
    credits: Decimal | None = Field(None, description="不填按课程活动的学分")


class PledgeIn(InputSchema):
    what: str = Field(..., max_length=120)
    measure: str = Field(..., max_length=200)
    due_on: date


class PledgeProgressIn(InputSchema):
    progress: int = Field(..., ge=0, le=100)
    note: str = Field(..., max_length=300)


class CompleteIn(InputSchema):
    result: str = Field(..., max_length=300)


class PledgeQuery(PageQuery):
    mine: bool = Field(False, description="只看本人的")
