"""Roll-ups: the counts the rates and the funnel are made of, kept per area level × category × day (and month).

A *source* is one thing that counts: a demand, a topic, a task, a mediation case or one rating. Its
`Contribution` remembers the cells it added (measure, day, category) at its leaf path; the catch-up
(oversight.projection) recomputes a touched source from its row and its events and applies the difference, so
replaying it is harmless. Each cell is kept at every ancestor level down to the grid (depth ≤ ROLLUP_DEPTH),
so the figures of one area are read by its exact path — a few thousand rows for a district-year, whatever the
volume. The "open now" gauge (`OpenCount`) is kept the same way, by stage and due day instead of category and
day (docs/oversight.md).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField

ROLLUP_DEPTH = 4  # 区/街道/社区/网格: the levels the rates are asked of


class Cell(models.Model):
    """One roll-up cell: a count of one measure at one area path (and its depth) for one category and period."""

    path = PathField(gettext_lazy("区域路径"), max_length=255)
    depth = models.PositiveSmallIntegerField(gettext_lazy("层级"))
    category_id = models.IntegerField(gettext_lazy("类别"), default=0)  # 0: none (a rating of a topic without demands)
    measure = models.CharField(gettext_lazy("指标"), max_length=32)
    n = models.BigIntegerField(gettext_lazy("数量"), default=0)

    class Meta:
        abstract = True


class DailyCount(Cell):
    day = models.DateField(gettext_lazy("日期"))

    class Meta:
        verbose_name = gettext_lazy("日统计")
        verbose_name_plural = gettext_lazy("日统计")
        constraints = [models.UniqueConstraint(fields=["path", "day", "measure", "category_id"],
                                               name="rollup_daily_cell")]
        indexes = [models.Index(fields=["depth", "path", "day"], name="rollup_daily_children")]

    def __str__(self) -> str:
        return f"{self.path} {self.day} {self.measure} {self.category_id}: {self.n}"


class MonthlyCount(Cell):
    month = models.DateField(gettext_lazy("月份"))  # the first day of the month

    class Meta:
        verbose_name = gettext_lazy("月统计")
        verbose_name_plural = gettext_lazy("月统计")
        constraints = [models.UniqueConstraint(fields=["path", "month", "measure", "category_id"],
                                               name="rollup_monthly_cell")]
        indexes = [models.Index(fields=["depth", "path", "month"], name="rollup_monthly_children")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m} {self.measure} {self.category_id}: {self.n}"


NO_DUE = date(9999, 12, 31)  # the gauge's due day of an item without a deadline (never overdue)


class OpenCount(models.Model):
    """The "open now" gauge: how many items stand at one stage (待筛选, 协商中, 任务办理中, 红色预警, 调解中, 评价中)
    under one area path, by their due day. Kept like the other cells (+1 when an item enters a stage, −1 when
    it leaves, through its Contribution), at every level down to the grid; "overdue as of today" is the sum
    of the cells with due < today, so the cells are bounded by areas × stages × due days, not by items."""

    path = PathField(gettext_lazy("区域路径"), max_length=255)
    depth = models.PositiveSmallIntegerField(gettext_lazy("层级"))
    stage = models.CharField(gettext_lazy("环节"), max_length=32)
    due = models.DateField(gettext_lazy("期限"))
    n = models.BigIntegerField(gettext_lazy("数量"), default=0)

    class Meta:
        verbose_name = gettext_lazy("在办统计")
        verbose_name_plural = gettext_lazy("在办统计")
        constraints = [models.UniqueConstraint(fields=["path", "stage", "due"], name="rollup_open_cell")]

    def __str__(self) -> str:
        return f"{self.path} {self.stage} {self.due}: {self.n}"


class Contribution(models.Model):
    """What one source added to the roll-ups (so a change is applied as a difference), and the drill-down's
    index: `day` and `flags` (",submitted,responded_on_time,") of its main measure, `label` to list it by."""

    kind = models.CharField(gettext_lazy("来源类型"), max_length=12)  # demand, topic, task, case, rating
    source_id = models.BigIntegerField(gettext_lazy("来源编号"))
    path = PathField(gettext_lazy("路径"), max_length=255)
    label = models.CharField(gettext_lazy("名称"), max_length=40, blank=True)
    day = models.DateField(gettext_lazy("日期"), null=True)
    flags = models.CharField(gettext_lazy("标记"), max_length=200, blank=True)
    cells = models.JSONField(gettext_lazy("计数单元"), default=list)  # [[measure, "YYYY-MM-DD", category_id], …]

    class Meta:
        verbose_name = gettext_lazy("统计来源")
        verbose_name_plural = gettext_lazy("统计来源")
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="rollup_contribution_source")]
        indexes = [models.Index(fields=["kind", "day", "path"], name="rollup_contribution_drill")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.source_id}"


class RollupCursor(models.Model):
    """The catch-up's place in the event log: every event up to `last_event_id` is counted, except the ids in
    `gaps` (allocated but not yet committed when last read: looked for again until GAP_WAIT has passed)."""

    name = models.CharField(max_length=20, unique=True, default="main")
    last_event_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list)  # [[event id, first seen ISO time], …]
    caught_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("统计进度")
        verbose_name_plural = gettext_lazy("统计进度")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


RATE_KEYS = ("response", "resolved", "on_time", "satisfaction")


class DistrictRates(models.Model):
    """Which rates a district shows on its pages, in which order (the 三率 by default; 解决率 can be added)."""

    district = models.OneToOneField(Area, verbose_name=gettext_lazy("区"), on_delete=models.CASCADE,
                                    related_name="+")
    rates = models.CharField(gettext_lazy("显示的指标"), max_length=100, default="response,on_time,satisfaction",
                             help_text=gettext_lazy("按顺序填写，英文逗号分隔：response 响应率、resolved 解决率、"
                                                    "on_time 按期办结率、satisfaction 满意率"))

    class Meta:
        verbose_name = gettext_lazy("区考评指标设置")
        verbose_name_plural = gettext_lazy("区考评指标设置")

    def __str__(self) -> str:
        return str(self.district)

    def keys(self) -> list[str]:
        return [key for key in (k.strip() for k in self.rates.split(",")) if key in RATE_KEYS]
