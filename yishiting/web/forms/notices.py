"""Forms of the publicity pages: drafting a notice (the plan as rows: when, what, who), publishing, marking major,
a resident's objection, staff's answer, and the legality review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.common.forms import Form

from .demands import DomainErrorsMixin
from .rows import rows_formset

YES_NO = [("no", _("否：答复后公示照常进行")), ("yes", _("是：实质性异议，撤回公示、退回协商"))]
APPROVE = [("yes", _("通过")), ("no", _("不通过（议题退回协商）"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeDraftForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("标题（留空则为“关于……协商结果的公示”）"), required=False, max_length=200)
    responsible = forms.CharField(label=_("责任人"), required=False, max_length=200)
    starts_on = forms.DateField(label=_("计划开始日期（发布时可改）"), required=False, widget=DATE,
                                error_messages={"invalid": _("请填写正确的日期。")})
    is_major = forms.BooleanField(label=_("列为重大事项（需街道或区合法性审核）"), required=False)
    major_reason = forms.CharField(label=_("列为重大事项的依据"), required=False, max_length=150)


class PlanRowForm(Form):
    """One step of the project plan (时间表、路线图、责任人): when, what and who."""

    when = forms.CharField(label=_("时间"), max_length=200, error_messages={"required": _("请填写时间，如“12月1日—12月5日”。")},
                           widget=forms.TextInput(attrs={"placeholder": _("12月1日—12月5日")}))
    what = forms.CharField(label=_("事项"), max_length=200, error_messages={"required": _("请填写事项。")},
                           widget=forms.TextInput(attrs={"placeholder": _("采购声控LED灯")}))
    who = forms.CharField(label=_("责任人"), max_length=200, error_messages={"required": _("请填写责任人。")},
                          widget=forms.TextInput(attrs={"placeholder": _("物业 钱经理")}))


PlanRows = rows_formset(PlanRowForm, label=_("项"), min_rows=2)
PLAN_FIELDS = ["when", "what", "who"]


class PublishForm(DomainErrorsMixin, Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE, error_messages={
        "required": _("请选择公示开始日期。"), "invalid": _("请填写正确的日期。")})


class MajorForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=_("列为重大事项的依据"), max_length=150,
                             error_messages={"required": _("列为重大事项请说明依据。")})


class ObjectionForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=_("异议内容"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
                           error_messages={"required": _("请写明异议内容。"), "max_length": _("异议不能超过 2000 字。")})


class AnswerForm(DomainErrorsMixin, Form):
    answer = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写答复内容。")})
    substantial = forms.TypedChoiceField(label=_("是否实质性异议"), choices=YES_NO, initial="no",
                                         widget=forms.RadioSelect, coerce=lambda v: v == "yes")


class ReviewForm(DomainErrorsMixin, Form):
    approve = forms.TypedChoiceField(label=_("审核结论"), choices=APPROVE, widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes", error_messages={"required": _("请选择审核结论。")})
    opinion = forms.CharField(label=_("审核意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请填写审核意见。")})
