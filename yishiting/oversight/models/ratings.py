"""Unit ratings: the weights of a rating's parts per district, the street's and community's annual evaluation of
the units serving them (镇街评议区直部门, 社区评议共驻共建单位), the year's close, and the kept yearly ratings
(a property company's 服务信用 history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, PathField


class RatingWeights(models.Model):
    """How much each part counts in a district's unit ratings, and the handling record's deductions.
    A part with no records in the year is left out and the others' weights are scaled up (the page says so)."""

    district = models.OneToOneField(Area, verbose_name=_("区"), on_delete=models.CASCADE,
                                    related_name="rating_weights")
    parties = models.PositiveSmallIntegerField(_("五方互评权重"), default=20)
    organization = models.PositiveSmallIntegerField(_("组织考评权重"), default=20)
    handling = models.PositiveSmallIntegerField(_("办理记录权重"), default=30)
    evaluation = models.PositiveSmallIntegerField(_("年度评议权重"), default=20)
    rectification = models.PositiveSmallIntegerField(_("整改记录权重"), default=10)
    whistles = models.PositiveSmallIntegerField(_("应哨记录权重"), default=10)
    per_returned = models.PositiveSmallIntegerField(_("每次退回扣分"), default=5)
    per_extended = models.PositiveSmallIntegerField(_("每次延期扣分"), default=5)
    per_reopened = models.PositiveSmallIntegerField(_("每次重办扣分"), default=10)

    class Meta:
        verbose_name = _("单位评级权重")
        verbose_name_plural = _("单位评级权重")

    def __str__(self) -> str:
        return str(self.district)


class AnnualEvaluation(models.Model):
    """One score (0–100) and comment per evaluating street or community, per unit, per year; the evaluator
    changes it until the district closes the year."""

    evaluator_area = models.ForeignKey(Area, verbose_name=_("评议方"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("被评议单位"), on_delete=models.PROTECT,
                                     related_name="annual_evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.PositiveSmallIntegerField(_("得分"))
    comment = models.TextField(_("评议意见"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评议人"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("评议时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度评议")
        verbose_name_plural = _("年度评议")
        ordering = ["-year", "organization", "evaluator_area"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator_area", "organization", "year"], name="annual_evaluation_once"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="annual_evaluation_score_max"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_area} → {self.organization} {self.year}"


class RatingYear(models.Model):
    """A district's rating year once closed: evaluations no longer change and each unit's rating is kept."""

    district = models.ForeignKey(Area, verbose_name=_("区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    closed_at = models.DateTimeField(_("关闭时间"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), null=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("已关闭的评级年度")
        verbose_name_plural = _("已关闭的评级年度")
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="rating_year_once")]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"


class UnitRating(models.Model):
    """A unit's rating for one year as computed (with its derivation), kept when the year closes: the history."""

    organization = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT,
                                     related_name="ratings")
    path = PathField(_("路径"), max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1, null=True)
    grade = models.CharField(_("等次"), max_length=2, blank=True)
    derivation = models.JSONField(_("计算过程"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位年度评级")
        verbose_name_plural = _("单位年度评级")
        ordering = ["-year", "path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unit_rating_once")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.score}"

    @property
    def scope_path(self) -> str:
        return self.path
