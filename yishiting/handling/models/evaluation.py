"""Evaluation (评): residents' ratings, the five parties rating each other (五方互评) and the organisation's score
(组织考评), per round — a matter reopened for too much dissatisfaction (重办) is rated again in round 2."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Person

from ..choices import RoundStatus, Satisfaction
from .tasks import Task


class EvaluationRound(models.Model):
    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), on_delete=models.PROTECT,
                              related_name="evaluation_rounds")
    number = models.PositiveSmallIntegerField(_("轮次"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closes_on = models.DateField(_("截止日期"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The counted result (figures and how each was counted), kept when the round closes.
    result = models.JSONField(_("评价结果"), default=dict, blank=True)
    reopened = models.BooleanField(_("因不满意重办"), default=False)
    reopen_reason = models.TextField(_("重办理由"), blank=True)

    class Meta:
        verbose_name = _("评价轮次")
        verbose_name_plural = _("评价轮次")
        ordering = ["topic", "number"]
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="evaluation_round_once")]

    def __str__(self) -> str:
        return gettext("%(topic)s 第%(number)s轮评价") % {"topic": self.topic, "number": self.number}


class Rating(models.Model):
    """群众评价: one per person per round of a topic, or per person of a direct-handling task."""

    round = models.ForeignKey(EvaluationRound, verbose_name=_("评价轮次"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="ratings")
    task = models.ForeignKey(Task, verbose_name=_("任务"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="ratings")
    person = models.ForeignKey(Person, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("评价"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    is_reporter = models.BooleanField(_("诉求人"), default=False)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], condition=models.Q(round__isnull=False),
                                    name="rating_once_per_round"),
            models.UniqueConstraint(fields=["task", "person"], condition=models.Q(task__isnull=False),
                                    name="rating_once_per_task"),
            models.CheckConstraint(condition=models.Q(round__isnull=False) ^ models.Q(task__isnull=False),
                                   name="rating_one_subject"),
        ]

    def __str__(self) -> str:
        return self.get_value_display()


class PartyRating(models.Model):
    """五方互评: a representative of one party scores another party's part in the matter (0–100)."""

    round = models.ForeignKey(EvaluationRound, verbose_name=_("评价轮次"), on_delete=models.PROTECT,
                              related_name="party_ratings")
    rater = models.ForeignKey(Person, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    rater_party = models.CharField(_("评价方"), max_length=24)
    ratee_party = models.CharField(_("被评价方"), max_length=24)
    score = models.PositiveSmallIntegerField(_("得分"))
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("五方互评")
        verbose_name_plural = _("五方互评")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "rater_party", "ratee_party"], name="party_rating_once"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="party_rating_score_max"),
            models.CheckConstraint(condition=~models.Q(rater_party=models.F("ratee_party")),
                                   name="party_rating_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.rater_party}→{self.ratee_party} {self.score}"


class OrgAssessment(models.Model):
    """组织考评: the organisation (street or district) scores the matter once per round (0–100)."""

    round = models.OneToOneField(EvaluationRound, verbose_name=_("评价轮次"), on_delete=models.PROTECT,
                                 related_name="org_assessment")
    score = models.PositiveSmallIntegerField(_("得分"))
    comment = models.TextField(_("意见"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("考评人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("考评时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织考评")
        verbose_name_plural = _("组织考评")
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=100), name="org_assessment_score_max")]

    def __str__(self) -> str:
        return f"{self.round} {self.score}"
