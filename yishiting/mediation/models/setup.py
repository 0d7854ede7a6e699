"""What an area sets up before any case: dispute types, the "三二一" template, committees and their members."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Person

from ..choices import MemberKind


class DisputeType(models.Model):
    """纠纷类型 (邻里、物业、婚姻家庭 …): admin-editable; defaults seeded by migration 0003."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("纠纷类型")
        verbose_name_plural = _("纠纷类型")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class MediationTemplate(models.Model):
    """The "三二一" rules of an area and everything under it (the nearest ancestor's template applies; without
    one, the Cenxi defaults below). Counts per tier, the whole case's limit in working days, warnings."""

    area = models.OneToOneField(Area, verbose_name=_("适用区域"), on_delete=models.PROTECT,
                                related_name="mediation_template")
    name = models.CharField(_("名称"), max_length=100, default="三二一")  # zh-only
    community_attempts = models.PositiveSmallIntegerField(_("社区初调次数"), default=3)
    street_attempts = models.PositiveSmallIntegerField(_("镇街深调次数"), default=2)
    district_attempts = models.PositiveSmallIntegerField(_("区（市）级调解次数"), default=1)
    limit_days = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=30)
    # Optional limits of each tier, counted from the day the case reached it; blank: only the case-wide limit.
    community_limit_days = models.PositiveSmallIntegerField(_("社区初调时限（工作日，选填）"), null=True, blank=True)
    street_limit_days = models.PositiveSmallIntegerField(_("镇街深调时限（工作日，选填）"), null=True, blank=True)
    district_limit_days = models.PositiveSmallIntegerField(_("区（市）级调解时限（工作日，选填）"), null=True,
                                                           blank=True)
    yellow_percent = models.PositiveSmallIntegerField(_("黄色预警（已用时限百分比）"), default=80)
    escalate_after_days = models.PositiveSmallIntegerField(_("逾期几个工作日后提级督办"), default=3)
    confirmation_days = models.PositiveSmallIntegerField(_("司法确认申请期限（日）"), default=30)
    auto_escalate = models.BooleanField(_("本级最后一次调解不成自动移交上一级"), default=True)

    class Meta:
        verbose_name = _("调解规则（三二一）")
        verbose_name_plural = _("调解规则（三二一）")

    def __str__(self) -> str:
        return f"{self.area} {self.name}"

    def attempts(self) -> list[int]:
        return [self.community_attempts, self.street_attempts, self.district_attempts]

    def tier_limits(self) -> list[int | None]:
        return [self.community_limit_days, self.street_limit_days, self.district_limit_days]


class MediationCommittee(models.Model):
    """人民调解委员会 of a community (or a street / district): its members are the case's mediators."""

    area = models.OneToOneField(Area, verbose_name=_("区域"), on_delete=models.PROTECT,
                                related_name="mediation_committee")
    path = models.CharField(_("路径"), max_length=255, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(_("成立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = self.area.path  # the committee covers its area's subtree
        super().save(*args, **kwargs)

    @property
    def scope_path(self) -> str:
        return self.path


class CommitteeMember(models.Model):
    committee = models.ForeignKey(MediationCommittee, verbose_name=_("调解委员会"), on_delete=models.CASCADE,
                                  related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("身份"), max_length=32, choices=MemberKind.choices, default=MemberKind.MEDIATOR)
    is_active = models.BooleanField(_("在任"), default=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解委员会成员")
        verbose_name_plural = _("调解委员会成员")
        ordering = ["committee", "pk"]
        constraints = [models.UniqueConstraint(fields=["committee", "person"], name="committee_member_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    @property
    def scope_path(self) -> str:
        return self.committee.path
