from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person


class Notification(models.Model):
    """What was sent to a person: shown in-app ("我的消息") and, when they have a mobile, sent as a text."""

    # No index of its own: notification_person_idx (person, -created_at) starts with it.
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("接收人"), on_delete=models.CASCADE, related_name="notifications",
                               db_index=False)
    text = models.CharField(gettext_lazy("内容"), max_length=500)
    link = models.CharField(gettext_lazy("链接"), max_length=200, blank=True)
    subject_type = models.CharField(gettext_lazy("对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(gettext_lazy("对象编号"), max_length=64, blank=True)
    sent_by_sms = models.BooleanField(gettext_lazy("已发短信"), default=False)
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(gettext_lazy("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("通知")
        verbose_name_plural = gettext_lazy("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "-created_at"], name="notification_person_idx")]

    def __str__(self) -> str:
        return self.text[:30]
