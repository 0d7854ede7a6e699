"""Forms of the 整改清单 and unit-rating pages: issuing a list (target and items), the unit's report and
submission with photos, the issuer's accept/return note, the annual evaluation, and the list filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.common.forms import Form

from .demands import DomainErrorsMixin, PhotosField

ITEM_ROWS = 5


class IssueForm(DomainErrorsMixin, Form):
    """A list: its name, its basis and one target (a community or a unit, from those the issuer may reach); up to
    five items, each a description and its working days (empty rows are skipped)."""

    field_aliases = {"items": "item_1_description"}

    title = forms.CharField(label=gettext_lazy("清单名称"), max_length=200,
                            error_messages={"required": gettext_lazy("请填写清单名称。")})
    target = forms.ChoiceField(label=gettext_lazy("整改对象"), choices=(),
                               error_messages={"required": gettext_lazy("请选择整改对象：一个社区或一个单位。"),
                                               "invalid_choice": gettext_lazy("请选择整改对象：一个社区或一个单位。")})
    basis = forms.CharField(label=gettext_lazy("整改依据"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—")] + list(targets)
        for n in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{n}_description"] = forms.CharField(
                label=gettext_lazy("第 %(n)s 项整改事项") % {"n": n}, required=n == 1, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": gettext_lazy("请至少填写一项整改事项。")})
            self.fields[f"item_{n}_days"] = forms.IntegerField(
                label=gettext_lazy("期限（工作日）"), required=False, min_value=1, max_value=250, initial=10,
                error_messages={"invalid": gettext_lazy("整改期限须是 1 到 250 个工作日。"),
                                "min_value": gettext_lazy("整改期限须是 1 到 250 个工作日。"),
                                "max_value": gettext_lazy("整改期限须是 1 到 250 个工作日。")})

    def items(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [(data[f"item_{n}_description"], data.get(f"item_{n}_days") or 10)
                for n in range(1, ITEM_ROWS + 1) if (data.get(f"item_{n}_description") or "").strip()]

    def item_rows(self) -> list[tuple]:
        return [(self[f"item_{n}_description"], self[f"item_{n}_days"]) for n in range(1, ITEM_ROWS + 1)]


class ReportForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("整改情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("请填写整改情况。")})
    photos = PhotosField(label=gettext_lazy("现场照片（选填，最多 9 张）"), required=False)


class NoteForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=gettext_lazy("意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(DomainErrorsMixin, Form):
    evaluator = forms.ChoiceField(label=gettext_lazy("评议方"), choices=())
    organization = forms.ChoiceField(label=gettext_lazy("被评议单位"), choices=(),
                                     error_messages={"required": gettext_lazy("请选择被评议单位。")})
    score = forms.IntegerField(label=gettext_lazy("得分（0–100）"), min_value=0, max_value=100,
                               error_messages={"required": gettext_lazy("得分须是 0 到 100 之间的整数。"),
                                               "invalid": gettext_lazy("得分须是 0 到 100 之间的整数。"),
                                               "min_value": gettext_lazy("得分须是 0 到 100 之间的整数。"),
                                               "max_value": gettext_lazy("得分须是 0 到 100 之间的整数。")})
    comment = forms.CharField(label=gettext_lazy("评议意见"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, evaluators=(), units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = [(str(a.pk), a.name) for a in evaluators]
        self.fields["organization"].choices = [("", "—")] + [(str(o.pk), o.name) for o in units]


class ListFilter(Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=[
        ("", gettext_lazy("全部")), ("open", gettext_lazy("有未销号事项")), ("done", gettext_lazy("全部销号"))])


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this, this - 5, -1)]


class RatingFilter(Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, choices=year_choices)


