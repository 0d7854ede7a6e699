"""The dossier (一事一档, 备): assembled from the event log when a matter is archived, then never changed.

`content` is the assembled record (every event in order with actors masked, every attachment with its SHA-256);
`content_sha256` seals it and `chain_head` is the hash of the last event of the matter at archive time, so
`yishiting verify` can prove both the dossier and the log it came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yishiting.areas.models import Area, PathField


class Dossier(models.Model):
    topic = models.OneToOneField("deliberation.Topic", verbose_name="议题", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dossier")
    task = models.OneToOneField("handling.Task", verbose_name="任务", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="dossier")
    number = models.CharField("档案号", max_length=32, unique=True)
    title = models.CharField("标题", max_length=200)
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    path = PathField("路径", max_length=255, editable=False)
    category = models.CharField("类别", max_length=64, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    search_text = models.TextField("检索文本", editable=False)
    content = models.JSONField("档案内容")
    content_sha256 = models.CharField("内容哈希", max_length=64)
    chain_head = models.CharField("事件链哈希", max_length=64)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="归档人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField("归档时间", auto_now_add=True)

    class Meta:
        verbose_name = "一事一档"
        verbose_name_plural = "一事一档"
        ordering = ["-archived_at", "-pk"]
        indexes = [models.Index(fields=["path", "year"], name="dossier_path_year_idx"),
                   models.Index(fields=["category", "year"], name="dossier_category_year_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(topic__isnull=False) ^ models.Q(task__isnull=False),
                                   name="dossier_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def scope_path(self) -> str:
        return self.path
