"""Forms of the task (办) and supervision (督) pages. They only parse; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, Person
from yishiting.common.forms import Form
from yishiting.demands.photos import MAX_PHOTOS
from yishiting.handling.choices import MemberRole, SubjectKind, SupervisionKind, TaskStatus, WarningLevel
from yishiting.handling.services.tasks import MAX_PDF

from .demands import AreaChoiceField, DomainErrorsMixin, FilePickerInput, PhotosField, date_input
from .demands import read_photos as _read
from .pickers import OrganizationPickField, PersonPickField
from .rows import rows_formset

TEXT = {"rows": 3, "maxlength": 5000}
DATE = forms.DateInput(attrs={"type": "date"})


def uploads(files) -> list[tuple[str, bytes]]:
    """(name, bytes) for the services, which check each file by its content."""
    return list(zip([f.name for f in files], _read(files), strict=True))


class TaskAssignForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("任务"), max_length=200, error_messages={"required": _("请填写任务名称。")})
    area = forms.ModelChoiceField(label=_("办理地点"), queryset=Area.objects.none(),
                                  error_messages={"required": _("请选择办理地点。")})
    subject_kind = forms.ChoiceField(label=_("责任主体"), choices=SubjectKind.choices)
    organization = OrganizationPickField("organization", label=_("责任单位（责任主体为单位时必填）"), required=False,
                                         queryset=Organization.objects.none(),
                                         hint=_("输入单位名称、拼音首字母或类型（如 物业、职能部门）；本事项所在区域的排在前面。"))
    handler_role = PersonPickField("handler", label=_("经办人"), queryset=Person.objects.none(),
                                   error_messages={"required": _("请查找并选择经办人。"),
                                                   "invalid_choice": _("所选经办人不在可交办的人员中，请重新查找。")})
    supervisor = PersonPickField("supervisor", label=_("核验人（选填；不填由交办层级的社区两委核验）"), required=False,
                                 queryset=Person.objects.none(),
                                 hint=_("输入姓名、拼音首字母或角色（如 社区工作人员、街道）；只列出本层级及上级的工作人员和干部。"),
                                 error_messages={"invalid_choice": _("所选核验人不是本层级或上级的工作人员，请重新查找。")})
    standard = forms.CharField(label=_("办理标准"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT))
    deadline = forms.DateField(label=_("办理期限（日期）"), required=False, widget=DATE)
    deadline_days = forms.IntegerField(label=_("或：几个工作日内（按节假日日历）"), required=False, min_value=1,
                                       max_value=365)
    field_aliases = {"handler": "handler_role"}

    def __init__(self, *args, areas=None, candidates=None, supervisors=None, organizations=None, topic=None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()
        pk = topic.pk if topic is not None else None
        self.fields["handler_role"].configure(candidates if candidates is not None else Person.objects.none(), topic=pk)
        self.fields["organization"].configure(organizations if organizations is not None else Organization.objects.none(),
                                              topic=pk)
        self.fields["supervisor"].configure(supervisors if supervisors is not None else Person.objects.none(), topic=pk)



class MilestoneRowForm(Form):
    """One milestone (办理节点) of a task: what and by when."""

    title = forms.CharField(label=_("节点名称"), max_length=200, error_messages={"required": _("请填写节点名称。")},
                            widget=forms.TextInput(attrs={"placeholder": _("采购灯具")}))
    day = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages={"required": _("请选择完成日期。"), "invalid": _("请填写正确的日期，如 2026-12-05。")})


MilestoneRows = rows_formset(MilestoneRowForm, label=_("项"), min_rows=1)
MILESTONE_FIELDS = ["title", "day"]


class ReportForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("请填写进展情况。")})
    percent = forms.IntegerField(label=_("完成百分比"), min_value=0, max_value=100,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                 error_messages={"required": _("请填写完成百分比。")})
    milestone = forms.ModelChoiceField(label=_("本次完成的节点（选填）"), required=False, queryset=None)
    photos = PhotosField(label=_("现场照片（可直接拍照，最多 9 张）"), required=False)

    def __init__(self, *args, task=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.filter(done_at__isnull=True) if task else None
        self.fields["photos"].widget.attrs["capture"] = "environment"


class ReasonForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=_("理由"), max_length=5000, widget=forms.Textarea(attrs=TEXT),
                             error_messages={"required": _("请填写理由。")})


class ReassignForm(ReasonForm):
    field_order = ["handler_role", "reason"]
    handler_role = PersonPickField("handler", label=_("新的经办人"), queryset=Person.objects.none(),
                                   error_messages={"required": _("请查找并选择经办人。"),
                                                   "invalid_choice": _("所选经办人不在可交办的人员中，请重新查找。")})
    field_aliases = {"handler": "handler_role"}

    def __init__(self, *args, candidates=None, task=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler_role"].configure(candidates if candidates is not None else Person.objects.none(),
                                              task=task.pk if task is not None else None)


class ExtensionForm(ReasonForm):
    field_order = ["new_deadline", "reason"]
    new_deadline = forms.DateField(label=_("申请延至"), widget=DATE, error_messages={"required": _("请填写申请的期限。")})


class DecisionForm(DomainErrorsMixin, Form):
    approve = forms.TypedChoiceField(label=_("决定"), choices=[("yes", _("同意")), ("no", _("不同意"))],
                                     coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     error_messages={"required": _("请选择同意或不同意。")})
    note = forms.CharField(label=_("意见（不同意时必填）"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceFileField(PhotosField):
    """Photos or PDFs; each is checked by content in task_submit."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", FilePickerInput(accept="image/*,application/pdf", button=_("选择照片或 PDF 文件"),
                                                    max_bytes=MAX_PDF, unit=_("个")))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(gettext("最多上传 %(most)s 个文件（您选了 %(chosen)s 个）。")
                                        % {"most": MAX_PHOTOS, "chosen": len(files)})
        if any(f.size > MAX_PDF for f in files):
            raise forms.ValidationError(gettext("单个文件不能超过 20 MB。"))
        return files


