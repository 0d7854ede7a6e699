from django.db import models
from django.utils.translation import gettext_lazy


class Availability(models.TextChoices):
    """Whether a pool member can be asked now: planners and the 云律团 inbox skip those away."""

    AVAILABLE = "available", gettext_lazy("可约请")
    BUSY = "busy", gettext_lazy("繁忙")
    AWAY = "away", gettext_lazy("暂停服务")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("待认领")
    CLAIMED = "claimed", gettext_lazy("解答中")
    ANSWERED = "answered", gettext_lazy("已解答")
    ESCALATED = "escalated", gettext_lazy("已转法律顾问")
    CLOSED = "closed", gettext_lazy("已评价")
    REFERRED = "referred", gettext_lazy("已转调解")


class MessageKind(models.TextChoices):
    QUESTION = "question", gettext_lazy("提问")
    ANSWER = "answer", gettext_lazy("解答")
    FOLLOW_UP = "follow_up", gettext_lazy("追问")
