"""Choices of the handling app: publicity (公), handling (办), supervision (督), evaluation (评), archive (备)."""

from django.db import models


class Stage(models.TextChoices):
    """The eight canonical stages of the loop (Kenli). A process template names each in its locality's words."""

    COLLECT = "collect", "集"
    DECIDE = "decide", "定"
    DELIBERATE = "deliberate", "议"
    PUBLICISE = "publicise", "公"
    HANDLE = "handle", "办"
    SUPERVISE = "supervise", "督"
    EVALUATE = "evaluate", "评"
    ARCHIVE = "archive", "备"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "公示中"
    COMPLETED = "completed", "公示期满"
    WITHDRAWN = "withdrawn", "已撤回（退回协商）"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核不通过"


class SubjectKind(models.TextChoices):
    """Who answers for a task (责任主体)."""

    DISTRICT = "district", "区级部门"
    STREET = "street", "街道（镇）"
    COMMUNITY = "community", "社区"
    UNIT = "unit", "责任单位"
    RESIDENTS = "residents", "居民自治"


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    RETURNED = "returned", "已退回"
    VERIFYING = "verifying", "待核验销号"
    CLOSED = "closed", "已销号"
    CANCELLED = "cancelled", "已撤销"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class FileKind(models.TextChoices):
    PROGRESS = "progress", "进展照片"
    EVIDENCE = "evidence", "销号佐证"


class MemberRole(models.TextChoices):
    """The supervision group (监督小组): the party organisation, stakeholders and the implementer."""

    PARTY_ORG = "party_org", "党组织"
    STAKEHOLDER = "stakeholder", "利益相关方"
    IMPLEMENTER = "implementer", "实施方"


class SupervisionKind(models.TextChoices):
    VISIT = "visit", "督走访"
    HANDLING = "handling", "督办理"
    REVISIT = "revisit", "督回访"
    SATISFACTION = "satisfaction", "督满意度"


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", "黄色预警（期限将到）"
    RED = "red", "红色预警（已逾期）"
    ESCALATED = "escalated", "提级督办（逾期未办）"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class RoundStatus(models.TextChoices):
    OPEN = "open", "评价中"
    CLOSED = "closed", "已结束"
