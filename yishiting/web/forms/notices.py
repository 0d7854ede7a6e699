"""Forms of the publicity pages: drafting a notice (the plan one line per step), publishing, marking major,
a resident's objection, staff's answer, and the legality review."""

from __future__ import annotations

from django import forms

from .demands import DomainErrorsMixin

YES_NO = [("no", "否：答复后公示照常进行"), ("yes", "是：实质性异议，撤回公示、退回协商")]
APPROVE = [("yes", "通过"), ("no", "不通过（议题退回协商）")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeDraftForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label="标题（留空则为“关于……协商结果的公示”）", required=False, max_length=200)
    plan = forms.CharField(
        label="项目计划：每行一项，依次写时间、事项、责任人，用“|”隔开", required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "12月1日—12月5日 | 采购声控LED灯 | 物业 钱经理"}))
    responsible = forms.CharField(label="责任人", required=False, max_length=200)
    starts_on = forms.DateField(label="计划开始日期（发布时可改）", required=False, widget=DATE,
                                error_messages={"invalid": "请填写正确的日期。"})
    is_major = forms.BooleanField(label="列为重大事项（需街道或区合法性审核）", required=False)
    major_reason = forms.CharField(label="列为重大事项的依据", required=False, max_length=150)

    def clean_plan(self) -> list[dict[str, str]]:
        """Lines into items; the service checks each item says when, what and who."""
        items = []
        for line in (self.cleaned_data.get("plan") or "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.replace("｜", "|").split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(f"“{line.strip()[:30]}”应写成“时间 | 事项 | 责任人”三栏。")
            items.append(dict(zip(("when", "what", "who"), parts, strict=True)))
        return items


class PublishForm(DomainErrorsMixin, forms.Form):
    starts_on = forms.DateField(label="公示开始日期", widget=DATE, error_messages={
        "required": "请选择公示开始日期。", "invalid": "请填写正确的日期。"})


class MajorForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label="列为重大事项的依据", max_length=150,
                             error_messages={"required": "列为重大事项请说明依据。"})


class ObjectionForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(label="异议内容", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
                           error_messages={"required": "请写明异议内容。", "max_length": "异议不能超过 2000 字。"})


class AnswerForm(DomainErrorsMixin, forms.Form):
    answer = forms.CharField(label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写答复内容。"})
    substantial = forms.TypedChoiceField(label="是否实质性异议", choices=YES_NO, initial="no",
                                         widget=forms.RadioSelect, coerce=lambda v: v == "yes")


class ReviewForm(DomainErrorsMixin, forms.Form):
    approve = forms.TypedChoiceField(label="审核结论", choices=APPROVE, widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes", error_messages={"required": "请选择审核结论。"})
    opinion = forms.CharField(label="审核意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写审核意见。"})
