"""Forms of the 举一反三 pages: the period, area, category and spread filters, and the confirmation of raising a
cluster as one 类案 topic. They only parse; who may and what is refused is in yishiting.oversight."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.forms import Form
from yishiting.demands.models import Category
from yishiting.oversight.clusters import period_of

from .demands import DomainErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"})


class _AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class PeriodFilterForm(Form):
    """Area and period (at most a year), valid with nothing filled in: the user's top area, the last 90 days."""

    area = _AreaChoice(label=_("区域"), required=False, queryset=Area.objects.none(), empty_label=None)
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()

    def clean(self):
        data = super().clean()
        try:
            data["period"] = period_of(data.get("start"), data.get("end"))
        except DomainError as exc:
            self.add_error(exc.details["field"], exc.message)
        if not data.get("area"):
            data["area"] = self.fields["area"].queryset.first()
        return data


class ClusterFilterForm(PeriodFilterForm):
    category = forms.ModelChoiceField(label=_("类别"), required=False, queryset=Category.objects.none(),
                                      empty_label=_("全部"))
    min_communities = forms.IntegerField(label=_("至少涉及社区数"), required=False, min_value=1, max_value=1000,
                                         error_messages={"min_value": _("社区数至少为 1。"),
                                                         "max_value": _("社区数不能超过 1000。")})

    def __init__(self, *args, categories=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()


class RaiseForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("类案议题标题"), required=False, max_length=200,
                            help_text=_("留空则用“类案：类别 · 问题”"))
    confirm = forms.BooleanField(label=_("确认将上列尚未筛选的诉求并入这一个类案议题，诉求人将随议题跟进到底"),
                                 error_messages={"required": _("请勾选确认后再发起类案。")})
