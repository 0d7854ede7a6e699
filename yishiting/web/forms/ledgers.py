"""Forms of the points, 积分超市 and 时间银行 pages: a transfer to family, a pickup code, a staff award,
correction or withdrawal (the person found with the people picker in the staff's scope), a restock."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.models import Person
from yishiting.common.forms import Form

from .demands import DomainErrorsMixin
from .pickers import PersonPickField


class TransferForm(DomainErrorsMixin, Form):
    to = forms.TypedChoiceField(label=gettext_lazy("转给"), coerce=int, choices=[],
                                error_messages={"required": gettext_lazy("请选择家人。")})
    hours = forms.DecimalField(label=gettext_lazy("时长（小时）"), min_value=Decimal("0.5"), max_digits=6,
                               decimal_places=1, error_messages={"required": gettext_lazy("请填写时长。")})
    note = forms.CharField(label=gettext_lazy("附言（选填）"), max_length=100, required=False)

    def __init__(self, *args, family=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(p.pk, str(p)) for p in family]


class CodeForm(DomainErrorsMixin, Form):
    code = forms.CharField(label=gettext_lazy("领取码"), max_length=8, min_length=8,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                           error_messages={"required": gettext_lazy("请输入居民出示的 8 位领取码。")})


class PersonForm(DomainErrorsMixin, Form):
    """The resident found with the people picker: a name (masked unless the staff may unmask), the whole mobile
    or the room — the same search as every picker (areas.pickers), never a select of thousands."""

    person = PersonPickField("ledger_person", label=gettext_lazy("居民"), queryset=Person.objects.none(),
                             hint=gettext_lazy("输入姓名、手机号或房号查找"),
                             error_messages={"required": gettext_lazy("请查找并选择居民。"),
                                             "invalid_choice": gettext_lazy("请查找并选择您负责区域内的居民。")})
    reason = forms.CharField(label=gettext_lazy("事由"), max_length=200,
                             error_messages={"required": gettext_lazy("请填写事由。")})


class AwardForm(PersonForm):
    rule = forms.TypedChoiceField(label=gettext_lazy("奖励规则"), coerce=int, choices=[],
                                  error_messages={"required": gettext_lazy("请选择规则。")})
    field_order = ["person", "rule", "reason"]

    def __init__(self, *args, rules=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(r.pk, gettext("%(name)s（%(points)s 分）") % {"name": r.name, "points": r.points})
                                      for r in rules]


class CorrectForm(PersonForm):
    points = forms.IntegerField(label=gettext_lazy("更正积分（可为负）"), min_value=-100000, max_value=100000,
                                error_messages={"required": gettext_lazy("请填写积分。")})
    field_order = ["person", "points", "reason"]
    id_prefix = "correct"


class WithdrawForm(PersonForm):
    hours = forms.DecimalField(label=gettext_lazy("支取时长（小时）"), min_value=Decimal("0.5"), max_digits=6,
                               decimal_places=1, error_messages={"required": gettext_lazy("请填写时长。")})
    field_order = ["person", "hours", "reason"]
    id_prefix = "withdraw"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = gettext_lazy("享受的服务")


class RestockForm(DomainErrorsMixin, Form):
    add = forms.IntegerField(label=gettext_lazy("增加库存（减少填负数）"), min_value=-10000, max_value=10000,
                             error_messages={"required": gettext_lazy("请填写数量。")})
