from django.db import models
from django.utils.translation import gettext_lazy


class WishStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待审核")
    REJECTED = "rejected", gettext_lazy("未通过")
    OPEN = "open", gettext_lazy("待认领")
    CLAIMED = "claimed", gettext_lazy("已认领")
    FULFILLED = "fulfilled", gettext_lazy("已实现")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")


class WishCategory(models.TextChoices):
    DAILY = "daily", gettext_lazy("生活用品")
    STUDY = "study", gettext_lazy("学习用品")
    COMPANY = "company", gettext_lazy("陪伴关爱")
    REPAIR = "repair", gettext_lazy("维修帮助")
    HEALTH = "health", gettext_lazy("健康服务")
    OTHER = "other", gettext_lazy("其他")


class DonorKind(models.TextChoices):
    """Who made it come true, as the public wall names them (never by name)."""

    UNIT = "unit", gettext_lazy("爱心单位")
    PARTY_MEMBER = "party_member", gettext_lazy("党员")
    RESIDENT = "resident", gettext_lazy("居民")


class PhotoKind(models.TextChoices):
    POSTED = "posted", gettext_lazy("心愿照片")
    FULFILLED = "fulfilled", gettext_lazy("实现照片")
