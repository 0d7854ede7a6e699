"""Choices of the ledgers: which events earn, what a ledger entry is, where a redemption stands."""

from django.db import models
from django.utils.translation import gettext_lazy


class EarningKind(models.TextChoices):
    """Event kinds a rule may turn into points (docs/ledgers.md): the issue-19 contract and older kinds."""

    SERVICE_RATED = "participation.service_rated", gettext_lazy("双报到服务、点单服务获评")
    HOURS_CONFIRMED = "volunteers.hours_confirmed", gettext_lazy("志愿服务时长确认")
    WISH_FULFILLED = "wishes.wish_fulfilled", gettext_lazy("认领并实现微心愿")
    DELIVERY_CONFIRMED = "canteens.delivery_confirmed", gettext_lazy("爱心送餐签收")
    SUGGESTION_ACCEPTED = "demand.topic", gettext_lazy("建议被采纳（诉求转为议题）")
    MEETING_ATTENDED = "meeting.signed_in", gettext_lazy("参加议事会议")
    MANUAL = "ledgers.manual", gettext_lazy("工作人员手动奖励")


class PointKind(models.TextChoices):
    EARNED = "earned", gettext_lazy("积分获得")
    AWARDED = "awarded", gettext_lazy("手动奖励")
    CORRECTED = "corrected", gettext_lazy("更正")
    REDEEMED = "redeemed", gettext_lazy("兑换")
    RETURNED = "returned", gettext_lazy("兑换退回")


class HourKind(models.TextChoices):
    DEPOSITED = "deposited", gettext_lazy("服务存入")
    WITHDRAWN = "withdrawn", gettext_lazy("支取服务")
    TRANSFERRED_OUT = "transferred_out", gettext_lazy("转给家人")
    TRANSFERRED_IN = "transferred_in", gettext_lazy("家人转入")
    CORRECTED = "corrected", gettext_lazy("更正")


class PostingKind(models.TextChoices):
    """What a staff member or a person did by hand (the subject of the event its entries reference)."""

    AWARD = "award", gettext_lazy("手动奖励积分")
    POINTS_CORRECTION = "points_correction", gettext_lazy("积分更正")
    HOURS_WITHDRAWAL = "hours_withdrawal", gettext_lazy("支取时间银行服务")
    HOURS_TRANSFER = "hours_transfer", gettext_lazy("时间转赠家人")
    HOURS_CORRECTION = "hours_correction", gettext_lazy("时长更正")


class ItemKind(models.TextChoices):
    GOODS = "goods", gettext_lazy("物品")
    SERVICE = "service", gettext_lazy("服务")


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待领取")
    HANDED_OVER = "handed_over", gettext_lazy("已领取")
    EXPIRED = "expired", gettext_lazy("已过期")
    CANCELLED = "cancelled", gettext_lazy("已取消")
