"""Topics (议题), their opinions and the process templates. Proposers and residents always leave masked (张*)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name
from yishiting.deliberation.choices import TopicStatus

from .common import AreaRef, InputSchema


class TemplateOut(Schema):
    """议事规则模板（各地做法）"""

    id: int
    code: str
    name: str
    locality: str
    description: str
    meeting_forms: list[str]
    required_parties: list[str]
    parties_block: bool = Field(..., description="缺少必须到场的一方时：true 阻止发出通知，false 只提醒")
    min_size: int | None
    max_size: int | None
    quorum_numerator: int
    quorum_denominator: int
    notice_days: int = Field(..., description="至少提前几天通知参会人员")
    cadence: str
    steps: list[str]


class TopicOut(Schema):
    """议题"""

    id: int
    title: str
    status: str = Field(..., description="状态，见 docs/states/topic.md")
    status_label: str
    source: str
    level_area: AreaRef
    scope_area: AreaRef | None
    template_code: str | None
    proposer: str = Field(..., description="提议人（脱敏）")
    demand_count: int = 0
    opinions_close_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_template_code(obj) -> str | None:
        return obj.template.code if obj.template_id else None

    @staticmethod
    def resolve_proposer(obj) -> str:
        return mask_name(obj.proposer.name) if obj.proposer_id else ""


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class OpinionCountsOut(Schema):
    total: int
    support: int
    oppose: int
    other: int
    door: int = Field(..., description="其中入户征求的条数")


class OpinionOut(Schema):
    """一条居民意见（姓名脱敏）"""

    id: int
    person: str
    stance: str
    stance_label: str
    text: str
    channel: str
    updated_at: datetime

    @staticmethod
    def resolve_person(obj) -> str:
        return mask_name(obj.person.name)

    @staticmethod
    def resolve_stance_label(obj) -> str:
        return obj.get_stance_display()


class TimelineLineOut(Schema):
    at: datetime
    sentence: str


class TopicDetailOut(TopicOut):
    """议题详情：说明、分析研判、附件、意见统计、我的意见和时间线"""

    description: str
    analysis: str
    draft_plan: str
    attachments: list[AttachmentOut] = Field(..., alias="attachments_list")
    opinion_counts: OpinionCountsOut
    my_opinion: OpinionOut | None = None
    timeline: list[TimelineLineOut]


class TopicQuery(PageQuery):
    status: TopicStatus | None = Field(None, description="按状态筛选")
    q: str | None = Field(None, max_length=50, description="标题或说明中的字词")
    area_id: int | None = Field(None, description="只看该区域及其下级的议题")


class TopicIn(InputSchema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    level_area_id: int = Field(..., description="议题层级：谁来议（社区、街道或区）")
    scope_area_id: int | None = Field(None, description="涉及范围：征求意见和业主表决的范围（默认同层级）")
    template_code: str | None = Field(None, description="可不填：议题采用层级区域适用的模板（GET /templates/areas/{id}）；填写其他模板会被拒绝（template_by_area）")
    proposer_id: int | None = Field(None, description="提议人（如中心户、议事会成员）")
    proposal_signed: bool = Field(False, description="代他人登记时须有本人签名的书面提议")
    opinions_close_at: datetime | None = None


class AnalysisIn(InputSchema):
    analysis: str = Field(..., max_length=10000, description="分析研判（可行性）")
    draft_plan: str = Field("", max_length=10000, description="初步方案")


class OpinionIn(InputSchema):
    stance: str = Field(..., description="support 支持 / oppose 反对 / other 其他意见")
    text: str = Field("", max_length=1000)


class DoorOpinionIn(OpinionIn):
    person_id: int = Field(..., description="入户征求的居民")


class TransitionIn(InputSchema):
    to: TopicStatus = Field(..., description="目标状态，见 docs/states/topic.md")
    reason: str = Field("", max_length=1000)
