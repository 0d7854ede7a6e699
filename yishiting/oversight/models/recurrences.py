"""复发 checked once per demand: whether it repeats an archived matter at the same place (clusters.recurrence_of),
stored when the roll-up catch-up first counts the demand, so the overview and the recurrence list read counts
from the roll-ups and rows from here instead of comparing demand texts at page time (docs/oversight.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import PathField


class CheckedRecurrence(models.Model):
    """One demand checked for 复发: `earlier` is the demand of the archived matter it repeats (None: checked,
    none). `path` and `created_at` are the demand's, so a period's list under an area is one index range.
    A projection like the roll-ups' cells: no foreign-key constraint in the database, so a demand row deleted or
    altered by hand is what `yishiting verify` reports, not a constraint error (ORM deletes still cascade)."""

    demand = models.OneToOneField("demands.Demand", verbose_name=gettext_lazy("诉求"), primary_key=True,
                                  on_delete=models.CASCADE, related_name="+", db_constraint=False)
    earlier = models.ForeignKey("demands.Demand", verbose_name=gettext_lazy("前次诉求"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+", db_constraint=False)
    dossier = models.ForeignKey("handling.Dossier", verbose_name=gettext_lazy("前次档案"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+", db_constraint=False)
    archived_at = models.DateTimeField(gettext_lazy("前次归档时间"), null=True, blank=True)
    path = PathField(gettext_lazy("区域路径"), max_length=255, default="")
    created_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    found_at = models.DateTimeField(gettext_lazy("核查时间"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("复发核查")
        verbose_name_plural = gettext_lazy("复发核查")
        indexes = [models.Index(fields=["created_at", "path"], name="oversight_recur_found",
                                condition=Q(earlier__isnull=False))]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.earlier_id}"
