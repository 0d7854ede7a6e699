"""Forms of the 幸福食堂 pages: an order (for oneself, or by staff for an elderly person by ID number), the
confirmation with a rating, a courier to assign, an eligibility registration, and the ledger's month."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person
from yishiting.areas.validation import clean_id_number
from yishiting.canteens.choices import REGISTERED, Eligibility, Fulfilment
from yishiting.common.errors import DomainError
from yishiting.common.forms import Form

from .demands import DomainErrorsMixin
from .pickers import PersonPickField

STARS = [(5, gettext_lazy("5 星 非常满意")), (4, gettext_lazy("4 星 满意")), (3, gettext_lazy("3 星 一般")),
         (2, gettext_lazy("2 星 不满意")), (1, gettext_lazy("1 星 很不满意"))]


def _id_number(value: str) -> str:
    try:
        return clean_id_number(value) or ""
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from None


class OrderForm(DomainErrorsMixin, Form):
    fulfilment = forms.ChoiceField(label=gettext_lazy("用餐方式"), choices=Fulfilment.choices, widget=forms.RadioSelect,
                                   initial=Fulfilment.EAT_IN, error_messages={"required": gettext_lazy("请选择用餐方式。")})
    address = forms.CharField(label=gettext_lazy("送餐地址（送餐上门时填写）"), max_length=200, required=False,
                              help_text=gettext_lazy("只有食堂工作人员和接单的送餐志愿者看得到"))
    note = forms.CharField(label=gettext_lazy("备注（选填）"), max_length=200, required=False,
                           help_text=gettext_lazy("如：少盐、软烂一些"))


class OrderForForm(OrderForm):
    """Staff ordering for an elderly person or a child: who, found with the people picker (name, mobile or room;
    never a select of thousands) or by their ID number (the discount is read from the person's record)."""

    diner = PersonPickField("diner", label=gettext_lazy("用餐人（为自己点餐可不选）"), required=False,
                            queryset=Person.objects.none(), hint=gettext_lazy("输入姓名、手机号或房号查找"))
    diner_id_number = forms.CharField(label=gettext_lazy("或填写用餐人身份证号"), max_length=18, required=False)
    field_order = ["diner", "diner_id_number", "fulfilment", "address", "note"]

    def clean_diner_id_number(self) -> str:
        return _id_number(self.cleaned_data["diner_id_number"])


class ConfirmForm(DomainErrorsMixin, Form):
    rating = forms.TypedChoiceField(label=gettext_lazy("给送餐志愿者评价（选填）"), coerce=int, required=False,
                                    empty_value=None, widget=forms.RadioSelect, choices=STARS)
    comment = forms.CharField(label=gettext_lazy("说几句（选填）"), max_length=200, required=False)


class ComplainForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("遇到的问题"), max_length=200,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=gettext_lazy("如：没有收到、饭菜凉了、送错了；反映后不会自动确认，食堂会联系您"),
                           error_messages={"required": gettext_lazy("请写下遇到的问题。")})
    id_prefix = "complain"


class AssignForm(DomainErrorsMixin, Form):
    courier = forms.TypedChoiceField(label=gettext_lazy("送餐志愿者"), coerce=int, choices=[],
                                     error_messages={"required": gettext_lazy("请选择送餐志愿者。")})

    def __init__(self, *args, couriers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courier"].choices = [("", gettext_lazy("请选择")), *[(p.pk, p.name) for p in couriers]]


class RegistrationForm(DomainErrorsMixin, Form):
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=18,
                                error_messages={"required": gettext_lazy("请填写身份证号。")})
    eligibility = forms.ChoiceField(label=gettext_lazy("身份类别"), choices=[(e.value, e.label) for e in REGISTERED],
                                    error_messages={"required": gettext_lazy("请选择身份类别。")})
    note = forms.CharField(label=gettext_lazy("依据（选填）"), max_length=200, required=False,
                           help_text=gettext_lazy("如：低保证号、残疾证号、走访记录"))
    valid_until = forms.DateField(label=gettext_lazy("有效期至（选填）"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    field_aliases = {"person": "id_number"}

    def clean_id_number(self) -> str:
        return _id_number(self.cleaned_data["id_number"])


class MonthForm(Form):
    month = forms.DateField(label=gettext_lazy("月份"), input_formats=["%Y-%m"], required=False,
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))

    def month_or_current(self) -> date:
        picked = self.cleaned_data.get("month") if self.is_valid() else None
        return (picked or timezone.localdate()).replace(day=1)


class DayForm(Form):
    date = forms.DateField(label=gettext_lazy("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def day_or_today(self) -> date:
        return (self.cleaned_data.get("date") if self.is_valid() else None) or timezone.localdate()


ELIGIBILITY_LABELS = dict(Eligibility.choices)
