"""Demands (诉求), their screening, the three lists, topics, the catalogues and notifications.

Reporters and handlers always leave masked (张*); addresses of demands are shown only to those who may see
the demand itself (its reporter and staff in scope).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from yishiting.api.pagination import CursorPageQuery, PageQuery
from yishiting.common.masking import mask_name
from yishiting.demands.choices import ReporterKind
from yishiting.demands.selectors import RESPONSIBLE

from .common import AreaRef, CheckedSchema, InputSchema

CHANNELS = "民情家访 home_visit、网格巡查 patrol、意见卡 opinion_card、问卷 questionnaire、线上 online、" \
           "微信/QQ群 chat_group、热线 hotline、在职党员/两代表一委员进社区 member_visit、吹哨 whistle、Open311 open311"


class CategoryRef(Schema):
    id: int
    name: str
    code: str


class CategoryOut(Schema):
    """诉求类别（service_code 即 code）"""

    id: int
    name: str
    code: str
    description: str
    list_kind: str = Field(..., description="归入清单：problem 问题清单，need 需求清单")
    list_kind_label: str
    screening_days: int = Field(..., description="筛选时限（工作日）")

    @staticmethod
    def resolve_list_kind_label(obj) -> str:
        return obj.get_list_kind_display()


class ConsultationRuleOut(Schema):
    """协商目录条目：议 / 不议（不予受理须引用一条“不议”）"""

    id: int
    kind: str = Field(..., description="deliberate 议，exclude 不议")
    kind_label: str
    text: str
    is_example: bool = Field(..., description="随系统提供的示例条目，各地应按本地目录修改")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class ReporterOut(Schema):
    kind: str = Field(..., description="self 本人，anonymous 匿名，on_behalf 工作人员代录")
    kind_label: str
    name: str = Field(..., description="脱敏姓名；匿名时为空")


class DemandOut(Schema):
    """诉求"""

    id: int
    number: str = Field(..., description="编号，如 2026-000123（每区每年连续）")
    text: str
    category: CategoryRef
    channel: str
    channel_label: str
    urgency: str
    urgency_label: str
    area: AreaRef
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    reporter: ReporterOut
    status: str
    status_label: str
    screening_area: AreaRef = Field(..., description="负责筛选的区域（社区；提请后为上级）")
    level_area: AreaRef = Field(..., description="办理层级：覆盖该事项的最低一级")
    screening_deadline: date
    outcome: str
    outcome_label: str
    nature: str = Field(..., description="public 公共事务，individual 个人诉求，dispute 矛盾纠纷")
    nature_label: str
    outcome_reason: str
    created_at: datetime
    screened_at: datetime | None

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_urgency_label(obj) -> str:
        return obj.get_urgency_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return obj.get_outcome_display() if obj.outcome else ""

    @staticmethod
    def resolve_nature_label(obj) -> str:
        return obj.get_nature_display() if obj.nature else ""

    @staticmethod
    def resolve_reporter(obj) -> dict:
        name = "" if obj.reporter_kind == ReporterKind.ANONYMOUS or obj.reporter is None else mask_name(obj.reporter.name)
        return {"kind": obj.reporter_kind, "kind_label": obj.get_reporter_kind_display(), "name": name}


class InboxItemOut(DemandOut):
    """待筛选诉求"""

    overdue: bool = Field(..., description="已超过筛选期限")


class ResponsibilityOut(Schema):
    kind: str = Field(..., description="topic 议题，task 办理任务，mediation 调解")
    title: str
    status_label: str
    handler: str = Field("", description="经办人（脱敏）")
    organization: str = ""
    deadline: date | None = None


def responsibility_of(obj) -> dict | None:
    """What screening put in charge of the demand (needs with_outcome_records to avoid extra queries)."""
    if obj.status not in RESPONSIBLE:
        return None
    if obj.task_id:
        task = obj.task
        return {"kind": "task", "title": task.title, "status_label": task.get_status_display(),
                "handler": mask_name(task.handler.name), "deadline": task.deadline,
                "organization": task.organization.name if task.organization_id else ""}
    if obj.topic_id:
        return {"kind": "topic", "title": obj.topic.title, "status_label": obj.topic.get_status_display()}
    if obj.mediation_id:
        return {"kind": "mediation", "title": obj.mediation.title,
                "status_label": obj.mediation.get_status_display()}
    return None


class ListItemOut(DemandOut):
    """三张清单中的一条"""

    responsibility: ResponsibilityOut | None = Field(None, description="责任落实：议题、办理任务或调解案件")

    @staticmethod
    def resolve_responsibility(obj) -> dict | None:
        return responsibility_of(obj)


class TimelineEntryOut(Schema):
    at: datetime
    who: str = Field(..., description="操作人的角色和脱敏姓名；匿名提交时为空")
    what: str = Field(..., description="用通俗中文描述的进展")
    text: str = Field(..., description="整句：时间、操作人、进展")

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.sentence


class PhotoOut(Schema):
    id: int
    content_type: str
    width: int
    height: int
    size: int
    url: str = Field(..., description="下载地址（需同样的权限）：存储的照片，长边不超过 1600 像素，已去除 EXIF")
    thumbnail_url: str = Field(..., description="缩略图（JPEG，长边不超过 320 像素），列表和详情页用它")


class SimilarOut(Schema):
    id: int
    number: str
    text: str
    status: str
    status_label: str
    category: CategoryRef
    area: AreaRef
    similarity: float = Field(..., description="相似度 0–1")
    same_area: bool = Field(..., description="是否同一社区")


class DemandDetailOut(ListItemOut):
    """诉求详情：含时间线、照片；可筛选者另见相似诉求"""

    suggested_category: CategoryRef | None
    suggested_confidence: Decimal | None
    merged_into: str | None = Field(None, description="已合并到的诉求编号")
    deadline_warning: str
    timeline: list[TimelineEntryOut]
    photos: list[PhotoOut]
    similar: list[SimilarOut] = Field(..., description="相似诉求（仅筛选人员可见，同社区在前）")

    @staticmethod
    def resolve_photos(obj) -> list[dict]:
        return obj.photos_list

    @staticmethod
    def resolve_merged_into(obj) -> str | None:
        return obj.merged_into.number if obj.merged_into_id else None


class DemandQuery(PageQuery):
    status: str | None = Field(None, max_length=16, description="状态代码，如 pending")
    category: int | None = Field(None, description="类别编号")
    channel: str | None = Field(None, max_length=20, description="渠道代码")
    under: int | None = Field(None, description="只看该区域（含）以下")
    start: date | None = Field(None, description="提交日期不早于（含）")
    end: date | None = Field(None, description="提交日期不晚于（含）")
    level: str | None = Field(None, max_length=32, description="办理层级的层级代码，如 estate、community")


class InboxQuery(PageQuery):
    under: int | None = Field(None, description="只看该区域（含）以下")
    overdue: bool | None = Field(None, description="true 只看已超期的")
    below: bool = Field(False, description="true 同时列出下级待筛选的诉求（督办视图）；默认只列等您这一级筛选的")


class DemandIn(InputSchema):
    text: str = Field(..., description="诉求内容，1–2000 字")
    area_id: int = Field(..., description="发生地：任一级区域，可到单元")
    category_id: int | None = Field(None, description="类别；不填则采用系统建议")
    channel: str = Field("online", max_length=20, description=f"渠道：{CHANNELS}")
    urgency: str = Field("normal", max_length=10, description="normal 一般，urgent 紧急，critical 特急")
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    plan_id: int | None = Field(None, description="在平面图上点选位置（代替经纬度）：平面图 id，见 "
                                                   "GET /oversight/plans/for-area/{area_id}；须与 plan_x、plan_y 同时给出")
    plan_x: float | None = Field(None, ge=0, le=100000, description="点选处的像素横坐标（从左，0 到图宽）")
    plan_y: float | None = Field(None, ge=0, le=100000, description="点选处的像素纵坐标（从上，0 到图高）")
    household_id: int | None = None
    reporter_kind: str = Field("self", max_length=16, description="self 本人，anonymous 匿名，on_behalf 代录")
    reporter_id: int | None = Field(None, description="代录时：诉求人（人员编号）")
    consent_recorded: bool = Field(False, description="代录时须为 true：已取得本人同意")


class SuggestQuery(CheckedSchema):
    text: str = Field(..., min_length=1, max_length=2000, description="正在填写的诉求内容")
    area: int | None = Field(None, description="发生地区域编号；给出时才查找相似诉求")


class RankedCategoryOut(Schema):
    category: CategoryRef
    confidence: Decimal


class SuggestOut(Schema):
    """提交前的建议：类别及置信度，以及您可查看的相似诉求"""

    category: CategoryRef | None
    confidence: Decimal | None
    ranked: list[RankedCategoryOut]
    similar: list[SimilarOut]
    notice: str = Field(..., description="有相似诉求时为“已有相似诉求”")


class ScreeningIn(InputSchema):
    outcome: str = Field(..., max_length=16,
                         description="topic 转为议题，handling 直接办理，mediation 调解，escalate 提请上级，reject 不予受理")
    nature: str = Field("", max_length=16, description="public 公共事务，individual 个人诉求，dispute 矛盾纠纷（提请时可不填）")
    reason: str = Field("", max_length=1000, description="理由；调解、提请、不予受理必填")
    level_area_id: int | None = Field(None, description="调整办理层级（须说明 level_reason）")
    level_reason: str = Field("", max_length=500)
    topic_id: int | None = Field(None, description="转为议题：并入这个尚未结束的议题 …")
    topic_title: str = Field("", max_length=200, description="… 或以此标题新建议题")
    template_code: str = Field("", max_length=32, description="可不填：新议题采用办理层级所在区域适用的模板（GET /templates/areas/{id}）；填写其他模板会被拒绝（template_by_area）")
    handler_id: int | None = Field(None, description="直接办理：经办人（人员编号）")
    organization_id: int | None = Field(None, description="直接办理：责任单位；不填则取经办人所在单位")
    deadline: date | None = Field(None, description="直接办理：办理期限")
    rejection_rule_id: int | None = Field(None, description="不予受理：协商目录中“不议”条目的编号")
    dispute_type_id: int | None = Field(None, description="调解：纠纷类型（GET /mediation/dispute-types）")
    expected_status: str | None = Field(None, max_length=16,
                                        description="您看到的状态；已被他人改变时返回 409 already_screened")


class MergeIn(InputSchema):
    primary_id: int = Field(..., description="保留的主诉求")
    duplicate_ids: list[int] = Field(..., min_length=1, max_length=100, description="并入主诉求的重复诉求")
    reason: str = Field(..., max_length=500)


class MergeOut(Schema):
    """合并结果"""

    primary: DemandOut
    merged: list[DemandOut]


class ListQuery(DemandQuery, CursorPageQuery):
    """The three lists' filters and their page: by `after` (keyset) or by page number."""


class PublicTopicOut(Schema):
    """公开的议题（不含提议人）"""

    id: int
    title: str
    status: str
    status_label: str
    level_area: AreaRef
    demand_count: int = Field(..., description="汇集的诉求数")
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class NotificationOut(Schema):
    """我的消息"""

    id: int
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None
