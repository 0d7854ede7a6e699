"""Topics (议题), their attachments and the opinions residents give before the meeting (征求意见)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, PathField, Person
from yishiting.common.labels import QuickLabels

from ..choices import OpinionChannel, Stance, TopicSource, TopicStatus
from .templates import ProcessTemplate


class Topic(QuickLabels, models.Model):
    Status = TopicStatus

    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=TopicSource.choices, default=TopicSource.DEMANDS)
    level_area = models.ForeignKey(Area, verbose_name=_("层级区域"), on_delete=models.PROTECT, related_name="topics")
    path = PathField(_("路径"), max_length=255, editable=False)
    scope_area = models.ForeignKey(Area, verbose_name=_("涉及范围"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="scoped_topics", help_text=_("征求意见和业主表决的范围；空为层级区域"))
    scope_area_path = PathField(_("范围路径"), max_length=255, editable=False, default="")
    template = models.ForeignKey(ProcessTemplate, verbose_name=_("议事规则模板"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="topics")
    status = models.CharField(_("状态"), max_length=16, choices=TopicStatus.choices, default=TopicStatus.OPEN)
    proposer = models.ForeignKey(Person, verbose_name=_("提议人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    proposal_signed = models.BooleanField(_("书面提议已签名"), default=False)
    opinions_close_at = models.DateTimeField(_("征求意见截止"), null=True, blank=True)
    analysis = models.TextField(_("分析研判（可行性）"), blank=True)
    draft_plan = models.TextField(_("初步方案"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Kept by services.topics.topic_demand_add in the transaction that links the demand, checked by
    # `yishiting verify` (deliberation.topic_counters): the topic index shows it without a join and a
    # COUNT(DISTINCT) over every topic (issue 18).
    demand_count = models.PositiveIntegerField(_("关联诉求数"), default=0, editable=False)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["path", "status"], name="topic_path_status_idx"),
                   # the topic index, newest first, read a page at a time
                   models.Index(fields=["-created_at", "-id"], name="topic_newest_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        """Permission scope (common.rules): the topic's level."""
        return self.path

    @property
    def scope(self) -> Area:
        return self.scope_area or self.level_area

    @property
    def opinion_path(self) -> str:
        """Where the residents who may give opinions live: the scope area, else the level area."""
        return self.scope_area_path or self.path


class TopicAttachment(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to="topics/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议题附件")
        verbose_name_plural = _("议题附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Opinion(models.Model):
    """One resident's opinion and stance on a topic: one per person, changeable until the period closes."""

    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="opinions")
    person = models.ForeignKey(Person, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="opinions")
    stance = models.CharField(_("态度"), max_length=16, choices=Stance.choices)
    text = models.TextField(_("意见"), blank=True)
    channel = models.CharField(_("方式"), max_length=16, choices=OpinionChannel.choices, default=OpinionChannel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("居民意见")
        verbose_name_plural = _("居民意见")
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["topic", "person"], name="opinion_one_per_person")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_stance_display()}"
