"""堡垒指数 (each party organisation) and 先锋指数 (each party member): a district's weighted parts, and the
snapshot of each index per period — its value, its rank among its peers and, part by part, the records counted.

A snapshot is the figure as it stood when computed at the period's end (`yishiting tick`) or recomputed on
command; earlier periods stay as they were (history). Parts hold the record ids they counted, so the derivation
shown later lists exactly those records even if the rule's inputs change afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, PathField, Person


class IndexKind(models.TextChoices):
    FORTRESS = "fortress", _("堡垒指数")
    PIONEER = "pioneer", _("先锋指数")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndexScheme(models.Model):
    """A district's parts of one index; a district without one uses the built-in parts (oversight.indices)."""

    district = models.ForeignKey(Area, verbose_name=_("所属区"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("指数"), max_length=16, choices=IndexKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指数构成")
        verbose_name_plural = _("指数构成")
        ordering = ["district", "kind"]
        constraints = [models.UniqueConstraint(fields=["district", "kind"], name="index_scheme_once")]

    def __str__(self) -> str:
        return f"{self.district} {self.get_kind_display()}"


class IndexPart(models.Model):
    """One weighted part: a measure (oversight.indices.measures), its weight and, for a count, the monthly
    figure that scores full marks (a quarter needs three times as many, a year twelve)."""

    scheme = models.ForeignKey(IndexScheme, verbose_name=_("指数构成"), on_delete=models.CASCADE, related_name="parts")
    measure = models.CharField(_("指标"), max_length=32)
    weight = models.PositiveSmallIntegerField(_("权重"), default=10)
    monthly_target = models.PositiveIntegerField(_("每月满分数量"), default=1,
                                                 help_text=_("计数类指标达到此数（按期间月数倍增）得满分 100；比率类指标不用"))

    class Meta:
        verbose_name = _("指数分项")
        verbose_name_plural = _("指数分项")
        ordering = ["scheme", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "measure"], name="index_part_once"),
                       models.CheckConstraint(condition=Q(monthly_target__gte=1), name="index_part_target_positive")]

    def __str__(self) -> str:
        return self.measure


class IndexSnapshot(models.Model):
    """One index of one organisation (堡垒指数) or member (先锋指数) for one period."""

    kind = models.CharField(_("指数"), max_length=16, choices=IndexKind.choices)
    period = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    organization = models.ForeignKey(Organization, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                     related_name="index_snapshots")
    person = models.ForeignKey(Person, verbose_name=_("党员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="index_snapshots")
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    path = PathField(_("路径"), max_length=255, editable=False)
    # Peers are ranked within an area: party organisations of one kind whose areas share a parent (the community
    # party committees of a street), members within their community.
    peer_area = models.ForeignKey(Area, verbose_name=_("排名范围"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("指数"), max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"), default=1)
    peers = models.PositiveIntegerField(_("同级数量"), default=1)
    parts = models.JSONField(_("分项"), default=list)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("指数记录")
        verbose_name_plural = _("指数记录")
        ordering = ["kind", "-start", "peer_area", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "start", "organization"], condition=Q(person__isnull=True),
                                    name="index_snapshot_org_once"),
            models.UniqueConstraint(fields=["kind", "period", "start", "person"], condition=Q(person__isnull=False),
                                    name="index_snapshot_member_once"),
        ]
        indexes = [models.Index(fields=["kind", "period", "start", "peer_area", "rank"], name="index_snapshot_rank_idx"),
                   models.Index(fields=["path"], name="index_snapshot_path_idx")]

    def __str__(self) -> str:
        subject = self.person.name if self.person_id else self.organization.name
        return f"{subject} {self.get_kind_display()} {self.start:%Y-%m-%d}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id] if self.person_id else []

    def part(self, key: str) -> dict | None:
        return next((p for p in self.parts if p.get("key") == key), None)
