"""Votes (表决), ballots and written proxies (书面委托).

A meeting vote's electorate is the participants signed in; an owners' vote (Civil Code Art. 278) is the
owners of the exclusive units (households with an owner) in its scope area, one ballot per unit. A secret
ballot stores only that the person voted; what they chose goes into `OptionCount`, never linked to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yishiting.areas.models import Area, Household, PathField, Person

from ..choices import BallotChannel, OwnersMatter, VoteMethod, VoteRule, VoteStatus
from .meetings import Meeting
from .topics import Topic

DEFAULT_OPTIONS = ["同意", "反对", "弃权"]


class Vote(models.Model):
    topic = models.ForeignKey(Topic, verbose_name="议题", on_delete=models.PROTECT, related_name="votes")
    meeting = models.ForeignKey(Meeting, verbose_name="会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="votes")
    question = models.CharField("表决事项", max_length=300)
    method = models.CharField("方式", max_length=16, choices=VoteMethod.choices)
    options = models.JSONField("选项", default=list)
    rule = models.CharField("通过规则", max_length=16, choices=VoteRule.choices)
    threshold_numerator = models.PositiveSmallIntegerField("自定义比例（分子）", null=True, blank=True)
    threshold_denominator = models.PositiveSmallIntegerField("自定义比例（分母）", null=True, blank=True)
    matter = models.CharField("业主共同决定事项", max_length=16, choices=OwnersMatter.choices, blank=True)
    scope_area = models.ForeignKey(Area, verbose_name="表决范围", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="业主表决：楼栋、单元或小区")
    path = PathField("路径", max_length=255, editable=False)
    status = models.CharField("状态", max_length=16, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)
    hands = models.JSONField("举手计数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True, help_text="关闭时的完整计票，可逐项核对")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def scope_path(self) -> str:
        return self.path


class OptionCount(models.Model):
    """Secret ballots: how many chose each option — the only place their choices exist."""

    vote = models.ForeignKey(Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="option_counts")
    option = models.CharField("选项", max_length=100)
    count = models.PositiveIntegerField("票数", default=0)

    class Meta:
        verbose_name = "无记名计数"
        verbose_name_plural = "无记名计数"
        constraints = [models.UniqueConstraint(fields=["vote", "option"], name="optioncount_once")]

    def __str__(self) -> str:
        return f"{self.option}：{self.count}"


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(Person, verbose_name="投票人", on_delete=models.PROTECT, related_name="ballots")
    household = models.ForeignKey(Household, verbose_name="专有部分（户）", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField("选择", max_length=100, blank=True, help_text="无记名投票为空")
    channel = models.CharField("方式", max_length=16, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    proxy = models.ForeignKey("Proxy", verbose_name="依据委托", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", help_text="纸质票的录入人")
    cast_at = models.DateTimeField("投票时间", auto_now_add=True)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        ordering = ["vote", "pk"]
        constraints = [
            # One vote per exclusive unit (owners' votes) …
            models.UniqueConstraint(fields=["vote", "household"], condition=Q(household__isnull=False),
                                    name="ballot_one_per_unit"),
            # … and one per person elsewhere.
            models.UniqueConstraint(fields=["vote", "voter"], condition=Q(household__isnull=True),
                                    name="ballot_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"选票 #{self.pk}"


class Proxy(models.Model):
    """书面委托: an owner lets someone else vote for their unit in one vote."""

    vote = models.ForeignKey(Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="proxies")
    household = models.ForeignKey(Household, verbose_name="专有部分（户）", on_delete=models.PROTECT,
                                  related_name="+")
    grantor = models.ForeignKey(Person, verbose_name="委托人（业主）", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Person, verbose_name="受托人", on_delete=models.PROTECT, related_name="proxies_held")
    document = models.CharField("委托书编号或说明", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "书面委托"
        verbose_name_plural = "书面委托"
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="proxy_one_per_unit")]

    def __str__(self) -> str:
        return f"书面委托 #{self.pk}"
