"""Mediation cases (调解). A minimal record for now: screening a dispute opens one at the community; the
mediation issue adds the "三二一" tiers and agreements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField


class MediationCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("调解中")
        CLOSED = "closed", gettext_lazy("已结案")

    title = models.CharField(gettext_lazy("案由"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"), on_delete=models.PROTECT, related_name="mediations")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("立案人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("立案时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("调解案件")
        verbose_name_plural = gettext_lazy("调解案件")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path
