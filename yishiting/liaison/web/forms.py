"""Forms of the liaison pages: a 挂点 link, a deputy's contact record (on the phone), a matter, and the filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin

from ..choices import ContactMethod, DeputyKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinkForm(DomainErrorsMixin, Form):
    leader = forms.ModelChoiceField(label=gettext_lazy("挂点领导"), queryset=None,
                                    error_messages={"required": gettext_lazy("请选择挂点领导。"),
                                                    "invalid_choice": gettext_lazy("请选择挂点领导。")})
    community = forms.ModelChoiceField(label=gettext_lazy("联系社区"), queryset=None,
                                       error_messages={"required": gettext_lazy("请选择联系社区。"),
                                                       "invalid_choice": gettext_lazy("请选择联系社区。")})
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE, initial=timezone.localdate,
                                error_messages={"required": gettext_lazy("请填写开始日期。"),
                                                "invalid": gettext_lazy("日期格式不正确。")})
    ends_on = forms.DateField(label=gettext_lazy("结束日期（选填）"), widget=DATE, required=False,
                              help_text=gettext_lazy("不填表示长期挂点"),
                              error_messages={"invalid": gettext_lazy("日期格式不正确。")})
    note = forms.CharField(label=gettext_lazy("备注（选填）"), max_length=200, required=False)

    def __init__(self, *args, leaders=None, communities=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        # Leaders act in office: named in full, as public records name officials (docs/masking.md).
        self.fields["leader"].label_from_instance = lambda person: person.name
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda area: area.name


class RecordForm(DomainErrorsMixin, Form):
    area = forms.ModelChoiceField(label=gettext_lazy("地点所在社区、小区"), queryset=None,
                                  error_messages={"required": gettext_lazy("请选择地点所在区域。"),
                                                  "invalid_choice": gettext_lazy("请选择地点所在区域。")})
    held_on = forms.DateField(label=gettext_lazy("日期"), widget=DATE, initial=timezone.localdate,
                              error_messages={"required": gettext_lazy("请填写日期。"),
                                              "invalid": gettext_lazy("日期格式不正确。")})
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100,
                            error_messages={"required": gettext_lazy("请填写地点。")})
    method = forms.ChoiceField(label=gettext_lazy("方式"), choices=ContactMethod.choices, widget=forms.RadioSelect,
                               initial=ContactMethod.RECEPTION,
                               error_messages={"required": gettext_lazy("请选择联系方式。")})
    deputy_kind = forms.ChoiceField(label=gettext_lazy("代表类别"), choices=DeputyKind.choices,
                                    error_messages={"required": gettext_lazy("请选择代表类别。")})
    people_count = forms.IntegerField(label=gettext_lazy("联系群众人数"), min_value=1, max_value=10000,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                      error_messages={"required": gettext_lazy("请填写联系群众人数。"),
                                                      "invalid": gettext_lazy("请填写整数。"),
                                                      "min_value": gettext_lazy("至少 1 人。"),
                                                      "max_value": gettext_lazy("人数过大，请核对。")})
    mobiles = forms.CharField(label=gettext_lazy("联系的居民手机号（选填）"), required=False, max_length=600,
                              widget=forms.Textarea(attrs={"rows": 2, "inputmode": "tel"}),
                              help_text=gettext_lazy("每行一个；本社区登记过的居民会关联到这条记录"))
    summary = forms.CharField(label=gettext_lazy("群众反映情况（选填）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    matters = forms.CharField(label=gettext_lazy("反映的事项（选填）"), required=False, max_length=6000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("每行一个事项；保存后可逐项一键转为诉求"))

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def matter_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("matters", "").splitlines() if line.strip()]

    def mobile_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("mobiles", "").splitlines() if line.strip()]


class MatterForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("再记一个事项"), max_length=500,
                           error_messages={"required": gettext_lazy("请填写事项内容。")})


class RecordFilterForm(Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("代表、地点、事项")}))
    method = forms.ChoiceField(label=gettext_lazy("方式"), required=False,
                               choices=[("", gettext_lazy("全部"))] + ContactMethod.choices)
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=2000, max_value=2100)


class LinkFilterForm(Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("领导或社区名称")}))
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                              choices=[("", gettext_lazy("全部")), ("current", gettext_lazy("在挂点期内")),
                                       ("ended", gettext_lazy("已结束或未开始"))])
