"""Forms on the topic page for templates per area: an admin changing the topic's template (with a reason), and
a 民情理事会 member recording a household consultation (走访征求意见)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Household
from yishiting.common.forms import Form
from yishiting.deliberation.models import ProcessTemplate

from .demands import DomainErrorsMixin, date_input

MAX_HOUSEHOLDS = 500  # the picker lists the scope's households; a larger scope narrows the topic's scope first


class TopicTemplateForm(DomainErrorsMixin, Form):
    template = forms.ModelChoiceField(label=_("改用的议事规则模板"), queryset=ProcessTemplate.objects.filter(is_active=True),
                                      empty_label=None)
    reason = forms.CharField(label=_("理由"), max_length=200, error_messages={"required": _("请说明更换模板的理由。")})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "tpl-%s", **kwargs})


class ConsultationForm(DomainErrorsMixin, Form):
    household = forms.ModelChoiceField(label=_("走访的住户"), queryset=Household.objects.none(),
                                       empty_label=_("请选择住户"),
                                       error_messages={"required": _("请选择走访的住户。"),
                                                       "invalid_choice": _("请选择议题范围内的住户。")})
    visited_on = forms.DateField(label=_("走访日期"), widget=date_input(),
                                 error_messages={"required": _("请填写走访日期。"), "invalid": _("请填写正确的日期。")})
    said = forms.CharField(label=_("住户意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请记录住户说了什么。")})
    field_aliases = {"household_id": "household"}

    def __init__(self, *args, households=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "visit-%s", "initial": {"visited_on": timezone.localdate()}, **kwargs})
        self.fields["household"].queryset = households if households is not None else Household.objects.none()
