"""Forms of the mediation (调解) pages. They only parse; every rule (who may, in which state, what is required
for a written agreement …) is in yishiting.mediation.services, whose DomainError lands on the named field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Person
from yishiting.common.forms import Form
from yishiting.common.masking import mask_name
from yishiting.handling.choices import Satisfaction
from yishiting.mediation.choices import (
    AgreementForm,
    AttemptResult,
    CaseStatus,
    Confirmation,
    Hearing,
    PartyKind,
    SignMethod,
    Tier,
)
from yishiting.mediation.models import CaseMediator, CaseParty, DisputeType

from .demands import DomainErrorsMixin
from .pickers import PersonPickField
from .rows import rows_formset

TEXT = {"rows": 3, "maxlength": 5000}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"required": _("请选择日期。"), "invalid": _("请填写正确的日期，如 2026-12-05。")}


def _text(label, *, required: bool = True, rows: int = 3, limit: int = 5000, message=None) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=limit,
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
                           error_messages={"required": message or _("请填写此项。")})


def _today(**kwargs) -> forms.DateField:
    return forms.DateField(widget=DATE, error_messages=DATE_ERRORS, initial=timezone.localdate, **kwargs)


class PartyChoice(forms.ModelChoiceField):
    """A party of the case by side and name (the page shows them to the mediators only, who see names)."""

    def label_from_instance(self, obj: CaseParty) -> str:
        return f"{obj.get_side_display()} {obj.name}"


class PartiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: CaseParty) -> str:
        return f"{obj.get_side_display()} {obj.name}"


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return obj.name


# ---- lists ----

class CaseFilterForm(Form):
    q = forms.CharField(label=_("搜索案由"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + CaseStatus.choices)
    tier = forms.TypedChoiceField(label=_("调解层级"), required=False, coerce=int, empty_value=None,
                                  choices=[("", _("全部"))] + Tier.choices)
    dispute_type = forms.ModelChoiceField(label=_("纠纷类型"), required=False, queryset=DisputeType.objects.none(),
                                          empty_label=_("全部"))

    def __init__(self, *args, types=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = types if types is not None else DisputeType.objects.none()


# ---- opening a case ----

class _CaseFields(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("案由（一句话说明纠纷）"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("例如：楼上装修噪音影响休息")}),
                            error_messages={"required": _("请填写案由。")})
    dispute_type = forms.ModelChoiceField(label=_("纠纷类型"), required=False, queryset=DisputeType.objects.none(),
                                          empty_label=_("请选择"))
    hearing = forms.ChoiceField(label=_("调解方式"), choices=Hearing.choices, initial=Hearing.PRIVATE,
                                widget=forms.RadioSelect)

    def __init__(self, *args, types=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = types if types is not None else DisputeType.objects.none()


class ApplyForm(_CaseFields):
    """A resident's application (申请调解): what happened and what they ask, and who the other side is."""

    statement = _text(_("纠纷的事实和您的请求"), rows=5, message=_("请写明纠纷的事实和您的请求。"))
    respondent_name = forms.CharField(label=_("对方（被申请人）姓名或名称"), max_length=200,
                                      error_messages={"required": _("请填写对方的姓名或名称。")})
    respondent_kind = forms.ChoiceField(label=_("对方是"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    respondent_address = forms.CharField(label=_("对方住址（选填，如 3栋1单元201）"), required=False, max_length=200)
    respondent_mobile = forms.CharField(label=_("对方电话（选填）"), required=False, max_length=20)
    field_aliases = {"name": "respondent_name", "address": "respondent_address", "mobile": "respondent_mobile"}
    field_order = ["title", "dispute_type", "statement", "respondent_name", "respondent_kind", "respondent_address",
                   "respondent_mobile", "hearing"]


class OpenForm(_CaseFields):
    """A mediator or the staff open a case directly: where, and both parties (registered residents are picked,
    so they see their case; anyone else is typed in by name)."""

    area = forms.ModelChoiceField(label=_("纠纷发生地"), queryset=Area.objects.none(),
                                  error_messages={"required": _("请选择纠纷发生地。")})
    applicant = PersonPickField("party", label=_("申请人（登记的居民，选填）"), required=False,
                                queryset=Person.objects.none(), hint=_("输入姓名、手机号或房号查找"))
    applicant_name = forms.CharField(label=_("或填写申请人姓名"), required=False, max_length=200)
    applicant_statement = _text(_("申请人陈述的事实和请求"), required=False)
    respondent = PersonPickField("party", label=_("被申请人（登记的居民，选填）"), required=False,
                                 queryset=Person.objects.none(), hint=_("输入姓名、手机号或房号查找"))
    respondent_name = forms.CharField(label=_("或填写被申请人姓名或名称"), required=False, max_length=200)
    respondent_statement = _text(_("被申请人陈述的事实和请求"), required=False)
    field_order = ["area", "title", "dispute_type", "applicant", "applicant_name", "applicant_statement",
                   "respondent", "respondent_name", "respondent_statement", "hearing"]

    def __init__(self, *args, areas=None, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()
        for name in ("applicant", "respondent"):
            self.fields[name].configure(people if people is not None else Person.objects.none())

    def clean(self) -> dict:
        data = super().clean()
        for side in ("applicant", "respondent"):
            if not data.get(side) and not (data.get(f"{side}_name") or "").strip():
                self.add_error(f"{side}_name", _("请选择登记的居民，或填写姓名。"))
        return data


# ---- the case page ----

class ConsentForm(DomainErrorsMixin, Form):
    id_prefix = "consent"
    party = forms.ModelChoiceField(queryset=CaseParty.objects.none(), widget=forms.HiddenInput)
    agreed = forms.TypedChoiceField(label=_("是否同意调解"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                    choices=[("yes", _("同意调解")), ("no", _("不同意调解"))],
                                    error_messages={"required": _("请选择是否同意调解。")})
    note = forms.CharField(label=_("说明（选填）"), required=False, max_length=1000)
    guidance = _text(_("不同意时：告知的其他解决途径（诉讼、仲裁、行政途径）"), required=False, rows=2)

    def __init__(self, *args, parties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()


class StatementForm(DomainErrorsMixin, Form):
    id_prefix = "statement"
    party = forms.ModelChoiceField(queryset=CaseParty.objects.none(), widget=forms.HiddenInput)
    statement = _text(_("事实和请求"), rows=4, message=_("请写明事实和请求。"))

    def __init__(self, *args, parties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()


class MediatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{mask_name(obj.person.name)} · {obj.get_kind_display()} · {obj.committee.name}"


class AssignForm(DomainErrorsMixin, Form):
    id_prefix = "assign"
    member = MediatorChoice(label=_("调解员（人民调解委员会成员）"), queryset=None, empty_label=_("请选择"),
                            error_messages={"required": _("请选择调解员。")})
    lead = forms.BooleanField(label=_("主持调解"), required=False)
    field_aliases = {"person": "member"}

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class StepAsideForm(DomainErrorsMixin, Form):
    id_prefix = "aside"
    mediator = forms.ModelChoiceField(queryset=CaseMediator.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("回避理由"), max_length=1000, error_messages={"required": _("请写明回避理由。")})

    def __init__(self, *args, mediators=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators if mediators is not None else CaseMediator.objects.none()


class RefuseForm(DomainErrorsMixin, Form):
    """A party refuses a named mediator (人民调解法 art. 19) — itself, or the staff recording what it said."""

    id_prefix = "refuse"
    mediator = forms.ModelChoiceField(queryset=CaseMediator.objects.none(), widget=forms.HiddenInput)
    party = PartyChoice(label=_("提出拒绝的当事人"), queryset=CaseParty.objects.none(), empty_label=_("请选择"),
                        error_messages={"required": _("请选择提出拒绝的当事人。")})
    reason = forms.CharField(label=_("理由（选填）"), required=False, max_length=1000)

    def __init__(self, *args, mediators=None, parties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators if mediators is not None else CaseMediator.objects.none()
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()


class HearingForm(DomainErrorsMixin, Form):
    """Public or not (art. 23): a party asks, the staff record a party's wish, or the mediator decides."""

    id_prefix = "hearing"
    hearing = forms.ChoiceField(label=_("调解方式"), choices=Hearing.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("请选择公开或不公开调解。")})
    party = PartyChoice(label=_("提出要求的当事人"), queryset=CaseParty.objects.none(), required=False,
                        empty_label=_("无（调解员决定）"))

    def __init__(self, *args, parties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()


class AttemptForm(DomainErrorsMixin, Form):
    """One attempt at the current tier: when, where, who, what each side said, and the result."""

    id_prefix = "attempt"
    number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = _today(label=_("调解日期"))
    place = forms.CharField(label=_("调解地点"), max_length=200, error_messages={"required": _("请填写调解地点。")},
                            widget=forms.TextInput(attrs={"placeholder": _("例如：社区调解室")}))
    mediators = PeopleField(label=_("主持调解的调解员"), queryset=Person.objects.none(),
                            error_messages={"required": _("请选择主持这次调解的调解员。")})
    parties_present = PartiesField(label=_("到场当事人"), queryset=CaseParty.objects.none(), required=False)
    applicant_said = _text(_("申请人陈述"), required=False)
    respondent_said = _text(_("被申请人陈述"), required=False)
    result = forms.ChoiceField(label=_("调解结果"), choices=AttemptResult.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择调解结果（达成协议或未达成协议）。")})
    note = _text(_("调解员记录（选填）"), required=False, rows=2)
    # Only on the top tier's last attempt: failing it ends the case as 调解不成 in the same step.
    guidance = _text(_("未达成协议时告知当事人的其他解决途径（诉讼、仲裁、行政途径）"), required=False, rows=3)
    propose_topic = forms.BooleanField(label=_("涉及全小区（社区）的公共事务，建议转为议题"), required=False)
    proposal_note = _text(_("转议题的理由"), required=False, rows=2)

    def __init__(self, *args, mediators=None, parties=None, final: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = mediators if mediators is not None else Person.objects.none()
        self.fields["parties_present"].queryset = parties if parties is not None else CaseParty.objects.none()
        self.final = final
        if not final:
            for name in ("guidance", "propose_topic", "proposal_note"):
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if self.final and data.get("result") == AttemptResult.FAILED and not data.get("guidance"):
            self.add_error("guidance", _("请写明告知当事人的其他解决途径（诉讼、仲裁、行政途径）。"))
        return data


class ReasonForm(DomainErrorsMixin, Form):
    id_prefix = "escalate"
    reason = _text(_("移交上一级的理由"), rows=2, limit=1000, message=_("请写明移交上一级的理由。"))


class AbandonForm(DomainErrorsMixin, Form):
    id_prefix = "abandon"
    reason = _text(_("未签署的原因"), rows=2, limit=1000, message=_("请写明未签署协议的原因。"))


class WithdrawForm(DomainErrorsMixin, Form):
    id_prefix = "withdraw"
    reason = _text(_("撤回的原因"), rows=2, limit=1000, message=_("请写明撤回的原因。"))
    guidance = _text(_("告知当事人的其他途径（选填）"), required=False, rows=2)


class FailForm(DomainErrorsMixin, Form):
    """调解不成: the guidance given to the parties (诉调对接), and a proposal back to screening as a topic."""

    id_prefix = "fail"
    guidance = _text(_("告知当事人的其他解决途径（诉讼、仲裁、行政途径）"), rows=3,
                     message=_("请写明告知当事人的其他解决途径（诉讼、仲裁、行政途径）。"))
    propose_topic = forms.BooleanField(label=_("涉及全小区（社区）的公共事务，建议转为议题"), required=False)
    proposal_note = _text(_("转议题的理由"), required=False, rows=2)


class ObligationRowForm(Form):
    """One obligation of the agreement: which party, what, by when."""

    party = PartyChoice(label=_("履行义务的当事人"), queryset=CaseParty.objects.none(), empty_label=_("请选择"),
                        error_messages={"required": _("请选择履行义务的当事人。")})
    text = forms.CharField(label=_("义务内容"), max_length=1000, error_messages={"required": _("请写明履行义务的内容。")})
    due_on = forms.DateField(label=_("履行期限"), widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, parties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()


ObligationRows = rows_formset(ObligationRowForm, label=_("项"), min_rows=1)
OBLIGATION_FIELDS = ["party", "text", "due_on"]


class AgreementDraftForm(DomainErrorsMixin, Form):
    """调解协议: written (art. 29) or oral (art. 28); the service says which fields each form requires."""

    id_prefix = "agreement"
    form = forms.ChoiceField(label=_("协议形式"), choices=AgreementForm.choices, initial=AgreementForm.WRITTEN,
                             widget=forms.RadioSelect)
    facts = _text(_("纠纷的主要事实（书面协议必填）"), required=False)
    disputed_points = _text(_("争议事项（书面协议必填）"), required=False, rows=2)
    responsibilities = _text(_("各方当事人的责任（书面协议必填）"), required=False, rows=2)
    content = _text(_("达成协议的内容"), rows=4, message=_("请写明达成协议的内容。"))
    performance = _text(_("履行方式（书面协议必填）"), required=False, rows=2)
    perform_by = forms.DateField(label=_("履行期限（书面协议必填）"), required=False, widget=DATE,
                                 error_messages=DATE_ERRORS)
    oral_note = _text(_("调解员记录（口头协议必填）"), required=False, rows=2)


class SignForm(DomainErrorsMixin, Form):
    """One signature recorded (from the paper copy, or the party confirming in the app)."""

    id_prefix = "sign"
    party = forms.ModelChoiceField(queryset=CaseParty.objects.none(), required=False, widget=forms.HiddenInput)
    mediator = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("方式"), choices=SignMethod.choices, initial=SignMethod.SIGNATURE)
    signed_on = _today(label=_("签署日期"))

    def __init__(self, *args, parties=None, mediators=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else CaseParty.objects.none()
        self.fields["mediator"].queryset = mediators if mediators is not None else Person.objects.none()


class ScanForm(DomainErrorsMixin, Form):
    id_prefix = "scan"
    file = forms.FileField(label=_("签署后的协议扫描件（PDF 或照片，20 MB 以内）"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
                           error_messages={"required": _("请选择签署后的协议扫描件。")})


CONFIRMATION_CHOICES = [(c.value, c.label) for c in Confirmation if c != Confirmation.NONE]


class ConfirmationForm(DomainErrorsMixin, Form):
    id_prefix = "confirmation"
    result = forms.ChoiceField(label=_("司法确认结果"), choices=CONFIRMATION_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择法院已确认、不予确认或当事人不申请。")})
    note = _text(_("情况说明（法院不予确认时必填）"), required=False, rows=2)


class ObligationCheckForm(DomainErrorsMixin, Form):
    id_prefix = "check"
    obligation = forms.IntegerField(widget=forms.HiddenInput)
    performed = forms.TypedChoiceField(label=_("履行情况"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                       choices=[("yes", _("已履行")), ("no", _("未履行"))],
                                       error_messages={"required": _("请选择已履行或未履行。")})
    note = forms.CharField(label=_("核实情况（未履行时必填）"), required=False, max_length=2000)


class VisitForm(DomainErrorsMixin, Form):
    id_prefix = "visit"
    visited_on = _today(label=_("回访日期"))
    note = _text(_("回访情况"), rows=3, message=_("请填写回访情况。"))
    resolved = forms.BooleanField(label=_("纠纷已化解"), required=False, initial=True)


class RateForm(DomainErrorsMixin, Form):
    value = forms.ChoiceField(label=_("您的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("请选择满意、基本满意或不满意。"),
                                              "invalid_choice": _("请选择满意、基本满意或不满意。")})
    comment = forms.CharField(label=_("意见（选填；不满意时请写明哪里不满意）"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}))
