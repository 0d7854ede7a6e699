"""Votes (表决), ballots and written proxies (书面委托).

A meeting vote's electorate is the participants signed in; an owners' vote (Civil Code Art. 278) is the
owners of the exclusive units (households with an owner) in its scope area, one ballot per unit. A secret
ballot stores only that the person voted; what they chose goes into `OptionCount`, never linked to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from yishiting.areas.models import Area, Household, PathField, Person

from ..choices import BallotChannel, OwnersMatter, VoteMethod, VoteRule, VoteStatus
from .meetings import Meeting
from .topics import Topic

DEFAULT_OPTIONS = [gettext_noop("同意"), gettext_noop("反对"), gettext_noop("弃权")]  # data: stored on the vote


class Vote(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="votes")
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="votes")
    question = models.CharField(_("表决事项"), max_length=300)
    method = models.CharField(_("方式"), max_length=16, choices=VoteMethod.choices)
    options = models.JSONField(_("选项"), default=list)
    rule = models.CharField(_("通过规则"), max_length=16, choices=VoteRule.choices)
    threshold_numerator = models.PositiveSmallIntegerField(_("自定义比例（分子）"), null=True, blank=True)
    threshold_denominator = models.PositiveSmallIntegerField(_("自定义比例（分母）"), null=True, blank=True)
    matter = models.CharField(_("业主共同决定事项"), max_length=16, choices=OwnersMatter.choices, blank=True)
    scope_area = models.ForeignKey(Area, verbose_name=_("表决范围"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("业主表决：楼栋、单元或小区"))
    path = PathField(_("路径"), max_length=255, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    hands = models.JSONField(_("举手计数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True, help_text=_("关闭时的完整计票，可逐项核对"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def scope_path(self) -> str:
        return self.path


class OptionCount(models.Model):
    """Secret ballots: how many chose each option — the only place their choices exist."""

    vote = models.ForeignKey(Vote, verbose_name=_("表决"), on_delete=models.CASCADE, related_name="option_counts")
    option = models.CharField(_("选项"), max_length=100)
    count = models.PositiveIntegerField(_("票数"), default=0)

    class Meta:
        verbose_name = _("无记名计数")
        verbose_name_plural = _("无记名计数")
        constraints = [models.UniqueConstraint(fields=["vote", "option"], name="optioncount_once")]

    def __str__(self) -> str:
        return f"{self.option}：{self.count}"


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, verbose_name=_("表决"), on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(Person, verbose_name=_("投票人"), on_delete=models.PROTECT, related_name="ballots")
    household = models.ForeignKey(Household, verbose_name=_("专有部分（户）"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(pgettext_lazy("ballot", "选择"), max_length=100, blank=True, help_text=_("无记名投票为空"))
    channel = models.CharField(_("方式"), max_length=16, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    proxy = models.ForeignKey("Proxy", verbose_name=_("依据委托"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", help_text=_("纸质票的录入人"))
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
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
        return _("选票 #%(pk)s") % {"pk": self.pk}


class Proxy(models.Model):
    """书面委托: an owner lets someone else vote for their unit in one vote."""

    vote = models.ForeignKey(Vote, verbose_name=_("表决"), on_delete=models.CASCADE, related_name="proxies")
    household = models.ForeignKey(Household, verbose_name=_("专有部分（户）"), on_delete=models.PROTECT,
                                  related_name="+")
    grantor = models.ForeignKey(Person, verbose_name=_("委托人（业主）"), on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Person, verbose_name=_("受托人"), on_delete=models.PROTECT, related_name="proxies_held")
    document = models.CharField(_("委托书编号或说明"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("书面委托")
        verbose_name_plural = _("书面委托")
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="proxy_one_per_unit")]

    def __str__(self) -> str:
        return _("书面委托 #%(pk)s") % {"pk": self.pk}
