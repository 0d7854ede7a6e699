"""Tasks (办): list items, the detail with milestones, reports, files, extensions and warnings, and the inputs.
People leave masked (张*); files are described by name, size and SHA-256 and downloaded by their own URL."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery
from yishiting.common.masking import mask_name
from yishiting.handling.selectors.tasks import warning_level

from .common import AreaRef, CheckedSchema, InputSchema, OrganizationRef


class TaskOut(Schema):
    """办理任务"""

    id: int
    title: str
    status: str = Field(..., description="状态，见 docs/states/task.md")
    status_label: str
    area: AreaRef
    topic_id: int | None
    subject_kind: str = Field(..., description="责任主体：district、street、community、unit、residents")
    organization: OrganizationRef | None
    handler: str = Field(..., description="经办人（脱敏）")
    deadline: date
    original_deadline: date | None = Field(..., description="延期前的原定期限；空表示未延期")
    percent: int
    warning: str = Field(..., description="当前期限下最高一级预警：yellow、red、escalated，空表示无")
    extension_pending: bool = False
    accepted_at: datetime | None = Field(None, description="签收时间；空表示尚未签收")
    closed_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_handler(obj) -> str:
        return mask_name(obj.handler.name)

    @staticmethod
    def resolve_warning(obj) -> str:
        return warning_level(obj)


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None


class FileOut(Schema):
    id: int
    kind: str = Field(..., description="progress 进展照片，evidence 销号佐证")
    name: str
    content_type: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/v1/tasks/{obj.task_id}/files/{obj.pk}"


class ReportOut(Schema):
    id: int
    text: str
    percent: int
    milestone: str | None
    reporter: str
    files: list[FileOut]
    created_at: datetime

    @staticmethod
    def resolve_milestone(obj) -> str | None:
        return obj.milestone.title if obj.milestone_id else None

    @staticmethod
    def resolve_reporter(obj) -> str:
        return mask_name(obj.reporter.name)

    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.files.all())


class ExtensionOut(Schema):
    """延期申请"""

    id: int
    status: str = Field(..., description="pending 待审批、approved 已批准、refused 未批准")
    reason: str
    old_deadline: date
    new_deadline: date
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class WarningOut(Schema):
    level: str
    level_label: str
    deadline: date = Field(..., description="预警针对的期限（延期后按新期限重新预警）")
    created_at: datetime

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class TimelineOut(Schema):
    at: datetime
    text: str

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.sentence


class TaskDetailOut(TaskOut):
    standard: str
    deadline_days: int | None
    evidence: str
    supervisor: str = Field(..., description="核验人（脱敏）；空表示由交办层级的社区两委、街道和区级干部核验")
    may_supervise: bool = Field(False, description="当前用户可否审批延期、核验销号")
    may_work: bool = Field(False, description="当前用户是否本任务的经办人")
    milestones: list[MilestoneOut] = Field(..., alias="milestone_list")
    reports: list[ReportOut] = Field(..., alias="report_list")
    evidence_files: list[FileOut]
    extensions: list[ExtensionOut] = Field(..., alias="extension_list")
    warnings: list[WarningOut] = Field(..., alias="warning_list")
    timeline: list[TimelineOut]

    @staticmethod
    def resolve_supervisor(obj) -> str:
        return mask_name(obj.supervisor.name) if obj.supervisor_id else ""


class TaskFilterQuery(CheckedSchema):
    """任务列表和任务台账导出共用的筛选条件"""

    status: str | None = Field(None, max_length=16, description="状态代码，如 in_progress")
    overdue: bool | None = Field(None, description="true 只看已逾期未办结的")
    warning: str | None = Field(None, max_length=16, description="yellow、red 或 escalated")
    under: int | None = Field(None, description="只看该区域（含）以下")
    topic: int | None = Field(None, description="只看该议题的任务")
    extended: bool | None = Field(None, description="true 只看延过期的")
    q: str | None = Field(None, max_length=50, description="任务名称或办理标准中的字词")
    start: date | None = Field(None, description="交办日期不早于（北京时间）")
    end: date | None = Field(None, description="交办日期不晚于（北京时间）")
    mine: bool | None = Field(None, description="true 只看我经办的")


class TaskQuery(TaskFilterQuery, PageQuery):
    pass


class MilestoneIn(InputSchema):
    title: str = Field(..., max_length=200)
    due_on: date


class TaskIn(InputSchema):
    title: str = Field(..., max_length=200)
    area_id: int
    handler_id: int = Field(..., description="经办人（人员编号），须是该地或上级的工作人员或承办单位经办人")
    subject_kind: str = Field(..., description="district、street、community、unit、residents")
    organization_id: int | None = None
    supervisor_id: int | None = Field(None, description="核验人；不填由交办层级的社区两委核验")
    topic_id: int | None = Field(None, description="来自议题时：议题须已公示期满（办理中）")
    resolution_id: int | None = None
    standard: str = Field("", max_length=5000, description="办理标准")
    deadline: date | None = Field(None, description="办理期限（日期）；与 deadline_days 二选一")
    deadline_days: int | None = Field(None, description="办理期限（工作日，自今天起算，按节假日日历）")
    milestones: list[MilestoneIn] = []


class ReportIn(InputSchema):
    text: str = Field(..., max_length=5000)
    percent: int = Field(..., description="0–100，不能低于上次报告")
    milestone_id: int | None = Field(None, description="本次完成的节点")


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=5000)


class ReassignIn(ReasonIn):
    handler_id: int


class ExtensionIn(InputSchema):
    new_deadline: date
    reason: str = Field(..., max_length=5000)


class TaskDecisionIn(InputSchema):
    approve: bool
    note: str = Field("", max_length=5000)


class SubmitIn(InputSchema):
    evidence: str = Field(..., max_length=5000, description="销号佐证说明")
