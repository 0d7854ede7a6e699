"""Supervision (督): the group per topic, the four kinds of supervision record, automatic warnings (one row per
task, level and deadline — so `yishiting tick` run twice, or killed and re-run, never doubles one) and the
public progress bulletin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Person

from ..choices import MemberRole, SupervisionKind, WarningLevel
from .tasks import Task


class SupervisionMember(models.Model):
    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), on_delete=models.CASCADE,
                              related_name="supervisors")
    person = models.ForeignKey(Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices)
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监督小组成员")
        verbose_name_plural = _("监督小组成员")
        ordering = ["role", "pk"]
        constraints = [models.UniqueConstraint(fields=["topic", "person"], name="supervision_member_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class SupervisionRecord(models.Model):
    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="supervision_records")
    task = models.ForeignKey(Task, verbose_name=_("任务"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="supervision_records")
    kind = models.CharField(_("类别"), max_length=16, choices=SupervisionKind.choices)
    text = models.TextField(_("记录"))
    supervisor = models.ForeignKey(Person, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["happened_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(topic__isnull=False) | models.Q(task__isnull=False),
                                   name="supervision_record_has_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class Warning(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField(_("级别"), max_length=16, choices=WarningLevel.choices)
    deadline = models.DateField(_("针对的期限"), help_text=_("延期后按新期限重新预警"))
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task", "level", "deadline"], name="warning_once")]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_level_display()}"


class Bulletin(models.Model):
    """进度通报: a public progress post on a topic."""

    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), on_delete=models.PROTECT,
                              related_name="bulletins")
    text = models.TextField(_("通报内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进度通报")
        verbose_name_plural = _("进度通报")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:30]
