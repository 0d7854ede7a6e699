"""Forms of the legal-services pages: a 云律团 question, an answer or follow-up, a rating, and the pool filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yishiting.areas.choices import ExpertLevel
from yishiting.common.forms import Form
from yishiting.legal.choices import Availability
from yishiting.legal.selectors import active_fields

from .demands import DomainErrorsMixin, PhotosField


class AskForm(DomainErrorsMixin, Form):
    field = forms.ModelChoiceField(label=gettext_lazy("问题属于哪一类"), queryset=active_fields(legal_only=True),
                                   empty_label=gettext_lazy("请选择"),
                                   error_messages={"required": gettext_lazy("请选择问题属于哪一类。")})
    title = forms.CharField(label=gettext_lazy("一句话说明问题（选填）"), max_length=100, required=False)
    text = forms.CharField(label=gettext_lazy("详细情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=gettext_lazy("律师解答时看得到您所在社区和脱敏后的姓名；其他居民看到的问答不显示提问人。"),
                           error_messages={"required": gettext_lazy("请写下您要咨询的问题。")})
    photos = PhotosField(label=gettext_lazy("照片（选填，最多 9 张，只有律师和社区工作人员可见）"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields(legal_only=True)


class ReplyForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": gettext_lazy("请填写内容。")})


class RateForm(DomainErrorsMixin, Form):
    stars = forms.TypedChoiceField(label=gettext_lazy("对解答的评价"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(5, gettext_lazy("5 星 非常满意")), (4, gettext_lazy("4 星 满意")),
                                            (3, gettext_lazy("3 星 一般")), (2, gettext_lazy("2 星 不满意")),
                                            (1, gettext_lazy("1 星 很不满意"))],
                                   error_messages={"required": gettext_lazy("请选择评价。")})
    comment = forms.CharField(label=gettext_lazy("说几句（选填）"), max_length=300, required=False)


class PoolFilter(Form):
    field = forms.ModelChoiceField(label=gettext_lazy("领域"), queryset=active_fields(), required=False,
                                   empty_label=gettext_lazy("全部领域"), to_field_name="code")
    level = forms.TypedChoiceField(label=gettext_lazy("级别"), coerce=int, required=False, empty_value=None,
                                   choices=[("", gettext_lazy("全部级别")), *ExpertLevel.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = active_fields()


class AvailabilityForm(DomainErrorsMixin, Form):
    """可约请 / 繁忙 until a date / 暂停服务; the date's own checks (not in the past) are the service's."""

    availability = forms.ChoiceField(label=gettext_lazy("状态"), choices=Availability.choices, widget=forms.RadioSelect,
                                     error_messages={"required": gettext_lazy("请选择状态。"),
                                                     "invalid_choice": gettext_lazy("状态不正确。")})
    busy_until = forms.DateField(label=gettext_lazy("繁忙至（含当日）"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("只在选择“繁忙”时填写，次日起自动恢复为可约请。"),
                                 error_messages={"invalid": gettext_lazy("请填写正确的日期。")})
