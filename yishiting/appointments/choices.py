from django.db import models
from django.utils.translation import gettext_lazy


class ServiceKind(models.TextChoices):
    ROOM = "room", gettext_lazy("场地预约")
    LEGAL = "legal", gettext_lazy("法律咨询")
    GOVERNMENT = "government", gettext_lazy("政务服务")
    OTHER = "other", gettext_lazy("其他服务")


class Weekday(models.IntegerChoices):
    MONDAY = 0, gettext_lazy("周一")
    TUESDAY = 1, gettext_lazy("周二")
    WEDNESDAY = 2, gettext_lazy("周三")
    THURSDAY = 3, gettext_lazy("周四")
    FRIDAY = 4, gettext_lazy("周五")
    SATURDAY = 5, gettext_lazy("周六")
    SUNDAY = 6, gettext_lazy("周日")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", gettext_lazy("已预约")
    CANCELLED = "cancelled", gettext_lazy("已取消")
    CHECKED_IN = "checked_in", gettext_lazy("已签到")
    NO_SHOW = "no_show", gettext_lazy("未到")
