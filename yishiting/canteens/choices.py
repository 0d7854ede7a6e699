"""Choices of the 幸福食堂: meals, how a meal reaches the diner, order and eligibility states, discount kinds."""

from django.db import models
from django.utils.translation import gettext_lazy


class Meal(models.TextChoices):
    LUNCH = "lunch", gettext_lazy("午餐")
    DINNER = "dinner", gettext_lazy("晚餐")


class Fulfilment(models.TextChoices):
    """居民点单 → 食堂接单 → eaten there, picked up, or 志愿送餐 to the door."""

    EAT_IN = "eat_in", gettext_lazy("堂食")
    PICKUP = "pickup", gettext_lazy("自取")
    DELIVERY = "delivery", gettext_lazy("送餐上门")


class OrderStatus(models.TextChoices):
    PLACED = "placed", gettext_lazy("待接单")
    ACCEPTED = "accepted", gettext_lazy("已接单")
    ASSIGNED = "assigned", gettext_lazy("配送中")
    DELIVERED = "delivered", gettext_lazy("已送达")
    SERVED = "served", gettext_lazy("已取餐")
    CONFIRMED = "confirmed", gettext_lazy("已确认收餐")
    CANCELLED = "cancelled", gettext_lazy("已取消")
    REJECTED = "rejected", gettext_lazy("未接单")


class Eligibility(models.TextChoices):
    """Who a discount rule is for. AGE is read off the ID number; the others are statuses the person record
    cannot show, so they need an EligibilityRegistration verified by community staff."""

    AGE = "age", gettext_lazy("按年龄")
    LEFT_BEHIND_CHILD = "left_behind_child", gettext_lazy("留守儿童")
    DIBAO = "dibao", gettext_lazy("低保")
    DISABILITY = "disability", gettext_lazy("残疾")


REGISTERED = [Eligibility.LEFT_BEHIND_CHILD, Eligibility.DIBAO, Eligibility.DISABILITY]


class DiscountMode(models.TextChoices):
    PERCENT = "percent", gettext_lazy("按比例优惠")
    FIXED = "fixed", gettext_lazy("固定价格")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待核实")
    VERIFIED = "verified", gettext_lazy("已核实")
    REJECTED = "rejected", gettext_lazy("未通过")
    REVOKED = "revoked", gettext_lazy("已撤销")
