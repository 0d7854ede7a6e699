"""Publicity (公示, 公): a notice assembled from a resolution, run for N working days; residents' objections,
each answered; the legality review (合法性审核) a major matter passes before handling starts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Person

from ..choices import NoticeStatus, ReviewStatus


class Notice(models.Model):
    Status = NoticeStatus

    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), on_delete=models.PROTECT,
                              related_name="notices")
    resolution = models.ForeignKey("deliberation.Resolution", verbose_name=_("决议"), on_delete=models.PROTECT,
                                   related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    decision = models.TextField(_("协商结果"))
    # The project plan (时间表、路线图、责任人): [{"when": "2026-12-01", "what": "…", "who": "…"}, …]
    plan = models.JSONField(_("项目计划"), default=list, blank=True)
    responsible = models.CharField(_("责任人"), max_length=200, blank=True)
    starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("公示工作日"), default=5)
    ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    calendar_warnings = models.JSONField(_("日历提示"), default=list, blank=True)
    is_major = models.BooleanField(_("重大事项"), default=False)
    major_reason = models.CharField(_("列为重大事项的依据"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(working_days__gte=1), name="notice_days_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.topic.path


class Objection(models.Model):
    """异议: a resident's objection during the window; the notice cannot complete until every one is answered."""

    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    person = models.ForeignKey(Person, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    substantial = models.BooleanField(_("实质性异议"), null=True, blank=True,
                                      help_text=_("是：退回协商；否：答复后公示照常进行"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class LegalReview(models.Model):
    """合法性审核 by the street or district, required of a major matter before its tasks start."""

    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), on_delete=models.PROTECT,
                              related_name="legal_reviews")
    notice = models.ForeignKey(Notice, verbose_name=_("公示"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="legal_reviews")
    reviewer_area = models.ForeignKey(Area, verbose_name=_("审核层级"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    opinion = models.TextField(_("审核意见"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提请人"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("提请时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合法性审核")
        verbose_name_plural = _("合法性审核")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic"], condition=models.Q(status="pending"),
                                    name="legal_review_one_pending_per_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_status_display()}"

    @property
    def scope_path(self) -> str:
        return self.reviewer_area.path
