"""Tasks (办理任务). A minimal record for now: direct handling of a demand creates one with a handler and a
deadline; the handling issue adds the lifecycle (progress, return, extension, close with evidence)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yishiting.areas.models import Area, Organization, PathField, Person


class Task(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "已交办"
        CLOSED = "closed", "已销号"

    title = models.CharField("任务", max_length=200)
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="tasks")
    path = PathField("路径", max_length=255, editable=False)
    organization = models.ForeignKey(Organization, verbose_name="责任单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="tasks")
    handler = models.ForeignKey(Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="tasks")
    deadline = models.DateField("办理期限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("交办时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理任务"
        verbose_name_plural = "办理任务"
        ordering = ["deadline"]
        indexes = [models.Index(fields=["path", "status"], name="task_path_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path
