from django.db import models
from django.utils.translation import gettext_lazy


class ActivityStatus(models.TextChoices):
    """An activity takes sign-ups while open; the organiser ends it (or calls it off)."""

    OPEN = "open", gettext_lazy("报名中")
    FINISHED = "finished", gettext_lazy("已结束")
    CANCELLED = "cancelled", gettext_lazy("已取消")


class AttendanceStatus(models.TextChoices):
    SIGNED_UP = "signed_up", gettext_lazy("已报名")
    WAITING = "waiting", gettext_lazy("候补中")
    CHECKED_IN = "checked_in", gettext_lazy("已签到")
    CHECKED_OUT = "checked_out", gettext_lazy("已签退")
    CANCELLED = "cancelled", gettext_lazy("已取消报名")
    ABSENT = "absent", gettext_lazy("未到")


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("在岗")
    RELEASED = "released", gettext_lazy("已提前退岗")


class ShiftStatus(models.TextChoices):
    LOGGED = "logged", gettext_lazy("待确认")
    CONFIRMED = "confirmed", gettext_lazy("已确认")
    REJECTED = "rejected", gettext_lazy("未确认")
