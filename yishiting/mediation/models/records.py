"""What happens in a case: attempts (调解记录), the agreement (调解协议) with its signatures and obligations
(履行), the return visit (回访), residents' ratings and deadline warnings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Person
from yishiting.handling.choices import Satisfaction

from ..choices import (
    AgreementForm,
    AgreementStatus,
    AttemptResult,
    Confirmation,
    ObligationStatus,
    SignerKind,
    SignMethod,
    Tier,
    WarningLevel,
)
from .cases import CaseParty, MediationCase


class Attempt(models.Model):
    """One mediation session: numbered within its tier (1..3 at the community, 1..2 at the street …)."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                             related_name="attempts")
    tier = models.PositiveSmallIntegerField(_("调解层级"), choices=Tier.choices)
    number = models.PositiveSmallIntegerField(_("本级第几次"))
    tier_area = models.ForeignKey(Area, verbose_name=_("调解层级区域"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("调解地点"), max_length=200)
    mediators = models.ManyToManyField(Person, verbose_name=_("调解员"), related_name="+")
    parties_present = models.ManyToManyField(CaseParty, verbose_name=_("到场当事人"), related_name="attempts")
    applicant_said = models.TextField(_("申请人陈述"), blank=True)
    respondent_said = models.TextField(_("被申请人陈述"), blank=True)
    result = models.CharField(_("调解结果"), max_length=16, choices=AttemptResult.choices)
    note = models.TextField(_("调解员记录"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "tier", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "tier", "number"], name="attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.number}"


class Agreement(models.Model):
    """调解协议: written (调解协议书, art. 29: parties, facts, points in dispute, responsibilities, what is agreed,
    how and by when it is performed) or oral (art. 28: content and the mediator's note). Effective when signed
    by every party and a mediator (a written one also stamped by the committee)."""

    case = models.OneToOneField(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                                related_name="agreement")
    attempt = models.OneToOneField(Attempt, verbose_name=_("达成协议的调解"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="agreement")
    form = models.CharField(_("协议形式"), max_length=16, choices=AgreementForm.choices,
                            default=AgreementForm.WRITTEN)
    status = models.CharField(_("状态"), max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    facts = models.TextField(_("纠纷的主要事实"), blank=True)
    disputed_points = models.TextField(_("争议事项"), blank=True)
    responsibilities = models.TextField(_("各方当事人的责任"), blank=True)
    content = models.TextField(_("达成协议的内容"))
    performance = models.TextField(_("履行方式"), blank=True)
    perform_by = models.DateField(_("履行期限"), null=True, blank=True)
    oral_note = models.TextField(_("调解员记录（口头协议）"), blank=True)
    stamped_at = models.DateTimeField(_("调解委员会盖章时间"), null=True, blank=True)
    stamped_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("盖章经办人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    signed_scan = models.FileField(_("签署后的协议扫描件"), upload_to="mediation/%Y/%m/", blank=True)
    scan_sha256 = models.CharField(_("扫描件哈希"), max_length=64, blank=True)
    effective_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    # Judicial confirmation (art. 33): the parties may jointly apply within 30 days of it taking effect.
    confirmation_due = models.DateField(_("司法确认申请截止日"), null=True, blank=True)
    confirmation = models.CharField(_("司法确认"), max_length=16, choices=Confirmation.choices,
                                    default=Confirmation.NONE)
    confirmation_note = models.TextField(_("司法确认情况"), blank=True)
    confirmation_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟写人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("拟写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return f"{self.case} {self.get_form_display()}"


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, verbose_name=_("调解协议"), on_delete=models.CASCADE,
                                  related_name="signatures")
    kind = models.CharField(_("签署人身份"), max_length=16, choices=SignerKind.choices)
    party = models.ForeignKey(CaseParty, verbose_name=_("当事人"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    mediator = models.ForeignKey(Person, verbose_name=_("调解员"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    method = models.CharField(_("方式"), max_length=16, choices=SignMethod.choices, default=SignMethod.SIGNATURE)
    signed_on = models.DateField(_("签署日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协议签署")
        verbose_name_plural = _("协议签署")
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], condition=models.Q(party__isnull=False),
                                    name="signature_party_once"),
            models.UniqueConstraint(fields=["agreement", "mediator"], condition=models.Q(mediator__isnull=False),
                                    name="signature_mediator_once"),
            models.CheckConstraint(condition=models.Q(party__isnull=False) ^ models.Q(mediator__isnull=False),
                                   name="signature_one_signer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signed_on}"


class Obligation(models.Model):
    """One thing a party undertook in the agreement, with its deadline and the mediator's check (履行回访)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("调解协议"), on_delete=models.CASCADE,
                                  related_name="obligations")
    party = models.ForeignKey(CaseParty, verbose_name=_("履行义务的当事人"), on_delete=models.PROTECT,
                              related_name="obligations")
    text = models.TextField(_("义务内容"))
    due_on = models.DateField(_("履行期限"))
    status = models.CharField(_("履行情况"), max_length=16, choices=ObligationStatus.choices,
                              default=ObligationStatus.PENDING)
    note = models.TextField(_("核实情况"), blank=True)
    checked_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("履行事项")
        verbose_name_plural = _("履行事项")
        ordering = ["agreement", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ReturnVisit(models.Model):
    """回访: after the agreement (or the top tier), a mediator visits the parties and records what was found."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                             related_name="visits")
    visited_on = models.DateField(_("回访日期"))
    visitor = models.ForeignKey(Person, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("回访情况"))
    resolved = models.BooleanField(_("纠纷已化解"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["case", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.visited_on}"


class MediationRating(models.Model):
    """群众评价 of a closed case by a reporter of its demands (or a party): counts in 满意率 (event rating.given)."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.PROTECT,
                             related_name="ratings")
    person = models.ForeignKey(Person, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("评价"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解评价")
        verbose_name_plural = _("调解评价")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="mediation_rating_once")]

    def __str__(self) -> str:
        return self.get_value_display()


class MediationWarning(models.Model):
    """A deadline warning given (unique per case, level and deadline: `tick` never warns twice)."""

    case = models.ForeignKey(MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE,
                             related_name="warnings")
    level = models.CharField(_("级别"), max_length=16, choices=WarningLevel.choices)
    deadline = models.DateField(_("期限"))
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解预警")
        verbose_name_plural = _("调解预警")
        constraints = [models.UniqueConstraint(fields=["case", "level", "deadline"], name="mediation_warning_once")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_level_display()}"
