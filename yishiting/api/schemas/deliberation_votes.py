"""Votes (表决), ballots, written proxies and show-of-hands counts. People leave masked (张*); a secret
ballot never says what was chosen, and its counts are shown only once the vote is closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from yishiting.common.masking import mask_name
from yishiting.deliberation.choices import VoteStatus

from .common import AreaRef, InputSchema

METHODS = "hands 举手表决，named 记名投票，secret 无记名投票，owners 业主共同决定（民法典第二百七十八条）"
RULES = "majority 出席人数过半数，two_thirds 出席人数三分之二以上，custom 自定义比例，art278 民法典第二百七十八条"
MATTERS = ("rules 议事规则，statute 管理规约，committee 业委会，manager 物业服务企业，fund_use 使用维修资金，"
           "fund_raise 筹集维修资金（¾），rebuild 改建重建（¾），common_use 改变共有部分用途（¾），other 其他重大事项")


class VoteIn(InputSchema):
    """发起表决"""

    topic_id: int
    question: str = Field(..., max_length=300, description="表决事项")
    method: str = Field(..., description=METHODS)
    rule: str = Field(..., description=RULES)
    options: list[str] | None = Field(None, description="选项，默认 同意/反对/弃权；业主共同决定只能用默认选项")
    meeting_id: int | None = Field(None, description="会议表决：进行中的会议或网上议事，议题须在议程上")
    matter: str = Field("", description="业主共同决定的事项：" + MATTERS)
    scope_area_id: int | None = Field(None, description="业主共同决定的范围（楼栋、单元或小区），须在议题涉及范围内")
    threshold_numerator: int | None = Field(None, ge=1, le=1000, description="自定义比例的分子（custom）")
    threshold_denominator: int | None = Field(None, ge=1, le=1000, description="自定义比例的分母（custom）")
    closes_at: datetime | None = Field(None, description="截止时间（可选）")


class BallotIn(InputSchema):
    """投票"""

    choice: str = Field(..., max_length=100, description="所选选项，须为表决的选项之一")
    household_id: int | None = Field(None, description="业主表决：为哪一户投票（默认本人所在户；受托人须指明）")


class PaperBallotIn(InputSchema):
    """录入纸质票"""

    choice: str = Field(..., max_length=100)
    household_id: int | None = Field(None, description="业主表决：纸质票所属的户（必填）")
    voter_id: int | None = Field(None, description="签署人：业主表决默认为该户业主；会议表决必填（已签到的参会人员）")


class ProxyIn(InputSchema):
    """登记书面委托"""

    household_id: int
    grantor_id: int = Field(..., description="委托人：该户的业主")
    holder_id: int = Field(..., description="受托人：另一人")
    document: str = Field(..., max_length=200, description="委托书编号或说明")


class HandsIn(InputSchema):
    """登记举手人数"""

    counts: dict[str, int] = Field(..., description="每个选项的举手人数，合计不超过出席（已签到）人数")


class VoteTopicRef(Schema):
    id: int
    title: str


class VoteOut(Schema):
    """表决"""

    id: int
    topic: VoteTopicRef
    meeting_id: int | None
    question: str
    method: str = Field(..., description=METHODS)
    method_label: str
    rule: str
    rule_label: str
    threshold_numerator: int | None
    threshold_denominator: int | None
    matter: str
    matter_label: str
    scope_area: AreaRef | None
    options: list[str]
    status: str = Field(..., description="open 投票中，closed 已结束")
    status_label: str
    closes_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    ballot_count: int = Field(0, description="已投票数（户或人）")
    counts: dict[str, int] | None = Field(None, description="各选项票数；无记名投票在结束后才公布")
    my_ballot: dict[str, Any] | None = Field(None, description="本人（或本人所在户）是否已投票；无记名不含所选")

    @staticmethod
    def resolve_ballot_count(obj) -> int:
        return getattr(obj, "ballot_total", 0)

    @staticmethod
    def resolve_counts(obj) -> dict[str, int] | None:
        return getattr(obj, "live_counts", None)

    @staticmethod
    def resolve_my_ballot(obj) -> dict[str, Any] | None:
        return getattr(obj, "mine", None)
    result: dict[str, Any] | None = Field(None, description="结束时的完整计票，可逐项核对")

    @staticmethod
    def resolve_method_label(obj) -> str:
        return obj.get_method_display()

    @staticmethod
    def resolve_rule_label(obj) -> str:
        return obj.get_rule_display()

    @staticmethod
    def resolve_matter_label(obj) -> str:
        return obj.get_matter_display() if obj.matter else ""

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_result(obj) -> dict[str, Any] | None:
        return obj.result if obj.status == VoteStatus.CLOSED else None


class BallotOut(Schema):
    """选票"""

    id: int
    vote_id: int
    household_id: int | None
    channel: str = Field(..., description="online 网上投票，paper 纸质票")
    proxy_id: int | None = Field(None, description="依据的书面委托")
    choice: str | None = Field(None, description="所选；无记名投票为空")
    cast_at: datetime

    @staticmethod
    def resolve_choice(obj) -> str | None:
        return obj.choice or None


class ProxyOut(Schema):
    """书面委托"""

    id: int
    vote_id: int
    household_id: int
    grantor: str = Field(..., description="委托人（脱敏）")
    holder: str = Field(..., description="受托人（脱敏）")
    document: str
    recorded_at: datetime

    @staticmethod
    def resolve_grantor(obj) -> str:
        return mask_name(obj.grantor.name)

    @staticmethod
    def resolve_holder(obj) -> str:
        return mask_name(obj.holder.name)


class ResultOut(Schema):
    """计票结果：业主表决含总面积、总人数、参与和同意的面积与人数、各项门槛（分数与小数）和逐条说明"""

    vote_id: int
    final: bool = Field(..., description="true 已结束的最终结果；false 投票中的即时计票（无记名投票不提供）")
    result: dict[str, Any]

