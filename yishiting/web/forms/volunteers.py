"""Forms of the volunteering pages: publish an activity, check out with hours and a rating, correct hours, claim a
post for a period, log and confirm a shift. Checks beyond the field types are the services' (DomainError)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Person
from yishiting.common.forms import Form
from yishiting.volunteers.models import Team

from .demands import DomainErrorsMixin
from .pickers import PersonPickField

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STARS = [(5, _("5 星 非常好")), (4, _("4 星 好")), (3, _("3 星 一般")), (2, _("2 星 较差")), (1, _("1 星 很差"))]


class ActivityForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages={"required": _("请填写活动名称。")})
    team = forms.ModelChoiceField(label=_("服务队（选填）"), queryset=Team.objects.none(), required=False,
                                  empty_label="—")
    place = forms.CharField(label=_("地点"), max_length=100, error_messages={"required": _("请填写地点。")})
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"],
                                    error_messages={"required": _("请填写开始时间。"), "invalid": _("时间格式不正确。")})
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"],
                                  error_messages={"required": _("请填写结束时间。"), "invalid": _("时间格式不正确。")})
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=2000,
                                  error_messages={"required": _("请填写名额。"), "min_value": _("名额至少为 1。")})
    description = forms.CharField(label=_("活动内容（选填）"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    served = PersonPickField("served", label=_("服务对象（上门服务时选填，由其评价后确认时长）"), required=False,
                             queryset=Person.objects.none(), hint=_("输入姓名、手机号或房号查找"))

    def __init__(self, *args, teams=None, served=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        if served is None:  # only staff pick whom a home visit serves
            del self.fields["served"]
        else:
            self.fields["served"].configure(served)


class RateForm(DomainErrorsMixin, Form):
    rating = forms.TypedChoiceField(label=_("服务评价"), coerce=int, choices=STARS, initial=5,
                                    error_messages={"required": _("请选择评价。")})


class CheckOutForm(DomainErrorsMixin, Form):
    rating = forms.TypedChoiceField(label=_("服务评价"), coerce=int, choices=STARS, initial=5, required=False,
                                    empty_value=None)
    hours = forms.DecimalField(label=_("服务时长（小时，留空按签到签退时间计算）"), required=False, min_value=0,
                               max_value=24, decimal_places=1,
                               error_messages={"invalid": _("服务时长应为 0 到 24 之间的数字。")})
    reason = forms.CharField(label=_("时长调整原因（修改时长时必填）"), max_length=200, required=False)


class AdjustForm(DomainErrorsMixin, Form):
    hours = forms.DecimalField(label=_("服务时长（小时）"), min_value=0, max_value=24, decimal_places=1,
                               error_messages={"required": _("请填写服务时长。"),
                                               "invalid": _("服务时长应为 0 到 24 之间的数字。")})
    reason = forms.CharField(label=_("修改原因"), max_length=200, error_messages={"required": _("请填写修改原因。")})


class ClaimForm(DomainErrorsMixin, Form):
    starts_on = forms.DateField(label=_("认领起始日"), widget=DATE, input_formats=["%Y-%m-%d"],
                                error_messages={"required": _("请填写起始日。"), "invalid": _("日期格式不正确。")})
    ends_on = forms.DateField(label=_("认领截止日"), widget=DATE, input_formats=["%Y-%m-%d"],
                              error_messages={"required": _("请填写截止日。"), "invalid": _("日期格式不正确。")})


class ShiftForm(DomainErrorsMixin, Form):
    day = forms.DateField(label=_("服务日期"), widget=DATE, input_formats=["%Y-%m-%d"],
                          error_messages={"required": _("请填写服务日期。"), "invalid": _("日期格式不正确。")})
    hours = forms.DecimalField(label=_("服务时长（小时）"), min_value=0.1, max_value=24, decimal_places=1,
                               error_messages={"required": _("请填写服务时长。"),
                                               "invalid": _("服务时长应为 0 到 24 之间的数字。")})
    note = forms.CharField(label=_("服务内容（选填）"), max_length=200, required=False)


class ConfirmShiftForm(DomainErrorsMixin, Form):
    rating = forms.TypedChoiceField(label=_("服务评价"), coerce=int, choices=STARS, initial=5,
                                    error_messages={"required": _("请选择评价。")})
    reason = forms.CharField(label=_("不予确认的原因（不予确认时必填）"), max_length=200, required=False)
