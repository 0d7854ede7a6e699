"""Notices (公示), objections (异议) and legality reviews (合法性审核). Objectors always leave masked (张*);
the calendar warning is shown only to office staff (the router blanks it for others)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name
from yishiting.handling.choices import NoticeStatus, ReviewStatus

from .common import AreaRef, InputSchema


class PlanItem(Schema):
    """项目计划的一项：时间、事项、责任人"""

    when: str = Field(..., max_length=200, description="时间，如“12月1日—12月5日”")
    what: str = Field(..., max_length=200, description="事项（路线图的一步）")
    who: str = Field(..., max_length=200, description="责任人")


class NoticeOut(Schema):
    """公示"""

    id: int
    topic_id: int
    topic_title: str
    level_area: AreaRef
    title: str
    status: str = Field(..., description="状态，见 docs/states/notice.md")
    status_label: str
    starts_on: date | None
    ends_on: date | None
    working_days: int
    is_major: bool
    major_reason: str
    objection_count: int = 0
    unanswered_count: int = 0
    published_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_topic_title(obj) -> str:
        return obj.topic.title

    @staticmethod
    def resolve_level_area(obj):
        return obj.topic.level_area

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class LegalReviewOut(Schema):
    """合法性审核"""

    id: int
    topic_id: int
    topic_title: str
    notice_id: int | None
    reviewer_area: AreaRef
    status: str
    status_label: str
    opinion: str
    requested_at: datetime
    reviewed_at: datetime | None

    @staticmethod
    def resolve_topic_title(obj) -> str:
        return obj.topic.title

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class NoticeDetailOut(NoticeOut):
    """公示详情：协商结果、项目计划、责任人、剩余工作日；日历提示只给工作人员"""

    resolution_id: int
    decision: str
    plan: list[PlanItem]
    responsible: str
    days_left: int = Field(0, description="公示期剩余工作日（含今天）")
    calendar_warnings: list[str] = Field(..., description="节假日数据缺失等提示（仅工作人员可见）")
    legal_review: LegalReviewOut | None = None
    may_object: bool = Field(False, description="本人可否提出异议（涉及范围内的居民、公示期内）")


class ObjectionOut(Schema):
    """一条异议（提出人脱敏）及其答复"""

    id: int
    person: str
    text: str
    created_at: datetime
    answer: str
    substantial: bool | None = Field(None, description="是否实质性异议（true 则公示撤回、退回协商）")
    answered_at: datetime | None

    @staticmethod
    def resolve_person(obj) -> str:
        return mask_name(obj.person.name)


class NoticeQuery(PageQuery):
    status: NoticeStatus | None = Field(None, description="按状态筛选")
    q: str | None = Field(None, max_length=50, description="标题或协商结果中的字词")
    area_id: int | None = Field(None, description="只看该区域及其下级的公示")


class ReviewQuery(PageQuery):
    status: ReviewStatus | None = Field(ReviewStatus.PENDING, description="默认只看待审核的")


class NoticeIn(InputSchema):
    resolution_id: int = Field(..., description="决议（下一步须为“进入公示和办理”）")
    title: str = Field("", max_length=200, description="标题，默认“关于……协商结果的公示”")
    plan: list[PlanItem] = Field(default_factory=list, max_length=50)
    responsible: str = Field("", max_length=200)
    starts_on: date | None = Field(None, description="计划开始日期（发布时可改）")
    is_major: bool | None = Field(None, description="工作人员认定为重大事项；按模板规则认定的不能取消")
    major_reason: str = Field("", max_length=150, description="认定为重大事项的依据")


class PublishIn(InputSchema):
    starts_on: date | None = Field(None, description="公示开始日期，默认草稿中的日期或今天")


class MajorIn(InputSchema):
    reason: str = Field(..., max_length=150, description="列为重大事项的依据")


class ObjectionIn(InputSchema):
    text: str = Field(..., max_length=2000)


class AnswerIn(InputSchema):
    answer: str = Field(..., max_length=2000)
    substantial: bool = Field(..., description="实质性异议：公示撤回，议题退回协商")


class DecideIn(InputSchema):
    approve: bool
    opinion: str = Field(..., max_length=2000, description="审核意见")
