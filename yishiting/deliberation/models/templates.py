"""Process templates (议事规则模板): a locality's rules as data, editable in the admin."""

from __future__ import annotations

from django.db import models

from ..choices import Cadence


class ProcessTemplate(models.Model):
    """What a locality requires of a meeting. The handling issue adds publicity, warnings and evaluation.

    `chairs` maps an area level code to the roles that may chair a meeting on a topic of that level, e.g.
    {"district": ["district_official"], "street": ["street_official"], "community": ["community_secretary"]}.
    `required_parties` lists Party codes that must be present; `parties_block` says whether a missing party
    blocks the plan (True) or only warns. Quorum is a fraction of council members (参会的议事会成员).
    """

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    locality = models.CharField("地方", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)
    meeting_forms = models.JSONField("允许的会议形式", default=list, blank=True)
    chairs = models.JSONField("各层级的主持人角色", default=dict, blank=True)
    required_parties = models.JSONField("必须到场的各方", default=list, blank=True)
    parties_block = models.BooleanField("缺方时阻止", default=False,
                                        help_text="勾选：缺少必须到场的一方时不能发出会议通知；不勾选：只提醒")
    min_size = models.PositiveSmallIntegerField("最少人数", null=True, blank=True)
    max_size = models.PositiveSmallIntegerField("最多人数", null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField("法定人数（分子）", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("法定人数（分母）", default=3)
    notice_days = models.PositiveSmallIntegerField("提前通知天数", default=3)
    cadence = models.CharField("议事周期", max_length=16, choices=Cadence.choices, default=Cadence.NONE)
    steps = models.JSONField("步骤名称", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "议事规则模板"
        verbose_name_plural = "议事规则模板"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quorum_denominator__gt=0), name="template_quorum_den_positive"),
            models.CheckConstraint(condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                                   name="template_quorum_at_most_all"),
        ]

    def __str__(self) -> str:
        return self.name
