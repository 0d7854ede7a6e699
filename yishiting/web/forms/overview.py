"""The overview's area and period: a month, quarter or year picked from a list, or custom start and end days.
Every drill-down and export link carries the same two values (`area`, `period`), so what a figure counts is
what its list shows."""

from __future__ import annotations

import contextlib
from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.forms import Form
from yishiting.oversight import periods

from .choices import ReadOnceModelChoiceField
from .demands import DomainErrorsMixin, date_input

CHOICES_BACK = {"month": 12, "quarter": 4, "year": 3}


def period_choices(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped options: the last 12 months, 4 quarters and 3 years (this one first)."""
    groups = []
    for kind, label in (("month", gettext("按月")), ("quarter", gettext("按季度")), ("year", gettext("按年"))):
        period, options = periods.current(kind, today), []
        for _n in range(CHOICES_BACK[kind]):
            options.append((period.key, period.label))
            period = period.previous()
        groups.append((label, options))
    return groups


class OverviewForm(DomainErrorsMixin, Form):
    area = ReadOnceModelChoiceField(label=_("区域"), queryset=Area.objects.none(), empty_label=None,
                                    error_messages={"invalid_choice": _("请选择您管辖范围内的区域。")})
    period = forms.CharField(label=_("统计期间"), required=False, max_length=30, widget=forms.Select)
    start = forms.DateField(label=_("自定义开始日期"), required=False, widget=date_input())
    end = forms.DateField(label=_("自定义结束日期"), required=False, widget=date_input())

    def __init__(self, data=None, *, areas, today: date, **kwargs) -> None:
        super().__init__(data, initial={"period": periods.opening(today).key}, **kwargs)
        self.today = today
        self.fields["area"].queryset = areas
        self.initial["area"] = self.fields["area"].first()  # the areas are read once for this and the options
        self.fields["period"].widget.choices = self._choices(data, today)

    @staticmethod
    def _choices(data, today: date) -> list:
        """The listed periods, plus the one asked for when it is not listed (a link from an older report)."""
        groups = period_choices(today)
        asked = (data or {}).get("period", "")
        if asked and all(asked != key for _label, options in groups for key, _text in options):
            with contextlib.suppress(DomainError):
                groups.insert(0, (gettext("所选期间"), [(asked, periods.parse(asked, today).label)]))
        return groups

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", gettext("自定义期间须同时填写开始和结束日期。"))
            return data
        key = f"{start.isoformat()}..{end.isoformat()}" if start and end else data.get("period", "")
        try:
            data["range"] = periods.parse(key, self.today)
        except DomainError as exc:
            self.add_error("end" if start else "period", exc.message)
        return data

    @property
    def opened_on_last_month(self) -> bool:
        """Nothing asked for, and this month is young: the page opened on the last complete month (and says so)."""
        return not self.is_bound and periods.is_young(self.today)

    @property
    def this_month(self) -> periods.Period:
        return periods.current("month", self.today)

    def chosen(self) -> tuple[Area, periods.Period] | None:
        """The area and period asked for (when nothing was asked: the first area and `periods.opening` — this
        month, or the last complete one while this one is young), or None."""
        if not self.is_bound:
            area = self.initial["area"]
            return (area, periods.opening(self.today)) if area else None
        if not self.is_valid():
            return None
        return self.cleaned_data["area"], self.cleaned_data["range"]
