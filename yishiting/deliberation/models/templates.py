"""Process templates (议事规则模板): a locality's rules as data, editable in the admin."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Cadence


class ProcessTemplate(models.Model):
    """A locality's rules for the whole loop: meetings (议), publicity (公), warnings (督) and evaluation (评).

    `chairs` maps an area level code to the roles that may chair a meeting on a topic of that level, e.g.
    {"district": ["district_official"], "street": ["street_official"], "community": ["community_secretary"]}.
    `required_parties` lists Party codes that must be present; `parties_block` says whether a missing party
    blocks the plan (True) or only warns. Quorum is a fraction of council members (参会的议事会成员).
    """

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    locality = models.CharField(_("地方"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    meeting_forms = models.JSONField(_("允许的会议形式"), default=list, blank=True)
    chairs = models.JSONField(_("各层级的主持人角色"), default=dict, blank=True)
    required_parties = models.JSONField(_("必须到场的各方"), default=list, blank=True)
    parties_block = models.BooleanField(_("缺方时阻止"), default=False,
                                        help_text=_("勾选：缺少必须到场的一方时不能发出会议通知；不勾选：只提醒"))
    min_size = models.PositiveSmallIntegerField(_("最少人数"), null=True, blank=True)
    max_size = models.PositiveSmallIntegerField(_("最多人数"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("法定人数（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定人数（分母）"), default=3)
    notice_days = models.PositiveSmallIntegerField(_("提前通知天数"), default=3)
    cadence = models.CharField(_("议事周期"), max_length=16, choices=Cadence.choices, default=Cadence.NONE)
    steps = models.JSONField(_("步骤名称"), default=list, blank=True)
    # The locality's step names mapped onto the eight canonical stages (handling.choices.Stage):
    # {"collect": ["中心户提议"], "decide": ["支部审议"], …}; a stage may carry several local steps or none.
    stage_names = models.JSONField(_("步骤与八个环节的对应"), default=dict, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示工作日"), default=5)
    # Which matters are major (重大事项) and need a legality review: {"categories": [...],
    # "owners_matters": [...] (Art. 278 matter types voted on), "keywords": [...]}; staff may also mark any.
    major_rule = models.JSONField(_("重大事项规则"), default=dict, blank=True)
    legal_review_level = models.CharField(_("合法性审核层级"), max_length=16, default="street",
                                          help_text=_("区域层级代码，如 street（街道）或 district（区）"))
    yellow_percent = models.PositiveSmallIntegerField(_("黄色预警（已用时限 %）"), default=80)
    escalate_after_days = models.PositiveSmallIntegerField(_("逾期几个工作日后提级督办"), default=3)
    evaluation_days = models.PositiveSmallIntegerField(_("评价期（工作日）"), default=10)
    # Weights of the three dimensions (percent, summing to 100): {"residents": 60, "parties": 20, "organization": 20}
    evaluation_weights = models.JSONField(_("评价维度与权重"), default=dict, blank=True)
    basic_weight = models.DecimalField(_("“基本满意”计入满意率的权重"), max_digits=3, decimal_places=2,
                                       default=Decimal("0.90"))
    reopen_threshold_percent = models.PositiveSmallIntegerField(_("不满意超过此比例（%）则重办"), default=30)
    reopen_min_ratings = models.PositiveSmallIntegerField(_("重办所需的最少有效评价数"), default=3)
    # The parties that rate each other (五方互评): [{"code": "owners_committee", "name": "业委会"}, …]
    mutual_parties = models.JSONField(_("互评各方"), default=list, blank=True)
    # Standing bodies (issue 20; deliberation/bodies.py): the body kind (bodies.BodyKind code) that deliberates at
    # each level, e.g. {"community": "party_mass_council", "estate": "estate_council", "building": "building_group"};
    # its members are invited by default and the quorum is counted from its membership.
    bodies = models.JSONField(_("各层级的议事组织"), default=dict, blank=True)
    # Kenli's 决策前置: [{"categories": ["物业管理"], "level": "estate"}] — a matter of those categories is first
    # deliberated by the body of that level before a resolution of a level above it is recorded.
    deliberate_first = models.JSONField(_("决策前置规则"), default=list, blank=True)
    # Where the locality's own step differs from the canonical stage, the rule it enforces (services.locality):
    # {"proposer_roles": ["central_household"], "present_organizations": {"forms": ["joint"], "kinds":
    # ["owners_committee"]}, "min_consultations": 3, "from_demands": true, "residents_round": {"min_opinions": 3}}.
    rules = models.JSONField(_("本地步骤规则"), default=dict, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    is_default = models.BooleanField(_("默认模板"), default=False,
                                     help_text=_("新议题默认使用的模板；只能有一个（设为默认时其他模板自动取消）"))

    class Meta:
        verbose_name = _("议事规则模板")
        verbose_name_plural = _("议事规则模板")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quorum_denominator__gt=0), name="template_quorum_den_positive"),
            models.CheckConstraint(condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                                   name="template_quorum_at_most_all"),
            models.CheckConstraint(condition=models.Q(publicity_days__gte=5), name="template_publicity_at_least_5"),
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="template_one_default"),
            models.CheckConstraint(condition=models.Q(yellow_percent__gte=1, yellow_percent__lte=99),
                                   name="template_yellow_percent_range"),
            models.CheckConstraint(condition=models.Q(basic_weight__gte=0, basic_weight__lte=1),
                                   name="template_basic_weight_range"),
        ]

    def __str__(self) -> str:
        return self.name
