"""Forms of the trust pages: income, an expense with its vouchers, a decision, a service record, a question and
its answer, a reversal, and the 业委会's quarterly disclosure."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin, PhotosField, date_input

from ..choices import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Category, LineKind

AMOUNT = {"label": gettext_lazy("金额（元）"), "max_digits": 14, "decimal_places": 2, "min_value": 0.01,
          "error_messages": {"required": gettext_lazy("请填写金额。")}}


def _choices(values) -> list[tuple[str, str]]:
    return [(v, Category(v).label) for v in values]


class IncomeForm(DomainErrorsMixin, Form):
    category = forms.ChoiceField(label=gettext_lazy("收入类别"), choices=())
    amount = forms.DecimalField(**AMOUNT)
    booked_on = forms.DateField(label=gettext_lazy("记账日期"), widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(label=gettext_lazy("摘要（选填）"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "income_%s")  # the desk shows three forms with like-named fields: ids of their own
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(INCOME_CATEGORIES)


class ExpenseForm(DomainErrorsMixin, Form):
    category = forms.ChoiceField(label=gettext_lazy("支出类别"), choices=())
    supplier = forms.CharField(label=gettext_lazy("收款方"), max_length=100,
                               error_messages={"required": gettext_lazy("请填写收款方。")})
    amount = forms.DecimalField(**AMOUNT)
    description = forms.CharField(label=gettext_lazy("用途"), max_length=300,
                                  error_messages={"required": gettext_lazy("请写明用途。")})
    photos = PhotosField(label=gettext_lazy("凭证扫描件（至少 1 张）"), required=False)
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "expense_%s")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(EXPENSE_CATEGORIES)


class NoteForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=gettext_lazy("意见（选填）"), max_length=300, required=False)


class RefuseForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("拒绝理由"), max_length=300,
                             error_messages={"required": gettext_lazy("请写明拒绝理由。")})


class ServiceForm(DomainErrorsMixin, Form):
    what = forms.CharField(label=gettext_lazy("服务内容"), max_length=100,
                           error_messages={"required": gettext_lazy("请填写服务内容。")})
    done_on = forms.DateField(label=gettext_lazy("服务日期"), widget=date_input(), initial=timezone.localdate)
    description = forms.CharField(label=gettext_lazy("服务情况（选填）"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    expense = forms.ModelChoiceField(label=gettext_lazy("对应支出（选填）"), queryset=None, required=False,
                                     empty_label=gettext_lazy("不关联支出"))

    def __init__(self, *args, expenses=None, **kwargs) -> None:
        kwargs.setdefault("auto_id", "service_%s")
        super().__init__(*args, **kwargs)
        self.fields["expense"].queryset = expenses


class QuestionForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("您的问题"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": gettext_lazy("请写下您的问题。")})


class AnswerForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("答复"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": gettext_lazy("请写下答复。")})


class ReverseForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("冲正原因"), max_length=200,
                             error_messages={"required": gettext_lazy("请写明冲正原因。")})


QUARTERS = [(1, gettext_lazy("第一季度")), (2, gettext_lazy("第二季度")), (3, gettext_lazy("第三季度")),
            (4, gettext_lazy("第四季度"))]


class DisclosureForm(DomainErrorsMixin, Form):
    estate = forms.ModelChoiceField(label=gettext_lazy("小区"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=pgettext_lazy("trust disclosure", "季度"), coerce=int, choices=QUARTERS)
    note = forms.CharField(label=gettext_lazy("说明（选填）"), max_length=500, required=False)

    def __init__(self, *args, estates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = estates


class LineForm(DomainErrorsMixin, Form):
    kind = forms.ChoiceField(label=gettext_lazy("收支"), choices=LineKind.choices)
    item = forms.CharField(label=gettext_lazy("项目"), max_length=100,
                           error_messages={"required": gettext_lazy("请填写项目。")})
    amount = forms.DecimalField(**AMOUNT)
    description = forms.CharField(label=gettext_lazy("说明（选填）"), max_length=300, required=False)
