"""Choices of the oversight app's unit ratings and 整改清单."""

from django.db import models
from django.utils.translation import gettext_lazy


class ItemStatus(models.TextChoices):
    """A rectification item, followed like a task (docs/states/rectificationitem.md)."""

    ISSUED = "issued", gettext_lazy("待签收")
    ACKNOWLEDGED = "acknowledged", gettext_lazy("整改中")
    SUBMITTED = "submitted", gettext_lazy("待验收")
    RETURNED = "returned", gettext_lazy("已退回")
    ACCEPTED = "accepted", gettext_lazy("已销号")
    CANCELLED = "cancelled", gettext_lazy("已撤销")


class ReportKind(models.TextChoices):
    PROGRESS = "progress", gettext_lazy("进展")
    SUBMISSION = "submission", gettext_lazy("提交销号")


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", gettext_lazy("黄色预警")
    RED = "red", gettext_lazy("红色预警")


class Part(models.TextChoices):
    """The parts a unit's yearly rating is made of (weights per district in RatingWeights)."""

    PARTIES = "parties", gettext_lazy("五方互评")
    ORGANIZATION = "organization", gettext_lazy("组织考评")
    HANDLING = "handling", gettext_lazy("办理记录")
    EVALUATION = "evaluation", gettext_lazy("年度评议")
    RECTIFICATION = "rectification", gettext_lazy("整改记录")
    WHISTLES = "whistles", gettext_lazy("应哨记录")
