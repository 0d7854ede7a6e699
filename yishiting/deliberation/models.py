"""Topics (议题). A minimal record for now: screening creates or joins one; the deliberation issue adds
meetings, opinions, votes and resolutions, and the full status table."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yishiting.areas.models import Area, PathField, Person


class Topic(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待协商"
        CLOSED = "closed", "已结束"

    title = models.CharField("议题", max_length=200)
    description = models.TextField("说明", blank=True)
    level_area = models.ForeignKey(Area, verbose_name="层级区域", on_delete=models.PROTECT, related_name="topics")
    path = PathField("路径", max_length=255, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    proposer = models.ForeignKey(Person, verbose_name="提议人", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["path", "status"], name="topic_path_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path
