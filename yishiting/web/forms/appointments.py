"""Forms of the 事务预约 pages: a booking's note, the desk's check-in code and its day/service filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person
from yishiting.common.forms import Form

from .demands import DomainErrorsMixin
from .pickers import PersonPickField


class BookForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=gettext_lazy("要办理什么（选填）"), max_length=200, required=False)


class BookForForm(DomainErrorsMixin, Form):
    """Staff booking for a resident without a phone: who (the people picker: name, pinyin, building/unit, the
    mobile's last digits — masked as it masks), which free slot, and what for."""

    person = PersonPickField("booker", label=gettext_lazy("为哪位居民预约"), queryset=Person.objects.none(),
                             hint=gettext_lazy("输入姓名、拼音、楼栋单元或手机尾号查找"),
                             error_messages={"required": gettext_lazy("请查找并选择要代为预约的居民。"),
                                             "invalid_choice": gettext_lazy("请从查找结果中选择居民。")})
    slot = forms.TypedChoiceField(label=gettext_lazy("时段"), coerce=int, choices=(),
                                  error_messages={"required": gettext_lazy("请选择时段。"),
                                                  "invalid_choice": gettext_lazy("这个时段已约满或已过去，请另选时段。")})
    note = forms.CharField(label=gettext_lazy("要办理什么（选填）"), max_length=200, required=False)

    def __init__(self, *args, slots=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", "—"), *slots]


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
