"""Self-registration and household claims: the name and mobile, the household and relation, a rejection."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.choices import ClaimRelation
from yishiting.areas.models import Household
from yishiting.common.forms import Form

from .demands import DomainErrorsMixin


class RegisterSendForm(DomainErrorsMixin, Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
                           help_text=gettext_lazy("请填写真实姓名，社区核对住户时使用；其他居民只能看到您的姓氏。"))
    mobile = forms.CharField(label=gettext_lazy("手机号"), max_length=20,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        return f"{obj.unit.name} {obj.number}"


class ClaimForm(DomainErrorsMixin, Form):
    """The household (one building's, grouped by unit) and how the person is related to it."""

    household = HouseholdChoiceField(label=gettext_lazy("单元和房号"), queryset=Household.objects.none(), empty_label=gettext_lazy("请选择"),
                                     error_messages={"required": gettext_lazy("请选择您住的单元和房号。"),
                                                     "invalid_choice": gettext_lazy("请在列表中选择单元和房号。")})
    relation = forms.ChoiceField(label=gettext_lazy("您与该户的关系"), choices=ClaimRelation.choices, widget=forms.RadioSelect,
                                 error_messages={"required": gettext_lazy("请选择您与该户的关系。")})

    def __init__(self, *args, households=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        field.queryset = households if households is not None else Household.objects.none()
        rows = list(field.queryset)
        field.choices = [("", gettext("请选择"))] + [
            (unit.name, [(h.pk, f"{unit.name} {h.number}") for h in group])
            for unit, group in groupby(rows, key=lambda h: h.unit)]


class RejectForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("未通过原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：经入户核实，该户无此租户")}),
                             error_messages={"required": gettext_lazy("请填写未通过的原因，申报人会看到。")})