class SubmitForm(DomainErrorsMixin, Form):
    evidence = forms.CharField(label=_("销号佐证说明（做了什么、结果如何）"), max_length=5000,
                               widget=forms.Textarea(attrs=TEXT), error_messages={"required": _("请填写佐证说明。")})
    files = EvidenceFileField(label=_("佐证照片或 PDF（已报告的进展照片也算）"), required=False)


class RecordForm(DomainErrorsMixin, Form):
    kind = forms.ChoiceField(label=_("督办类别"), choices=SupervisionKind.choices)
    happened_on = forms.DateField(label=_("日期"), widget=DATE, error_messages={"required": _("请填写日期。")})
    text = forms.CharField(label=_("督办情况"), max_length=5000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("请填写督办情况。")})


class MemberForm(DomainErrorsMixin, Form):
    person = PersonPickField("member", label=_("成员"), queryset=Person.objects.none(),
                             error_messages={"required": _("请查找并选择成员。"), "invalid_choice": _("所选人员不在您的查看范围内。")})
    role = forms.ChoiceField(label=_("身份"), choices=MemberRole.choices)

    def __init__(self, *args, people=None, topic=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].configure(people if people is not None else Person.objects.none(),
                                        topic=topic.pk if topic is not None else None)


class BulletinForm(DomainErrorsMixin, Form):
    id_prefix = "bulletin"  # on the supervision page beside RecordForm
    text = forms.CharField(label=_("通报内容"), max_length=5000, widget=forms.Textarea(attrs=TEXT),
                           error_messages={"required": _("请填写通报内容。")})


class TaskFilterForm(Form):
    """The staff list's filters, the same for its XLSX export (selectors.tasks.TaskFilter)."""

    q = forms.CharField(label=_("查找"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *TaskStatus.choices])
    warning = forms.ChoiceField(label=_("预警"), required=False, choices=[("", _("全部")), *WarningLevel.choices])
    area = AreaChoiceField(label=_("区域"), queryset=Area.objects.none(), required=False, empty_label=_("全部区域"))
    start = forms.DateField(label=_("交办日期从"), required=False, widget=date_input())
    end = forms.DateField(label=_("交办日期至"), required=False, widget=date_input())
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    extended = forms.BooleanField(label=_("只看延期过的"), required=False)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", gettext("截止日期不能早于起始日期。"))
        return data
