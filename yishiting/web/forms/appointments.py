"""Forms of the 事务预约 pages: a booking's note, the desk's check-in code and its day/service filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yishiting.common.forms import Form

from .demands import DomainErrorsMixin


class BookForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=gettext_lazy("要办理什么（选填）"), max_length=200, required=False)


class CodeForm(DomainErrorsMixin, Form):
    code = forms.RegexField(label=gettext_lazy("签到码"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"required": gettext_lazy("请输入 6 位签到码。"),
                                            "invalid": gettext_lazy("请输入 6 位签到码。")})


class DeskFilter(Form):
    day = forms.DateField(label=gettext_lazy("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.TypedChoiceField(label=gettext_lazy("事项"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, services=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", gettext_lazy("全部事项")), *[(s.pk, s.name) for s in services]]
