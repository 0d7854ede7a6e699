"""Forms of deliberation pages: a resident's opinion and stance, a worker's door-to-door entry, the analysis,
and a proposed topic."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Person
from yishiting.common.forms import Form
from yishiting.deliberation.choices import Stance

from .demands import AreaChoiceField, DomainErrorsMixin
from .pickers import PersonPickField

STANCE_CHOICES = [(Stance.SUPPORT, _("支持")), (Stance.OPPOSE, _("反对")), (Stance.OTHER, _("其他意见"))]


class OpinionForm(DomainErrorsMixin, Form):
    stance = forms.ChoiceField(label=_("您的态度"), choices=STANCE_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择支持、反对或其他意见。")})
    text = forms.CharField(label=_("意见和建议（选填；选“其他意见”时必填）"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                           error_messages={"max_length": _("意见不能超过 1000 字。")})


class DoorOpinionForm(OpinionForm):
    field_order = ["person", "stance", "text"]
    person = PersonPickField("door", label=_("入户征求的居民"), queryset=Person.objects.none(),
                             hint=_("输入完整姓名、手机号、楼栋单元（如 3栋1单元）；只列出议题范围内的居民。"),
                             error_messages={"required": _("请查找并选择居民。"), "invalid_choice": _("请选择议题范围内的居民。")})

    def __init__(self, *args, people=None, topic=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "door-%s", **kwargs})  # beside the resident's own opinion form
        self.fields["person"].configure(people if people is not None else Person.objects.none(),
                                        topic=topic.pk if topic is not None else None)


class AnalysisForm(DomainErrorsMixin, Form):
    analysis = forms.CharField(label=_("分析研判（性质、内容、影响、范围和可行性）"), max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": _("请填写分析研判意见。")})
    draft_plan = forms.CharField(label=_("初步方案"), required=False, max_length=10000,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class TopicProposeForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("议题"), max_length=200, error_messages={"required": _("请填写议题标题。")})
    description = forms.CharField(label=_("说明"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    level_area = AreaChoiceField(label=_("议题层级（谁来议）"), queryset=Area.objects.none(), empty_label=None)
    scope_area = AreaChoiceField(label=_("涉及范围（征求意见和业主表决的范围）"), queryset=Area.objects.none(),
                                 required=False, empty_label=_("与层级相同"))
    proposer = PersonPickField("proposer", label=_("提议人（选填，如中心户、议事会成员）"), queryset=Person.objects.none(),
                               required=False, error_messages={"invalid_choice": _("所选人员不在您的查看范围内。")})
    proposal_signed = forms.BooleanField(label=_("代他人登记：已收到本人签名的书面提议"), required=False)
    field_aliases = {"scope_area": "scope_area", "proposal_signed": "proposal_signed"}

    def __init__(self, *args, areas=None, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("level_area", "scope_area"):
            self.fields[name].queryset = areas if areas is not None else Area.objects.none()
        self.fields["proposer"].configure(people if people is not None else Person.objects.none())
