"""Governance points, the 积分超市 and the 时间银行 (issue 19).

Two append-only ledgers — points (`PointEntry`) and hours (`HourEntry`) — whose every row references the event
that caused it: the earning event (a rated service, an accepted suggestion …) for credits, or the event of a
redemption or of a `Posting` (a manual award, a correction, a withdrawal, a transfer) for the rest. `key` is
unique, so one event credits one person once per rule however often it is processed. The database refuses to
update or delete an entry (migration 0002's triggers); a balance is the ledger's sum, kept in `Balance` for
speed and compared by `yishiting verify`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, PathField, Person
from yishiting.common.models import Event

from .choices import EarningKind, HourKind, ItemKind, PointKind, PostingKind, RedemptionStatus


class PointRule(models.Model):
    """An admin-editable rule: events of `kind` in the rule's area (subtree) between its dates give each earner
    `points` (+ `points_per_hour` × hours), within the caps per person; a rating below `min_rating` earns
    nothing. With `points_by_rating` ({"5": 15, "4": 10}) the served person's rating picks the base points
    instead of `points` (a level not listed earns no base points). With `deposits_hours`, the earner's hours also go into the 时间银行 (rating ≥ min_rating)."""

    name = models.CharField(gettext_lazy("名称"), max_length=100)
    kind = models.CharField(gettext_lazy("事件类型"), max_length=64, choices=EarningKind.choices)
    points = models.PositiveIntegerField(gettext_lazy("每人积分"), default=0)
    points_per_hour = models.PositiveIntegerField(gettext_lazy("每小时加分"), default=0)
    min_rating = models.PositiveSmallIntegerField(gettext_lazy("最低评分"), null=True, blank=True,
                                                  help_text=gettext_lazy("1–5；空为不看评分"))
    points_by_rating = models.JSONField(
        gettext_lazy("按评分给分"), default=dict, blank=True,
        help_text=gettext_lazy("服务对象评分对应的积分，如 {\"5\": 15, \"4\": 10, \"3\": 5}；填写后代替“每人积分”，未列出的评分不得分"))
    daily_cap = models.PositiveIntegerField(gettext_lazy("每人每日上限"), null=True, blank=True)
    monthly_cap = models.PositiveIntegerField(gettext_lazy("每人每月上限"), null=True, blank=True)
    deposits_hours = models.BooleanField(gettext_lazy("存入时间银行"), default=False)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("适用区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+", help_text=gettext_lazy("含下级；空为全部"))
    path = PathField(gettext_lazy("路径"), max_length=255, blank=True, editable=False)
    starts_on = models.DateField(gettext_lazy("生效日期"), null=True, blank=True)
    ends_on = models.DateField(gettext_lazy("截止日期"), null=True, blank=True)
    award_roles = models.JSONField(gettext_lazy("可手动奖励的角色"), default=list, blank=True,
                                   help_text=gettext_lazy("角色代码列表，如 community_staff；空为不可手动奖励"))
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("积分规则")
        verbose_name_plural = gettext_lazy("积分规则")
        ordering = ["kind", "path", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.area.path if self.area_id else ""
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.min_rating is not None and not 1 <= self.min_rating <= 5:
            raise ValidationError({"min_rating": gettext("最低评分应在 1 到 5 之间。")})
        levels = self.points_by_rating if isinstance(self.points_by_rating, dict) else None
        if levels is None or any(k not in {"1", "2", "3", "4", "5"} or not isinstance(v, int) or isinstance(v, bool)
                                 or v < 0 for k, v in levels.items()):
            raise ValidationError({"points_by_rating": gettext(
                "按评分给分应写成 {\"5\": 15, \"4\": 10}：评分 1 到 5，积分为不小于 0 的整数。")})
        unknown = [r for r in self.award_roles or [] if r not in Role.values]
        if unknown:
            raise ValidationError({"award_roles": gettext("未知角色：%(roles)s") % {"roles": "、".join(unknown)}})


class Balance(models.Model):
    """A person's points and hours: the sums of their entries, kept in the transaction that writes each entry
    (the row is locked first, so concurrent credits and redemptions of one person serialize on it)."""

    person = models.OneToOneField(Person, verbose_name=gettext_lazy("人员"), on_delete=models.PROTECT,
                                  related_name="ledger_balance")
    points = models.IntegerField(gettext_lazy("积分"), default=0)
    hours = models.DecimalField(gettext_lazy("时长"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = gettext_lazy("积分和时长余额")
        verbose_name_plural = gettext_lazy("积分和时长余额")
        constraints = [models.CheckConstraint(condition=models.Q(points__gte=0), name="balance_points_nonnegative"),
                       models.CheckConstraint(condition=models.Q(hours__gte=0), name="balance_hours_nonnegative")]

    def __str__(self) -> str:
        return f"{self.person} {self.points} / {self.hours}"


class Posting(models.Model):
    """Something done by hand to a ledger — the subject of the event its entries reference, with the reason."""

    kind = models.CharField(gettext_lazy("类型"), max_length=32, choices=PostingKind.choices)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Person, verbose_name=gettext_lazy("对方"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(PointRule, verbose_name=gettext_lazy("规则"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(gettext_lazy("数量"), max_digits=10, decimal_places=2)
    reason = models.CharField(gettext_lazy("事由"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="+")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("经办人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("手动记账")
        verbose_name_plural = gettext_lazy("手动记账")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        self.path = self.area.path
        super().save(*args, **kwargs)


class Entry(models.Model):
    """One line of a ledger. Never updated or deleted (migration 0002's triggers; `save` refuses it too)."""

    key = models.CharField(gettext_lazy("唯一键"), max_length=64, unique=True)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.PROTECT, related_name="+")
    # No foreign key in the database: the event log is partitioned by month on PostgreSQL, and a key to it would
    # need (id, at). `yishiting verify` checks every entry's event exists (ledgers.reconcile).
    event = models.ForeignKey(Event, verbose_name=gettext_lazy("来源事件"), on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    rule = models.ForeignKey(PointRule, verbose_name=gettext_lazy("规则"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("发生地"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    path = PathField(gettext_lazy("路径"), max_length=255, blank=True, editable=False)
    note = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)
    day = models.DateField(gettext_lazy("记账日"))
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(gettext("账目只能追加，不能修改。"))
        self.path = self.area.path if self.area_id else ""
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(gettext("账目只能追加，不能删除。"))


class PointEntry(Entry):
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=PointKind.choices)
    points = models.IntegerField(gettext_lazy("积分"))

    class Meta(Entry.Meta):
        verbose_name = gettext_lazy("积分明细")
        verbose_name_plural = gettext_lazy("积分明细")
        constraints = [models.UniqueConstraint(fields=["event", "rule", "person"], name="point_event_rule_person",
                                               condition=models.Q(rule__isnull=False))]
        indexes = [models.Index(fields=["person", "-created_at"], name="pointentry_person_idx"),
                   models.Index(fields=["rule", "person", "day"], name="pointentry_cap_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d}"


class HourEntry(Entry):
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=HourKind.choices)
    hours = models.DecimalField(gettext_lazy("时长（小时）"), max_digits=8, decimal_places=2)

    class Meta(Entry.Meta):
        verbose_name = gettext_lazy("时间银行明细")
        verbose_name_plural = gettext_lazy("时间银行明细")
        indexes = [models.Index(fields=["person", "-created_at"], name="hourentry_person_idx"),
                   models.Index(fields=["path", "kind"], name="hourentry_path_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours:+}"


class Item(models.Model):
    """Goods or a service of one community's 积分超市, its price in points and what is left in stock."""

    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="+")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    kind = models.CharField(gettext_lazy("类别"), max_length=16, choices=ItemKind.choices, default=ItemKind.GOODS)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    price = models.PositiveIntegerField(gettext_lazy("所需积分"))
    stock = models.IntegerField(gettext_lazy("库存"), default=0)
    pickup_days = models.PositiveSmallIntegerField(gettext_lazy("领取期限（天）"), default=7)
    is_active = models.BooleanField(gettext_lazy("上架"), default=True)

    class Meta:
        verbose_name = gettext_lazy("积分超市商品")
        verbose_name_plural = gettext_lazy("积分超市商品")
        ordering = ["path", "price", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(stock__gte=0), name="item_stock_nonnegative")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.community.path
        super().save(*args, **kwargs)

    @property
    def scope_path(self) -> str:
        return self.path


class Redemption(models.Model):
    """A resident's redemption of one item: the points are taken and the stock decremented at once; the code is
    shown at the pickup point, where staff confirm the handover."""

    item = models.ForeignKey(Item, verbose_name=gettext_lazy("商品"), on_delete=models.PROTECT, related_name="redemptions")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("兑换人"), on_delete=models.PROTECT, related_name="+")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    points = models.PositiveIntegerField(gettext_lazy("积分"))
    code = models.CharField(gettext_lazy("领取码"), max_length=8, unique=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.PENDING)
    expires_at = models.DateTimeField(gettext_lazy("领取截止"))
    created_at = models.DateTimeField(gettext_lazy("兑换时间"), auto_now_add=True)
    handed_over_at = models.DateTimeField(gettext_lazy("领取时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("核销人"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = gettext_lazy("积分兑换")
        verbose_name_plural = gettext_lazy("积分兑换")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="redemption_due_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.code}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]


class LedgerCursor(models.Model):
    """How far the processor has read the event log, and the ids below that it has not seen yet (written by
    transactions still open when it read; looked at again until GAP_WAIT has passed)."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    caught_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("积分处理进度")
        verbose_name_plural = gettext_lazy("积分处理进度")

    def __str__(self) -> str:
        return f"{self.name} @{self.last_event_id}"


__all__ = ["Balance", "Entry", "HourEntry", "HourKind", "Item", "ItemKind", "LedgerCursor", "PointEntry",
           "PointKind", "PointRule", "Posting", "PostingKind", "Redemption", "RedemptionStatus"]
