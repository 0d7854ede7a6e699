"""网格工作: one's 包联, field records (走访、巡查、联合巡查、三方对话会) sent from the phone, findings made demands,
coverage per grid, and the chain that serves a resident (亮身份)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import CheckedSchema, InputSchema

KINDS = "visit 走访、patrol 巡查、joint_patrol 联合巡查、tripartite 三方对话会"


class GridAssignmentOut(Schema):
    id: int
    estate: str
    estate_id: int
    household_id: int | None = None
    building_id: int | None = None
    place: str = Field(..., description="楼栋、单元和房号，或楼栋名")
    keeper: str = Field(..., description="包联人（居民身份的只显示姓氏）")
    visited: bool = Field(..., description="本期（所查月份）是否已走访")


class GridAssignmentQuery(PageQuery):
    month: str = Field("", max_length=7, description="月份 YYYY-MM，默认本月")
    estate: int | None = Field(None, description="工作人员：查看某个小区（网格）的全部包联；不填为本人的包联")
    unvisited: bool = Field(False, description="只看本期未走访的")


class GridAssignmentIn(InputSchema):
    keeper_id: int = Field(..., description="包联人（本社区的干部、网格员或党员）")
    household_id: int | None = Field(None, description="包联住户（与 building_id 二选一）")
    building_id: int | None = Field(None, description="包联楼栋")


class RecordBase(InputSchema):
    kind: str = Field(..., max_length=16, description=KINDS)
    place_id: int = Field(..., description="地点：楼栋，或整个小区")
    household_id: int | None = Field(None, description="走访的住户（走访必填）")
    occurred_at: datetime | None = Field(None, description="时间，默认现在")
    position: str = Field("", max_length=100, description="位置说明")
    latitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    summary: str = Field(..., max_length=1000, description="情况记录")
    participants: str = Field("", max_length=300, description="联合巡查、三方对话会的参加人员")
    organization_ids: list[int] = Field(default_factory=list, description="参加单位（物业、业委会等）")


class FieldRecordIn(RecordBase):
    findings: list[str] = Field(default_factory=list, description="发现的问题，每条可转为诉求（最多 10 条）")


class RecordFormIn(RecordBase):
    findings: str = Field("", max_length=5000, description="发现的问题，一行一条")


class FindingOut(Schema):
    id: int
    text: str
    demand_id: int | None = None
    demand_number: str | None = None


class FieldRecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    estate_id: int
    estate: str
    place_id: int
    place: str
    household_id: int | None = None
    occurred_at: datetime
    position: str
    latitude: Decimal | None = Field(None, description="纬度（现场定位，选填）")
    longitude: Decimal | None = Field(None, description="经度（现场定位，选填）")
    summary: str
    participants: str
    recorder: str
    findings: list[FindingOut]
    photos: list[str] = Field(default_factory=list, description="照片地址（登录后可看）")


class FieldRecordQuery(PageQuery):
    month: str = Field("", max_length=7, description="月份 YYYY-MM，默认本月")
    kind: str = Field("", max_length=16, description=KINDS)
    estate: int | None = None
    mine: bool = Field(False, description="只看本人记录的")


class ReportedOut(Schema):
    finding_id: int
    demand_id: int
    number: str
    channel: str


class CoverageQuery(CheckedSchema):
    month: str = Field("", max_length=7, description="月份 YYYY-MM，默认本月")
    page: int = Field(1, ge=1, le=10000)


class GridCoverageOut(Schema):
    estate_id: int
    estate: str
    community: str
    households: int
    visited: int = Field(..., description="本月走访过的户数")
    assigned: int
    assigned_unvisited: int
    visits: int
    patrols: int = Field(..., description="巡查次数（含联合巡查）")
    talks: int = Field(..., description="三方对话会次数")
    findings: int
    reported: int = Field(..., description="转为诉求的问题数")
    solved_in_grid: int = Field(..., description="网格内解决（小事不出网格）：社区直接办理、未提请上级、办理层级仍在本网格且已销号")


class CoveragePage(Schema):
    month: str
    definition: str
    items: list[GridCoverageOut]
    has_next: bool


class ChainOut(Schema):
    role: str
    label: str
    name: str = Field(..., description="在职人员（网格员、网格长）全名，居民身份的只显示姓氏")
    area: str
    plaque_on: date | None = Field(None, description="党员中心户挂牌日期")


class MineOut(Schema):
    estate: str | None = None
    building: str | None = None
    chain: list[ChainOut]
    keepers: list[str]
