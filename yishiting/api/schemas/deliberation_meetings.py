"""Meetings (协商会议): venues, the plan and its check against the template, participants, recorded steps,
quorum, resolutions and the minutes. People always leave masked (张*); a sign-in code is shown only to the
participant themself and to the meeting's organisers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name
from yishiting.deliberation.choices import MeetingForm, MeetingStatus

from .common import AreaRef, CheckedSchema, InputSchema

PARTIES = "chair 召集人、resident 居民群众、grid_worker 网格员、deputy 两代表一委员、property 物业公司、" \
          "owners_committee 业委会、social_org 社会组织、legal_adviser 法律顾问、dual_registration “双报到”单位、" \
          "stakeholder 利益相关方、leader 上级领导干部、staff 社区工作人员、professional 专业人士"


# ---- venues ---------------------------------------------------------------------------------------------

class VenueOut(Schema):
    """议事场所"""

    id: int
    name: str
    kind: str = Field(..., description="hall 议事厅 / station 议事站 / point 议事点")
    kind_label: str
    area: AreaRef
    address: str
    capacity: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class VenueIn(InputSchema):
    name: str = Field(..., max_length=100)
    kind: str = Field("point", description="hall 议事厅 / station 议事站 / point 议事点")
    area_id: int = Field(..., description="场所所属区域")
    capacity: int = Field(..., ge=1, le=10000, description="容纳人数")
    address: str = Field("", max_length=200)


class VenueUpdateIn(VenueIn):
    is_active: bool = Field(True, description="停用后不能再安排新的会议")


class VenueQuery(PageQuery):
    area_id: int | None = Field(None, description="只看该区域及其下级的场所")


# ---- the plan -------------------------------------------------------------------------------------------

class InviteeIn(InputSchema):
    person_id: int
    party: str = Field(..., description=f"代表方：{PARTIES}")
    is_council_member: bool = Field(False, description="议事会成员（计入法定人数）")


class InviteeQuery(CheckedSchema):
    level_area_id: int = Field(..., description="会议层级")
    q: str = Field(..., min_length=1, max_length=50,
                   description="本辖区人员：完整姓名、手机号或身份证号；上级干部、两代表一委员、驻区单位、法律顾问、专家："
                               "另可按姓名拼音（首字母或全拼）、角色、职务、单位或区域查找")


class InviteeCandidateOut(Schema):
    """可邀请的人员（姓名、手机号脱敏）及其身份和建议的代表方"""

    person_id: int
    name: str
    mobile: str
    role: str | None = Field(None, description="使其可被邀请的角色；本辖区人员为空")
    role_label: str | None = None
    title: str = ""
    place: str = Field("", description="角色所在的单位或区域")
    party: str = Field(..., description=f"建议的代表方：{PARTIES}")


class MeetingIn(InputSchema):
    title: str = Field(..., max_length=200)
    form: str = Field(..., description="round_table 圆桌会、joint 联席会议、bench 板凳议事、talk 民情恳谈、"
                                       "hearing 听证会、online 网上议事")
    template_code: str = Field("", description="可不填：会议按议题所在区域适用的模板（如 kenli-345）；"
                                                "填写其他模板时 400 template_by_area")
    level_area_id: int = Field(..., description="会议层级：议程中的议题须在其范围内")
    venue_id: int | None = Field(None, description="议事场所；网上议事可不填")
    starts_at: datetime
    ends_at: datetime = Field(..., description="结束时间；网上议事为截止时间")
    chair_id: int = Field(..., description="主持人：本层级或上级的党组织书记（或领导干部）")
    topic_ids: list[int] = Field(..., max_length=20, description="议程，按顺序")
    participants: list[InviteeIn] = Field(..., max_length=500, description="参会人员及其代表方；主持人自动列入")
    requirements: str = Field("", max_length=5000, description="会议要求和注意事项")


class ProblemOut(Schema):
    code: str
    message: str
    field: str


class HolderOut(Schema):
    """可补上所缺一方的人（与安排会议页面相同的脱敏：有查看权限的干部看到全名，并记入审计）"""

    person_id: int
    name: str
    role_label: str = Field("", description="使其担任该方的角色")
    organization: str = ""
    place: str = ""
    phone_tail: str = Field("", description="手机尾号")


class MissingPartyOut(Schema):
    party: str = Field(..., description="缺少的一方（代表方代码）")
    label: str
    holders: str = Field(..., description="哪些人可以担任该方")
    candidates: list[HolderOut] = Field(default_factory=list, description="本区域内可邀请的人（至多 5 人）")
    more: bool = Field(False, description="还有更多符合条件的人（可用 /invitees 查找）")
    none_text: str = Field("", description="无人可补时的说明")


class CheckOut(Schema):
    """按议事规则模板核对的结果：errors 阻止安排，warnings 仅提醒（记入会议）"""

    ok: bool
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    missing_parties: list[str] = Field(..., description="缺少的各方（代表方代码）")
    missing_party_candidates: list[MissingPartyOut] = Field(
        default_factory=list, description="“1+8+N”所缺的每一方及可补上的人（不含已在名单中的人）")
    size: int = Field(..., description="参会人数（含主持人）")


# ---- reading --------------------------------------------------------------------------------------------

class MeetingOut(Schema):
    """协商会议"""

    id: int
    title: str
    form: str
    form_label: str
    status: str = Field(..., description="planned 已计划 / in_progress 进行中 / closed 已结束 / cancelled 已取消")
    status_label: str
    template_code: str
    level_area: AreaRef
    venue: VenueOut | None
    starts_at: datetime
    ends_at: datetime
    chair: str = Field(..., description="主持人（脱敏）")
    topic_count: int = 0
    notified_at: datetime | None

    @staticmethod
    def resolve_form_label(obj) -> str:
        return obj.get_form_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_template_code(obj) -> str:
        return obj.template.code

    @staticmethod
    def resolve_chair(obj) -> str:
        return mask_name(obj.chair.name)


class AgendaItemOut(Schema):
    order: int
    topic_id: int
    title: str
    status: str
    status_label: str

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.topic.title

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.topic.status

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.topic.get_status_display()


class ParticipantOut(Schema):
    """参会人员（姓名脱敏；签到码只给本人和会议组织者）"""

    id: int
    person_id: int
    name: str
    party: str
    party_label: str
    is_council_member: bool
    signed_in_at: datetime | None
    sign_in_code: str | None = Field(None, alias="shown_code")

    @staticmethod
    def resolve_name(obj) -> str:
        return mask_name(obj.person.name)

    @staticmethod
    def resolve_party_label(obj) -> str:
        return obj.get_party_display()


class StepOut(Schema):
    """一条会议记录"""

    id: int
    seq: int
    kind: str
    kind_label: str
    topic_id: int | None
    speaker: str = Field(..., description="发言人（脱敏）")
    party: str
    party_label: str
    text: str
    recorded_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_speaker(obj) -> str:
        return mask_name(obj.speaker.name) if obj.speaker_id else ""

    @staticmethod
    def resolve_party_label(obj) -> str:
        return obj.get_party_display() if obj.party else ""


class VoteBriefOut(Schema):
    id: int
    topic_id: int
    question: str
    method: str
    rule: str
    status: str
    result: dict[str, Any]


class ResolutionOut(Schema):
    """协商决议"""

    id: int
    topic_id: int
    meeting_id: int | None
    text: str
    next_step: str = Field(..., description="publicity 进入公示和办理 / redeliberate 退回继续协商 / dropped 不再推进")
    next_step_label: str
    reason: str
    votes: list[dict[str, Any]]
    created_at: datetime

    @staticmethod
    def resolve_next_step_label(obj) -> str:
        return obj.get_next_step_display()


class PartyCountOut(Schema):
    invited: int
    present: int


class QuorumOut(Schema):
    """法定人数：到会的议事会成员 ≥ ⌈成员数 × 分子 ÷ 分母⌉（整数精确计算）"""

    council_members: int
    council_present: int
    required: int
    numerator: int
    denominator: int
    applies: bool = Field(..., description="有议事会成员时才需达到法定人数")
    met: bool
    invited: int
    present: int
    by_party: dict[str, PartyCountOut]


class MeetingDetailOut(MeetingOut):
    """会议详情：议程、参会人员、会议记录、表决、决议、法定人数和核对提醒"""

    requirements: str
    warnings: list[ProblemOut]
    agenda: list[AgendaItemOut] = Field(..., alias="agenda_list")
    participants: list[ParticipantOut] = Field(..., alias="participant_list")
    steps: list[StepOut] = Field(..., alias="step_list")
    votes: list[VoteBriefOut] = Field(..., alias="vote_list")
    resolutions: list[ResolutionOut] = Field(..., alias="resolution_list")
    quorum: QuorumOut = Field(..., alias="quorum_info")
    missing_parties: list[str] = Field(..., alias="missing_party_list",
                                       description="模板要求而名单中还没有的各方（代表方代码），追加或撤回后随之更新")


class MeetingQuery(PageQuery):
    status: MeetingStatus | None = None
    form: MeetingForm | None = None
    area_id: int | None = Field(None, description="只看该区域及其下级的会议")
    start: date | None = Field(None, description="开始日期不早于")
    end: date | None = Field(None, description="开始日期不晚于")
    q: str | None = Field(None, max_length=50, description="会议名称中的字词")
    topic_id: int | None = Field(None, description="议程中有该议题的会议")


# ---- during the meeting ---------------------------------------------------------------------------------

class SignInIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=64, description="会议通知中的签到码（二维码内容）")


class StepIn(InputSchema):
    kind: str = Field(..., description="opening 说明议题、proposer 提议人说明、speech 自由发言、summary 主持人总结、"
                                       "vote 表决、resolution 形成决议")
    text: str = Field(..., max_length=5000)
    speaker_id: int | None = Field(None, description="发言人（自由发言必填）")
    party: str = Field("", description="代表方；参会人员默认为其受邀身份")
    topic_id: int | None = Field(None, description="所议议题（须在议程中）")


class ResolutionIn(InputSchema):
    topic_id: int
    text: str = Field(..., max_length=5000)
    next_step: str = Field(..., description="publicity 进入公示和办理 / redeliberate 退回继续协商 / dropped 不再推进")
    reason: str = Field("", max_length=2000, description="不再推进时必填")


class ParticipantAddIn(InputSchema):
    person_id: int = Field(..., description="可邀请的人员（与安排会议时同一规则，见 GET /meetings/invitees）")
    party: str = Field(..., description=f"代表方：{PARTIES}")
    is_council_member: bool = Field(False, description="议事会成员（计入法定人数）")


class ParticipantAddOut(Schema):
    """追加的参会人员。created 为 false 表示此人已在名单中（原样返回，不重复通知）"""

    participant: ParticipantOut
    created: bool
    notified: bool = Field(..., description="是否已通知本人；会议尚未发出通知时，将随会议通知一并通知")
    warnings: list[ProblemOut] = Field(..., description="如 notice_too_short：通知时间不足模板规定的天数（仍可追加）")
    missing_parties: list[str] = Field(..., description="追加后仍缺少的各方（代表方代码）")


class WithdrawIn(InputSchema):
    reason: str = Field(..., max_length=500, description="撤回理由（必填，会告知本人）")


class CancelIn(InputSchema):
    reason: str = Field(..., max_length=1000)


class CadenceQuery(CheckedSchema):
    template: str = Field(..., description="议事规则模板代码")
    start: date = Field(..., description="从这天之后开始推算")
    count: int = Field(6, ge=1, le=36)


class CadenceOut(Schema):
    template: str
    cadence: str
    cadence_label: str
    dates: list[date]


# ---- minutes --------------------------------------------------------------------------------------------

class AttendanceOut(Schema):
    party: str
    label: str
    present: list[str]
    absent: list[str]


class MinutesTopicOut(Schema):
    order: int
    topic_id: int
    title: str
    source: str
    demand_count: int
    proposer: str
    steps: list[StepOut]
    votes: list[VoteBriefOut]
    resolution: ResolutionOut | None

    @staticmethod
    def resolve_topic_id(obj) -> int:
        return obj.topic.pk

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.topic.title


class MinutesOut(Schema):
    """会议纪要：时间、地点、主持人、各方出席和缺席、逐个议题的来源、发言、表决结果和决议"""

    title: str
    form_label: str
    template: str
    status: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    chair: str
    attendance: list[AttendanceOut]
    quorum: QuorumOut
    opening_steps: list[StepOut]
    topics: list[MinutesTopicOut]

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.meeting.title

    @staticmethod
    def resolve_form_label(obj) -> str:
        return obj.meeting.get_form_display()

    @staticmethod
    def resolve_template(obj) -> str:
        return obj.meeting.template.name

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.meeting.status
