"""Forms of the cadres pages: an archive opened, a post, a mentor (pool and assignment), a note, a programme, an
activity, attendance, 优秀学员 and 约谈, a 破题报告 and its review, a pledge, its progress and its completion."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Person
from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin
from yishiting.web.forms.pickers import PersonPickField

from ..choices import ActivityKind, CadreKind, MentorKind, PostKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式不正确。")}
CHOICE_ERRORS = {"required": _("请选择。"), "invalid_choice": _("请选择。")}
TEXT_ERRORS = {"required": _("请填写此项。")}


def _named(field) -> None:
    # Cadres and mentors act in office: named in full (docs/masking.md), with where they serve.
    field.label_from_instance = lambda obj: getattr(obj, "name", None) or str(obj)


class CadreForm(DomainErrorsMixin, Form):
    # anyone of the area, office or none (a young cadre in training), found by name: never a list
    person = PersonPickField("cadre_person", label=_("人员"), queryset=Person.objects.none(),
                             hint=_("输入姓名、拼音或手机号查找本辖区人员（含未担任职务的年轻干部）"),
                             error_messages={"required": _("请输入姓名查找并选择人员。"),
                                             "invalid_choice": _("所选人员不在本辖区，或已有成长档案。")})
    kind = forms.ChoiceField(label=_("类别"), choices=CadreKind.choices, error_messages=CHOICE_ERRORS)
    area = forms.ModelChoiceField(label=_("所在区域"), queryset=None, error_messages=CHOICE_ERRORS)
    post = forms.CharField(label=_("现任岗位"), max_length=60, error_messages=TEXT_ERRORS)

    def __init__(self, *args, people=None, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].configure(people)
        self.fields["area"].queryset = areas
        _named(self.fields["area"])


class PostForm(DomainErrorsMixin, Form):
    id_prefix = "post"
    kind = forms.ChoiceField(label=_("类型"), choices=PostKind.choices, error_messages=CHOICE_ERRORS)
    title = forms.CharField(label=_("岗位"), max_length=60, error_messages=TEXT_ERRORS)
    area = forms.ModelChoiceField(label=_("所在区域"), queryset=None, error_messages=CHOICE_ERRORS)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("结束日期（选填）"), widget=DATE, required=False, error_messages=DATE_ERRORS)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        _named(self.fields["area"])


class MentorForm(DomainErrorsMixin, Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=None, error_messages=CHOICE_ERRORS)
    kind = forms.ChoiceField(label=_("导师类别"), choices=MentorKind.choices, error_messages=CHOICE_ERRORS)
    area = forms.ModelChoiceField(label=_("所属区域"), queryset=None, error_messages=CHOICE_ERRORS)
    specialty = forms.CharField(label=_("擅长领域（选填）"), max_length=100, required=False)

    def __init__(self, *args, people=None, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset, self.fields["area"].queryset = people, areas
        _named(self.fields["person"])
        _named(self.fields["area"])


class AssignForm(DomainErrorsMixin, Form):
    id_prefix = "assign"
    mentor = forms.ModelChoiceField(label=_("导师"), queryset=None, error_messages=CHOICE_ERRORS)

    def __init__(self, *args, mentors=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda m: f"{m.person.name} · {m.get_kind_display()}"


class NoteForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=_("帮带记录"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages=TEXT_ERRORS)


class ProgrammeForm(DomainErrorsMixin, Form):
    name = forms.CharField(label=_("培训班名称"), max_length=60, error_messages=TEXT_ERRORS)
    area = forms.ModelChoiceField(label=_("举办区域"), queryset=None, error_messages=CHOICE_ERRORS)
    starts_on = forms.DateField(label=_("开班日期"), widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label=_("结业日期"), widget=DATE, error_messages=DATE_ERRORS)
    bottom_count = forms.IntegerField(label=_("每月提醒名额"), min_value=0, max_value=50, initial=3,
                                      help_text=_("每月学分排名最后几名列入约谈提醒"),
                                      error_messages={"required": _("请填写此项。"), "invalid": _("请填写整数。"),
                                                      "min_value": _("须在 0 到 50 之间。"),
                                                      "max_value": _("须在 0 到 50 之间。")})

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        _named(self.fields["area"])


class EnrolForm(DomainErrorsMixin, Form):
    """A trainee: a person with an archive of the programme's area (whatever role, or none), found by name."""

    id_prefix = "enrol"
    person = PersonPickField("cadre_trainee", label=_("学员"), queryset=Person.objects.none(),
                             hint=_("输入已建成长档案人员的姓名、拼音或手机号"),
                             error_messages={"required": _("请输入姓名查找并选择学员。"),
                                             "invalid_choice": _("所选人员没有本辖区的成长档案，或已在本培训班。")})

    def __init__(self, *args, people=None, programme=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].configure(people, programme=getattr(programme, "pk", None))


CREDIT_ERRORS = {"required": _("请填写学分。"), "invalid": _("请填写数字。"),
                 "max_decimal_places": _("学分最多一位小数。"), "max_digits": _("学分过大。")}


class ActivityForm(DomainErrorsMixin, Form):
    id_prefix = "activity"
    kind = forms.ChoiceField(label=_("类型"), choices=ActivityKind.choices, error_messages=CHOICE_ERRORS)
    title = forms.CharField(label=_("名称"), max_length=80, error_messages=TEXT_ERRORS)
    held_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate, error_messages=DATE_ERRORS)
    credits = forms.DecimalField(label=_("学分"), max_digits=4, decimal_places=1, error_messages=CREDIT_ERRORS)


class TalkForm(DomainErrorsMixin, Form):
    note = forms.CharField(label=_("约谈情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages=TEXT_ERRORS)


class ReportForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("题目"), max_length=80, error_messages=TEXT_ERRORS)
    problem = forms.CharField(label=_("问题查摆"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages=TEXT_ERRORS)
    plan = forms.CharField(label=_("破解思路"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("原因分析、对策措施、预期成效"), error_messages=TEXT_ERRORS)


class ReviewForm(DomainErrorsMixin, Form):
    score = forms.IntegerField(label=_("评分（1–100）"), min_value=1, max_value=100,
                               error_messages={"required": _("请填写评分。"), "invalid": _("请填写整数。"),
                                               "min_value": _("评分须在 1 到 100 之间。"),
                                               "max_value": _("评分须在 1 到 100 之间。")})
    comment = forms.CharField(label=_("点评意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages=TEXT_ERRORS)


class PledgeForm(DomainErrorsMixin, Form):
    what = forms.CharField(label=_("践诺事项"), max_length=120, error_messages=TEXT_ERRORS)
    measure = forms.CharField(label=_("衡量标准"), max_length=200, help_text=_("做到什么程度算兑现"),
                              error_messages=TEXT_ERRORS)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, error_messages=DATE_ERRORS)


class ProgressForm(DomainErrorsMixin, Form):
    id_prefix = "progress"
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100,
                                  error_messages={"required": _("请填写进度。"), "invalid": _("请填写整数。"),
                                                  "min_value": _("进度须在 0 到 100 之间。"),
                                                  "max_value": _("进度须在 0 到 100 之间。")})
    note = forms.CharField(label=_("进展情况"), max_length=300, error_messages=TEXT_ERRORS)


class CompleteForm(DomainErrorsMixin, Form):
    id_prefix = "complete"
    result = forms.CharField(label=_("兑现情况"), max_length=300, error_messages=TEXT_ERRORS)


class ArchiveFilterForm(Form):
    q = forms.CharField(label=_("姓名、岗位或区域"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部"))] + CadreKind.choices)
