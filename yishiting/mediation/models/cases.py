"""A mediation case (调解案件), its parties (当事人) and its mediators (调解员).

Confidential (人民调解法 art. 15): only the parties, the assigned mediators and the office staff of the case's
area and above see a case (rules.py, selectors.cases_visible_to)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Household, Organization, PathField, Person

from ..choices import (
    CaseSource,
    CaseStatus,
    Consent,
    Hearing,
    MediatorStatus,
    Outcome,
    PartyKind,
    Side,
    Tier,
)
from .setup import CommitteeMember, DisputeType, MediationCommittee


class MediationCase(models.Model):
    Status = CaseStatus  # kept: older code reads MediationCase.Status.OPEN

    title = models.CharField(_("案由"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="mediations")
    path = PathField(_("路径"), max_length=255, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立案人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    source = models.CharField(_("来源"), max_length=16, choices=CaseSource.choices, default=CaseSource.SCREENING)
    dispute_type = models.ForeignKey(DisputeType, verbose_name=_("纠纷类型"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(MediationCommittee, verbose_name=_("调解委员会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    hearing = models.CharField(_("调解方式"), max_length=16, choices=Hearing.choices, default=Hearing.PRIVATE)
    # The "三二一" position: the tier now mediating and the area answering for it (community → street → district).
    tier = models.PositiveSmallIntegerField(_("调解层级"), choices=Tier.choices, default=Tier.COMMUNITY)
    tier_area = models.ForeignKey(Area, verbose_name=_("当前调解层级区域"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # The template's counts per tier when the case opened: a template edited later does not change a running case.
    attempt_limits = models.JSONField(_("各级调解次数"), default=list, blank=True)
    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    deadline = models.DateField(_("办结期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    guidance = models.TextField(_("告知当事人的其他途径"), blank=True,
                                help_text=_("调解不成或不同意调解时：诉讼、仲裁、行政途径（诉调对接）"))
    proposed_topic = models.BooleanField(_("建议转为议题"), default=False)
    proposal_note = models.TextField(_("转议题建议"), blank=True)
    non_performance = models.BooleanField(_("有当事人未履行协议"), default=False)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["path", "status"], name="mediation_path_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path

    def limit_for(self, tier: int) -> int:
        limits = self.attempt_limits or [3, 2, 1]
        return limits[tier - 1] if 0 < tier <= len(limits) else 0

    @property
    def is_closed(self) -> bool:
        return self.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


class CaseParty(models.Model):
    """A party (当事人): a resident, a household or an organisation, on one side, with its stated facts and
    whether it agrees to be mediated (art. 17). Shown masked to all but the mediators and supervising staff."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                             related_name="parties")
    side = models.CharField(_("身份"), max_length=16, choices=Side.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=PartyKind.choices, default=PartyKind.PERSON)
    person = models.ForeignKey(Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    household = models.ForeignKey(Household, verbose_name=_("住户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名或名称"), max_length=200)
    mobile = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    statement = models.TextField(_("陈述的事实和请求"), blank=True)
    consent = models.CharField(_("是否同意调解"), max_length=16, choices=Consent.choices, default=Consent.PENDING)
    consent_note = models.TextField(_("说明"), blank=True)
    consent_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "side", "pk"]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.name}"

    @property
    def scope_path(self) -> str:
        return self.case.path


class CaseMediator(models.Model):
    """A mediator of a case at a tier. Parties may choose or refuse a mediator (art. 19); a mediator with a
    conflict of interest steps aside. Only `active` mediators see and work the case."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                             related_name="mediators")
    person = models.ForeignKey(Person, verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(CommitteeMember, verbose_name=_("调解委员会成员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assignments")
    tier = models.PositiveSmallIntegerField(_("调解层级"), choices=Tier.choices, default=Tier.COMMUNITY)
    is_lead = models.BooleanField(_("主持调解"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=MediatorStatus.choices,
                              default=MediatorStatus.ACTIVE)
    chosen_by = models.ForeignKey(CaseParty, verbose_name=_("由当事人选定"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("回避或拒绝理由"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("指派人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件调解员")
        verbose_name_plural = _("案件调解员")
        ordering = ["case", "tier", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], condition=models.Q(status="active"),
                                               name="case_mediator_active_once")]

    def __str__(self) -> str:
        return str(self.person)
