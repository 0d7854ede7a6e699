"""Forms of deliberation pages: a resident's opinion and stance, a worker's door-to-door entry, the analysis,
and a proposed topic."""

from __future__ import annotations

from django import forms

from yishiting.areas.models import Area, Person
from yishiting.common.masking import mask_name
from yishiting.deliberation.choices import Stance
from yishiting.deliberation.models import ProcessTemplate

from .demands import AreaChoiceField, DomainErrorsMixin

MAX_PERSON_OPTIONS = 300

STANCE_CHOICES = [(Stance.SUPPORT, "支持"), (Stance.OPPOSE, "反对"), (Stance.OTHER, "其他意见")]


class OpinionForm(DomainErrorsMixin, forms.Form):
    stance = forms.ChoiceField(label="您的态度", choices=STANCE_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "请选择支持、反对或其他意见。"})
    text = forms.CharField(label="意见和建议（选填；选“其他意见”时必填）", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                           error_messages={"max_length": "意见不能超过 1000 字。"})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        where = obj.household if obj.household_id else (obj.area.name if obj.area_id else "")
        return f"{mask_name(obj.name)} · {where}"

    def limit(self, queryset) -> None:
        """Validate against the whole `queryset`, but list only its first MAX_PERSON_OPTIONS on the page."""
        self.queryset = queryset
        shown = [(p.pk, self.label_from_instance(p)) for p in queryset.select_related("household__unit", "area")[:MAX_PERSON_OPTIONS]]
        self.choices = [("", self.empty_label or "—"), *shown]


class DoorOpinionForm(OpinionForm):
    field_order = ["person", "stance", "text"]
    person = PersonChoiceField(label="入户征求的居民", queryset=Person.objects.none(),
                               error_messages={"required": "请选择居民。", "invalid_choice": "请选择议题范围内的居民。"})

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "door-%s", **kwargs})  # beside the resident's own opinion form
        self.fields["person"].limit(people if people is not None else Person.objects.none())


class AnalysisForm(DomainErrorsMixin, forms.Form):
    analysis = forms.CharField(label="分析研判（性质、内容、影响、范围和可行性）", max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": "请填写分析研判意见。"})
    draft_plan = forms.CharField(label="初步方案", required=False, max_length=10000,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class TopicProposeForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label="议题", max_length=200, error_messages={"required": "请填写议题标题。"})
    description = forms.CharField(label="说明", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    level_area = AreaChoiceField(label="议题层级（谁来议）", queryset=Area.objects.none(), empty_label=None)
    scope_area = AreaChoiceField(label="涉及范围（征求意见和业主表决的范围）", queryset=Area.objects.none(),
                                 required=False, empty_label="与层级相同")
    template = forms.ModelChoiceField(label="议事规则模板", queryset=ProcessTemplate.objects.filter(is_active=True),
                                      empty_label=None)
    proposer = PersonChoiceField(label="提议人（选填，如中心户、议事会成员）", queryset=Person.objects.none(),
                                 required=False)
    proposal_signed = forms.BooleanField(label="代他人登记：已收到本人签名的书面提议", required=False)
    field_aliases = {"scope_area": "scope_area", "proposal_signed": "proposal_signed"}

    def __init__(self, *args, areas=None, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("level_area", "scope_area"):
            self.fields[name].queryset = areas if areas is not None else Area.objects.none()
        self.fields["proposer"].limit(people if people is not None else Person.objects.none())
