"""Forms of the 吹哨·应哨 pages: blowing a whistle on the phone (what, where or which demand, which units — picked
by typing, never from a list of hundreds — and how many working days), a unit's answer, closing and withdrawing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yishiting.common.forms import Form
from yishiting.whistles.choices import WhistleStatus

from .demands import DomainErrorsMixin, PhotosField
from .pickers import OrganizationPickField

DAY_CHOICES = [(1, gettext_lazy("1 个工作日")), (2, gettext_lazy("2 个工作日")), (3, gettext_lazy("3 个工作日")),
               (5, gettext_lazy("5 个工作日")), (10, gettext_lazy("10 个工作日"))]
UNIT_HINT = gettext_lazy("输入单位名称或类别（如 物业、派出所、城管），本区的单位排在前面。")


class BlowForm(DomainErrorsMixin, Form):
    field_aliases = {"units": "unit_1"}

    text = forms.CharField(label=gettext_lazy("需要哪些单位解决什么"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("请写明需要协调解决的问题。")})
    demand = forms.CharField(label=gettext_lazy("诉求编号（选填）"), max_length=20, required=False,
                             help_text=gettext_lazy("已登记的诉求填编号；不填则按本次吹哨登记一条诉求（渠道：吹哨）。"))
    area = forms.ModelChoiceField(label=gettext_lazy("发生地"), queryset=None, required=False,
                                  empty_label=gettext_lazy("（按诉求的发生地）"))
    unit_1 = OrganizationPickField("whistle_unit", label=gettext_lazy("应哨单位"), hint=UNIT_HINT, queryset=None,
                                   error_messages={"required": gettext_lazy("请至少选择一个应哨单位。")})
    unit_2 = OrganizationPickField("whistle_unit", label=gettext_lazy("应哨单位二（选填）"), hint=UNIT_HINT,
                                   queryset=None, required=False)
    unit_3 = OrganizationPickField("whistle_unit", label=gettext_lazy("应哨单位三（选填）"), hint=UNIT_HINT,
                                   queryset=None, required=False)
    days = forms.TypedChoiceField(label=gettext_lazy("应哨期限"), choices=DAY_CHOICES, coerce=int, initial=3,
                                  help_text=gettext_lazy("按工作日计算，节假日顺延。"))

    def __init__(self, *args, areas=None, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        for name in ("unit_1", "unit_2", "unit_3"):
            self.fields[name].configure(units)

    def units(self) -> list:
        return [u for u in (self.cleaned_data.get(n) for n in ("unit_1", "unit_2", "unit_3")) if u is not None]


class AddUnitForm(DomainErrorsMixin, Form):
    """增加应哨单位 on an open whistle: one unit, with its own deadline."""

    unit = OrganizationPickField("whistle_unit", label=gettext_lazy("增加的应哨单位"), hint=UNIT_HINT, queryset=None,
                                 error_messages={"required": gettext_lazy("请选择要增加的应哨单位。")})
    days = forms.TypedChoiceField(label=gettext_lazy("该单位的应哨期限"), choices=DAY_CHOICES, coerce=int, initial=3,
                                  help_text=gettext_lazy("从今天起按工作日计算，节假日顺延。"))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].configure(units)


class RespondForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=gettext_lazy("处置情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("本单位到场或受理后做了什么、结果如何。"),
                           error_messages={"required": gettext_lazy("请填写处置情况。")})
    photos = PhotosField(label=gettext_lazy("现场照片（选填）"), required=False)


class SummaryForm(DomainErrorsMixin, Form):
    summary = forms.CharField(label=gettext_lazy("办结情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": gettext_lazy("请填写办结情况。")})


class CancelForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("撤回原因"), max_length=300,
                             error_messages={"required": gettext_lazy("请填写撤回原因。")})


class ListFilter(Form):
    q = forms.CharField(label=gettext_lazy("搜索"), max_length=50, required=False)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部")), *WhistleStatus.choices])
    late = forms.BooleanField(label=gettext_lazy("只看有超期单位的"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("只看我吹的哨"), required=False)
