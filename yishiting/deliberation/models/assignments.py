"""Which process template an area runs (模板按区域适用), and the household consultations some templates require
before the meeting (走访征求意见, 幸福圆桌会)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Household, Person

from .templates import ProcessTemplate
from .topics import Topic


class TemplateAssignment(models.Model):
    """An area runs this template, and so does everything under it unless a nearer area has its own
    (selectors.templates.template_for_area). Changed only through services.assignments (events)."""

    area = models.OneToOneField(Area, verbose_name=_("区域"), on_delete=models.CASCADE,
                                related_name="template_assignment")
    template = models.ForeignKey(ProcessTemplate, verbose_name=_("议事规则模板"), on_delete=models.PROTECT,
                                 related_name="assignments")
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("模板适用区域")
        verbose_name_plural = _("模板适用区域")
        ordering = ["area__path"]

    def __str__(self) -> str:
        return f"{self.area} · {self.template}"

    @property
    def scope_path(self) -> str:
        return self.area.path


class Consultation(models.Model):
    """One household visited before the meeting (走访征求意见): who went, when, and what the household said."""

    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="consultations")
    household = models.ForeignKey(Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("走访日期"))
    said = models.TextField(_("住户意见"))
    visitor = models.ForeignKey(Person, verbose_name=_("走访人"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访征求意见")
        verbose_name_plural = _("走访征求意见")
        ordering = ["-visited_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["topic", "household"], name="consultation_once_per_household")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.household}"

    @property
    def scope_path(self) -> str:
        return self.topic.path
