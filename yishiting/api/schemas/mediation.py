"""Mediation (调解) through the API: cases, parties (masked for everyone but the case's mediators and
supervising staff), mediators, attempts, the agreement, performance, return visits, ratings and committees."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import create_model

from yishiting.api.pagination import PageQuery
from yishiting.mediation.selectors import AgreementDocument

from .common import AreaRef, InputSchema


class DisputeTypeOut(Schema):
    """纠纷类型"""

    id: int
    code: str
    name: str


class CaseOut(Schema):
    """调解案件（列表项）"""

    id: int
    number: str = Field(..., description="案号，如 调〔2026〕第 12 号")
    title: str
    status: str = Field(..., description="状态，见 docs/states/mediationcase.md")
    status_label: str
    source: str = Field(..., description="screening 诉求筛选转入，mediator 调解员主动调解，application 当事人申请，"
                                         "consultation 法律咨询转入")
    area: AreaRef
    tier: int = Field(..., description="调解层级：1 社区初调，2 镇街深调，3 区（市）级调解")
    tier_label: str
    dispute_type: DisputeTypeOut | None
    hearing: str = Field(..., description="private 不公开调解，public 公开调解")
    opened_on: date | None
    deadline: date | None = Field(..., description="办结期限（工作日计算）")
    outcome: str = Field(..., description="agreement 调解成功，failed 调解不成，refused 当事人不同意调解，withdrawn 撤回；空表示未结案")
    created_at: datetime

    # The list gives model rows; the detail (routers/mediation_detail.py) a dict with these already worded.
    @staticmethod
    def resolve_number(obj) -> str:
        from yishiting.mediation.selectors import case_number

        return obj["number"] if isinstance(obj, dict) else case_number(obj)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj["status_label"] if isinstance(obj, dict) else obj.get_status_display()

    @staticmethod
    def resolve_tier_label(obj) -> str:
        return obj["tier_label"] if isinstance(obj, dict) else obj.get_tier_display()


class PartyOut(Schema):
    """当事人：调解员和督导人员看到完整信息，其他人看到脱敏信息（当事人本人看到自己的完整信息）"""

    id: int
    side: str = Field(..., description="applicant 申请人，respondent 被申请人")
    side_label: str
    kind: str = Field(..., description="person 个人，household 住户，organization 单位")
    name: str
    mobile: str
    address: str
    statement: str = Field(..., description="陈述的事实和请求")
    consent: str = Field(..., description="pending 待确认，agreed 同意调解，refused 不同意调解")
    consent_label: str
    is_self: bool = Field(..., description="是否就是调用者本人（或本户）")


class MediatorOut(Schema):
    id: int
    person_id: int
    name: str
    kind: str = Field(..., description="委员会成员身份：legal_literate 法治明白人、legal_adviser 法律顾问 …")
    tier: int
    is_lead: bool
    status: str = Field(..., description="active 在任，stepped_aside 回避，refused 当事人拒绝")
    chosen_by_party: bool


class AttemptOut(Schema):
    id: int
    tier: int
    tier_label: str
    number: int = Field(..., description="本级第几次")
    held_on: date
    place: str
    mediators: list[str]
    parties_present: list[int] = Field(..., description="到场当事人的 id")
    applicant_said: str
    respondent_said: str
    result: str = Field(..., description="success 达成协议，failed 未达成协议")
    note: str


class ObligationOut(Schema):
    id: int
    party_id: int
    text: str
    due_on: date
    status: str = Field(..., description="pending 待履行，performed 已履行，not_performed 未履行")
    note: str


class SignatureOut(Schema):
    id: int
    kind: str = Field(..., description="party 当事人，mediator 调解员")
    party_id: int | None
    mediator_id: int | None
    method: str = Field(..., description="signature 签名，fingerprint 按指印")
    signed_on: date


class AgreementOut(Schema):
    """调解协议（人民调解法第二十八、二十九条）"""

    id: int
    form: str = Field(..., description="written 书面协议，oral 口头协议")
    status: str = Field(..., description="draft 待签署，effective 已生效")
    facts: str
    disputed_points: str
    responsibilities: str
    content: str
    performance: str
    perform_by: date | None
    oral_note: str
    stamped_at: datetime | None
    has_scan: bool
    scan_sha256: str
    effective_at: datetime | None
    confirmation_due: date | None = Field(..., description="共同申请司法确认的截止日（生效后 30 日）")
    confirmation: str = Field(..., description="none 未申请，confirmed 法院已确认，refused 法院不予确认，waived 不申请")
    confirmation_note: str
    signatures: list[SignatureOut]
    obligations: list[ObligationOut]


class VisitOut(Schema):
    id: int
    visited_on: date
    visitor: str
    note: str
    resolved: bool


class CaseDetailOut(CaseOut):
    """调解案件详情：当事人、调解员、各次调解记录、协议、履行和回访；may_* 说明调用者能做什么"""

    attempts_left: int = Field(..., description="当前层级还可调解的次数")
    attempt_limits: list[int] = Field(..., description="各级调解次数（社区、镇街、区）")
    guidance: str
    proposed_topic: bool
    non_performance: bool
    parties: list[PartyOut]
    mediators: list[MediatorOut]
    attempts: list[AttemptOut]
    agreement: AgreementOut | None
    visits: list[VisitOut]
    demands: list[str] = Field(..., description="关联诉求的编号")
    may_mediate: bool
    may_manage: bool
    is_party: bool


class CaseQuery(PageQuery):
    status: str | None = Field(None, description="按状态筛选")
    tier: int | None = Field(None, ge=1, le=3, description="按层级筛选")
    under: int | None = Field(None, description="区域 id：只看该区域及其下级的案件")
    dispute_type: int | None = None


class PartyIn(InputSchema):
    side: Literal["applicant", "respondent"]
    kind: Literal["person", "household", "organization"] = "person"
    person_id: int | None = None
    household_id: int | None = None
    organization_id: int | None = None
    name: str = Field("", max_length=200, description="未登记的当事人填写姓名或名称；已登记的可留空")
    mobile: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    statement: str = ""


class CaseIn(InputSchema):
    area_id: int
    title: str = Field(..., max_length=200, description="案由")
    dispute_type_id: int | None = None
    hearing: Literal["private", "public"] = "private"
    parties: list[PartyIn] = []


class ApplyIn(InputSchema):
    area_id: int = Field(..., description="纠纷发生地")
    title: str = Field(..., max_length=200)
    statement: str = Field(..., description="纠纷的事实和您的请求")
    respondent: PartyIn
    dispute_type_id: int | None = None
    hearing: Literal["private", "public"] = "private"


class StatementIn(InputSchema):
    statement: str


class ConsentIn(InputSchema):
    agreed: bool
    note: str = ""
    guidance: str = Field("", description="不同意调解时必填：告知的其他途径（诉讼、仲裁、行政途径）")


class HearingIn(InputSchema):
    hearing: Literal["private", "public"]
    party_id: int | None = Field(None, description="提出要求的当事人（当事人本人提出时）")


class MediatorIn(InputSchema):
    person_id: int
    lead: bool = False
    chosen_by_party_id: int | None = Field(None, description="由哪位当事人选定（人民调解法第十九条）")


class RefuseIn(InputSchema):
    party_id: int
    reason: str = ""


class CaseReasonIn(InputSchema):
    reason: str


class AttemptIn(InputSchema):
    held_on: date
    place: str = Field(..., max_length=200)
    mediator_ids: list[int]
    party_ids: list[int] = Field(..., description="到场当事人的 id")
    applicant_said: str = ""
    respondent_said: str = ""
    result: Literal["success", "failed"]
    note: str = ""
    number: int | None = Field(None, description="本级第几次（可选）：与实际不符时返回 409，防止两人重复记录")
    guidance: str = Field("", description="最后一级的最后一次调解未达成协议时必填：案件随之按调解不成结案，"
                                          "写明告知当事人的其他途径（诉讼、仲裁、行政途径：诉调对接）")
    propose_topic: bool = Field(False, description="调解不成结案时：涉及公共事务，建议转为议题")
    proposal_note: str = Field("", description="建议转为议题的理由（propose_topic 时必填）")


class FailIn(InputSchema):
    guidance: str = Field(..., description="告知当事人的其他途径（诉讼、仲裁、行政途径：诉调对接）")
    propose_topic: bool = False
    proposal_note: str = ""


class CaseWithdrawIn(InputSchema):
    reason: str
    guidance: str = ""


class ObligationIn(InputSchema):
    party_id: int
    text: str
    due_on: date


class AgreementIn(InputSchema):
    form: Literal["written", "oral"] = "written"
    content: str = Field(..., description="达成协议的内容")
    facts: str = ""
    disputed_points: str = ""
    responsibilities: str = ""
    performance: str = ""
    perform_by: date | None = None
    oral_note: str = ""
    obligations: list[ObligationIn] = []


class SignIn(InputSchema):
    party_id: int | None = None
    mediator_id: int | None = Field(None, description="调解员的人员 id")
    method: Literal["signature", "fingerprint"] = "signature"
    signed_on: date | None = None


class ConfirmationIn(InputSchema):
    result: Literal["confirmed", "refused", "waived"]
    note: str = ""


class CheckIn(InputSchema):
    performed: bool
    note: str = ""


class VisitIn(InputSchema):
    visited_on: date
    note: str
    resolved: bool = True


class CaseRatingIn(InputSchema):
    value: Literal["satisfied", "basic", "dissatisfied"]
    comment: str = ""


class CaseRatingOut(Schema):
    id: int
    value: str
    created_at: datetime


class DossierRef(Schema):
    id: int
    number: str
    title: str


class CommitteeMemberOut(Schema):
    id: int
    person_id: int
    name: str
    kind: str
    kind_label: str


class CommitteeOut(Schema):
    """人民调解委员会"""

    id: int
    name: str
    area: AreaRef
    members: list[CommitteeMemberOut]


class CommitteeIn(InputSchema):
    area_id: int
    name: str = Field("", max_length=100)


class CaseMemberIn(InputSchema):
    person_id: int
    kind: Literal["mediator", "legal_literate", "legal_adviser", "retired_party_member", "expert", "staff"] = "mediator"
    joined_on: date | None = None


class RemindOut(Schema):
    told: int = Field(..., description="收到提醒的当事人人数")


def _document_schema() -> type[Schema]:
    """AgreementDocumentOut from the selector's AgreementDocument (one list of fields, in print order); only the
    descriptions are the API's own."""
    descriptions = {
        "committee": "达成协议那一级的人民调解委员会（案件上移后为街道或区级调委会）",
        "tier": "达成协议的调解层级：1 社区初调，2 镇街深调，3 区（市）级调解",
        "level": "调解层级名称",
    }
    hints = typing.get_type_hints(AgreementDocument)
    fields = {f.name: (hints[f.name], Field(..., description=descriptions.get(f.name)))
              for f in dataclasses.fields(AgreementDocument) if not f.metadata.get("internal")}
    return create_model("AgreementDocumentOut", __base__=Schema, __module__=__name__,
                        __doc__="调解协议书的全部内容（供打印；当事人信息不脱敏，只有能查看案件的人可以取得）", **fields)


AgreementDocumentOut = _document_schema()
