"""Choices of the handling app: publicity (公), handling (办), supervision (督), evaluation (评), archive (备)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The eight canonical stages of the loop (Kenli). A process template names each in its locality's words."""

    COLLECT = "collect", _("集")
    DECIDE = "decide", _("定")
    DELIBERATE = "deliberate", _("议")
    PUBLICISE = "publicise", _("公")
    HANDLE = "handle", _("办")
    SUPERVISE = "supervise", _("督")
    EVALUATE = "evaluate", _("评")
    ARCHIVE = "archive", _("备")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("公示中")
    COMPLETED = "completed", _("公示期满")
    WITHDRAWN = "withdrawn", _("已撤回（退回协商）")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")


class SubjectKind(models.TextChoices):
    """Who answers for a task (责任主体)."""

    DISTRICT = "district", _("区级部门")
    STREET = "street", _("街道（镇）")
    COMMUNITY = "community", _("社区")
    UNIT = "unit", _("责任单位")
    RESIDENTS = "residents", _("居民自治")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("已退回")
    VERIFYING = "verifying", _("待核验销号")
    CLOSED = "closed", _("已销号")
    CANCELLED = "cancelled", _("已撤销")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class FileKind(models.TextChoices):
    PROGRESS = "progress", _("进展照片")
    EVIDENCE = "evidence", _("销号佐证")


class MemberRole(models.TextChoices):
    """The supervision group (监督小组): the party organisation, stakeholders and the implementer."""

    PARTY_ORG = "party_org", _("党组织")
    STAKEHOLDER = "stakeholder", _("利益相关方")
    IMPLEMENTER = "implementer", _("实施方")


class SupervisionKind(models.TextChoices):
    VISIT = "visit", _("督走访")
    HANDLING = "handling", _("督办理")
    REVISIT = "revisit", _("督回访")
    SATISFACTION = "satisfaction", _("督满意度")


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", _("黄色预警（期限将到）")
    RED = "red", _("红色预警（已逾期）")
    ESCALATED = "escalated", _("提级督办（逾期未办）")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("评价中")
    CLOSED = "closed", _("已结束")
