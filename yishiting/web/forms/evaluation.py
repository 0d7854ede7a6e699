"""Forms of the evaluation pages: a resident's rating (three big buttons and a comment), a party's score, the
organisation's score, and the area and period of the three rates."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area
from yishiting.common.forms import Form
from yishiting.handling.choices import Satisfaction

from .choices import ReadOnceModelChoiceField
from .demands import DomainErrorsMixin, date_input

SCORE_ERRORS = {"required": _("请填写得分。"), "invalid": _("得分须是整数。"), "min_value": _("得分不能小于 0。"),
                "max_value": _("得分不能大于 100。")}


class RatingForm(DomainErrorsMixin, Form):
    """The choice comes from the button pressed (name="value"), the comment from the box above the buttons."""

    value = forms.ChoiceField(label=_("您的评价"), choices=Satisfaction.choices,
                              error_messages={"required": _("请选择满意、基本满意或不满意。"),
                                              "invalid_choice": _("请选择满意、基本满意或不满意。")})
    comment = forms.CharField(label=_("意见（选填；不满意时请写明哪里不满意）"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                              error_messages={"max_length": _("意见不能超过 1000 字。")})


class PartyRatingForm(DomainErrorsMixin, Form):
    rater_party = forms.ChoiceField(label=_("评价方"), error_messages={"required": _("请选择评价方。")})
    ratee_party = forms.ChoiceField(label=_("被评价方"), error_messages={"required": _("请选择被评价方。")})
    score = forms.IntegerField(label=_("得分（0–100）"), min_value=0, max_value=100, error_messages=SCORE_ERRORS)
    comment = forms.CharField(label=_("意见"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}))
    entered_for = forms.CharField(label=_("代录纸质互评表时：填表人（本人评分请留空）"), required=False, max_length=100)

    def __init__(self, *args, parties: list[dict[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择")), *[(p["code"], p["name"]) for p in parties]]
        self.fields["rater_party"].choices = choices
        self.fields["ratee_party"].choices = choices


class OrgAssessForm(DomainErrorsMixin, Form):
    id_prefix = "org"  # on the round page beside PartyRatingForm
    score = forms.IntegerField(label=_("组织考评得分（0–100）"), min_value=0, max_value=100, error_messages=SCORE_ERRORS)
    comment = forms.CharField(label=_("考评意见"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}))


class KpiForm(Form):
    area = ReadOnceModelChoiceField(label=_("区域"), queryset=Area.objects.none(), empty_label=None)
    start = forms.DateField(label=_("开始日期"), widget=date_input())
    end = forms.DateField(label=_("结束日期"), widget=date_input())

    def __init__(self, data=None, *, areas, **kwargs) -> None:
        today = timezone.localdate()
        super().__init__(data, initial={"start": date(today.year, today.month, 1), "end": today}, **kwargs)
        self.fields["area"].queryset = areas
        self.initial["area"] = self.fields["area"].first()  # the areas are read once for this and the options

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", gettext("结束日期不能早于开始日期。"))
        return data
