"""Schemas of /alliances (党建联盟, issue 21)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import InputSchema


class AllianceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    area_id: int
    area: str
    grades: str


class ClauseOut(Schema):
    number: int
    text: str


class CovenantOut(Schema):
    id: int
    number: int
    title: str
    status: str
    clauses: list[ClauseOut]


class AllianceMemberOut(Schema):
    id: int
    organization: str
    status: str
    liaison: str = Field(description="联络党员：联络办和成员单位看全名，其他人看脱敏后的姓名")
    accepted_version: int | None = Field(None, description="本单位承诺遵守的盟约版本号")
    admitted_on: date | None


class AllianceCommitteeOut(Schema):
    id: int
    name: str
    lead: str
    members: list[str]


class AllianceDetailOut(AllianceOut):
    covenant: CovenantOut | None
    members: list[AllianceMemberOut]
    committees: list[AllianceCommitteeOut]


class AllianceTaskQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)


class AllianceTaskOut(Schema):
    id: int
    year: int
    quarter: int
    title: str
    source: str
    status: str
    committee: str | None
    owner: str | None
    deadline: date | None
    progress: int
    hours: Decimal


class AllianceApplyIn(InputSchema):
    organization_id: int
    liaison_id: int
    application: str = Field("", max_length=1000)
    accepts_covenant: bool = Field(description="承诺遵守现行盟约（必须为 true）")
    superior: str = Field("", max_length=100)


class AllianceVoteOut(Schema):
    id: int
    matter: str
    status: str
    electorate: int
    quorum: int
    yes: int
    no: int
    abstain: int


class AllianceBallotIn(InputSchema):
    choice: str = Field(description="yes / no / abstain")
    member_id: int | None = Field(None, description="联络办代为录入时填写成员单位；联络党员本人投票不填")


class AllianceProgressIn(InputSchema):
    progress: int = Field(ge=0, le=100)
    note: str = Field(max_length=300)
    hours: Decimal = Field(Decimal("0"), ge=0, le=1000)
