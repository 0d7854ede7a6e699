"""Forms of the alliance pages (the office's on the desktop, the members' on the phone)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin

from ..choices import AllianceKind, Choice, MeetingKind, TaskSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 6})
GRADES = [("ABC", "A / B / C"), ("ABCD", "A / B / C / D")]


def _required(label: str) -> dict:
    return {"required": label, "invalid_choice": label}


def _clauses(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AllianceForm(DomainErrorsMixin, Form):
    area = forms.ModelChoiceField(label=gettext_lazy("所属区域"), queryset=None,
                                  error_messages=_required(gettext_lazy("请选择所属区域。")))
    name = forms.CharField(label=gettext_lazy("联盟名称"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AllianceKind.choices)
    grades = forms.ChoiceField(label=gettext_lazy("年度评定等次"), choices=GRADES)
    title = forms.CharField(label=gettext_lazy("盟约标题"), max_length=100)
    clauses = forms.CharField(label=gettext_lazy("盟约条文"), widget=LINES, max_length=20000,
                              help_text=gettext_lazy("每行一条"))

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda area: area.full_name or area.name

    def clause_lines(self) -> list[str]:
        return _clauses(self.cleaned_data["clauses"])


class VersionForm(DomainErrorsMixin, Form):
    id_prefix = "version"
    title = forms.CharField(label=gettext_lazy("盟约标题"), max_length=100)
    clauses = forms.CharField(label=gettext_lazy("盟约条文"), widget=LINES, max_length=20000,
                              help_text=gettext_lazy("每行一条"))

    def clause_lines(self) -> list[str]:
        return _clauses(self.cleaned_data["clauses"])


class CommentForm(Form):
    text = forms.CharField(label=gettext_lazy("对本条的意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UnitForm(DomainErrorsMixin, Form):
    """A founding unit (office) or an application (a unit's liaison, or the office entering a written one)."""

    organization = forms.ModelChoiceField(label=gettext_lazy("单位"), queryset=None,
                                          error_messages=_required(gettext_lazy("请选择单位。")))
    liaison = forms.ModelChoiceField(label=gettext_lazy("联络党员"), queryset=None,
                                     error_messages=_required(gettext_lazy("请选择联络党员。")))
    superior = forms.CharField(label=gettext_lazy("上级党组织（选填）"), max_length=100, required=False,
                               help_text=gettext_lazy("单位的上级组织未在系统登记时填写，评定结果函寄往这里"))
    application = forms.CharField(label=gettext_lazy("入盟申请"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    accepts_covenant = forms.BooleanField(label=gettext_lazy("本单位承诺遵守现行盟约"), required=False)

    def __init__(self, *args, organizations=None, people=None, founding=False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["liaison"].queryset = people
        self.fields["liaison"].label_from_instance = lambda person: person.name
        if founding:
            del self.fields["application"], self.fields["accepts_covenant"]


class BallotForm(Form):
    choice = forms.ChoiceField(label=gettext_lazy("意见"), choices=Choice.choices, widget=forms.RadioSelect)
    member = forms.ModelChoiceField(label=gettext_lazy("代哪家成员单位录入"), queryset=None, required=False)

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members


class CommitteeForm(DomainErrorsMixin, Form):
    name = forms.CharField(label=gettext_lazy("专委名称"), max_length=60)
    duty = forms.CharField(label=gettext_lazy("职责（选填）"), max_length=300, required=False)
    lead = forms.ModelChoiceField(label=gettext_lazy("牵头单位"), queryset=None,
                                  error_messages=_required(gettext_lazy("请选择牵头单位。")))
    members = forms.ModelMultipleChoiceField(label=gettext_lazy("成员单位"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members
        self.fields["members"].queryset = members


class TaskForm(DomainErrorsMixin, Form):
    id_prefix = "task"
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=gettext_lazy("季度"), coerce=int, choices=[])
    title = forms.CharField(label=gettext_lazy("任务"), max_length=120)
    detail = forms.CharField(label=gettext_lazy("说明（选填）"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.ChoiceField(label=gettext_lazy("来源"), choices=TaskSource.choices)
    demand_number = forms.CharField(label=gettext_lazy("诉求编号（来源为居民诉求时）"), max_length=20, required=False)
    proposed_by = forms.ModelChoiceField(label=gettext_lazy("提出单位（来源为成员单位时）"), queryset=None,
                                         required=False)
    field_aliases = {"demand": "demand_number"}

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_by"].queryset = members
        self.fields["quarter"].choices = [(q, gettext("第 %(q)s 季度") % {"q": q}) for q in (1, 2, 3, 4)]


class AssignForm(DomainErrorsMixin, Form):
    committee = forms.ModelChoiceField(label=gettext_lazy("专委"), queryset=None,
                                       error_messages=_required(gettext_lazy("请选择专委。")))
    owner = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=None,
                                   error_messages=_required(gettext_lazy("请选择责任单位。")))
    meeting = forms.ModelChoiceField(label=gettext_lazy("分派的大会"), queryset=None,
                                     error_messages=_required(gettext_lazy("请选择联盟大会。")))
    deadline = forms.DateField(label=gettext_lazy("完成时限"), widget=DATE)

    def __init__(self, *args, committees=None, members=None, meetings=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["owner"].queryset = members
        self.fields["meeting"].queryset = meetings


class ReportForm(DomainErrorsMixin, Form):
    progress = forms.IntegerField(label=gettext_lazy("进度（%）"), min_value=0, max_value=100)
    hours = forms.DecimalField(label=gettext_lazy("本次服务时长（小时）"), min_value=0, max_value=1000,
                               decimal_places=1, initial=0)
    note = forms.CharField(label=gettext_lazy("进展"), max_length=300)


class CompleteForm(DomainErrorsMixin, Form):
    evidence = forms.CharField(label=gettext_lazy("完成佐证"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=gettext_lazy("写明照片、验收单、服务记录等佐证材料"))


class MeetingForm(DomainErrorsMixin, Form):
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=gettext_lazy("召开日期"), widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100)
    subject = forms.CharField(label=gettext_lazy("议题"), max_length=200)
    minutes = forms.CharField(label=gettext_lazy("会议纪要"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    attendees = forms.ModelMultipleChoiceField(label=gettext_lazy("出席单位"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members


class ProblemForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("会上反映的问题"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    member = forms.ModelChoiceField(label=gettext_lazy("反映单位（选填）"), queryset=None, required=False)

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class RatingForm(DomainErrorsMixin, Form):
    grade = forms.ChoiceField(label=gettext_lazy("等次"), choices=[])

    def __init__(self, *args, grades: str = "ABC", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [(g, g) for g in grades]


NOT_A_MEMBER = gettext_lazy("该单位不是本联盟在册的成员单位，不能加入专委。")


class CommitteeUnitForm(DomainErrorsMixin, Form):
    """A unit added to a 专委 (any unit of the alliance is offered: the service says why a former one may not)."""

    id_prefix = "add"
    member = forms.ModelChoiceField(label=gettext_lazy("成员单位"), queryset=None,
                                    error_messages={"required": gettext_lazy("请选择成员单位。"),
                                                    "invalid_choice": NOT_A_MEMBER})

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class CommitteeRemoveForm(DomainErrorsMixin, Form):
    id_prefix = "remove"
    member = forms.ModelChoiceField(label=gettext_lazy("移出的单位"), queryset=None,
                                    error_messages=_required(gettext_lazy("请选择要移出的单位。")))
    new_lead = forms.ModelChoiceField(label=gettext_lazy("新的牵头单位（移出牵头单位时必选）"), queryset=None,
                                      required=False, error_messages={"invalid_choice": NOT_A_MEMBER})
    reason = forms.CharField(label=gettext_lazy("原因（选填）"), max_length=200, required=False)

    def __init__(self, *args, units=None, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = units
        self.fields["new_lead"].queryset = members


class CommitteeLeadForm(DomainErrorsMixin, Form):
    id_prefix = "lead"
    lead = forms.ModelChoiceField(label=gettext_lazy("新的牵头单位"), queryset=None,
                                  error_messages={"required": gettext_lazy("请选择牵头单位。"),
                                                  "invalid_choice": NOT_A_MEMBER})

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members


class LiaisonForm(DomainErrorsMixin, Form):
    liaison = forms.ModelChoiceField(label=gettext_lazy("新的联络党员"), queryset=None,
                                     error_messages=_required(gettext_lazy("请从本联盟区域的党员中选择新的联络党员。")))

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["liaison"].queryset = people
        self.fields["liaison"].label_from_instance = lambda person: person.name


class AmendForm(DomainErrorsMixin, Form):
    id_prefix = "amend"
    grade = forms.ChoiceField(label=gettext_lazy("更正为"), choices=[],
                              error_messages=_required(gettext_lazy("请选择等次。")))
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=200,
                             error_messages={"required": gettext_lazy("请写明更正理由。")})

    def __init__(self, *args, grades: str = "ABC", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [(g, g) for g in grades]
