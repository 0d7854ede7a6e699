"""Forms of the standing bodies' pages: found a body, seat a member (a person, or a unit with its representative,
both chosen with the search pickers — never a select of thousands of names), change a role, end a seat."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, Person
from yishiting.bodies.choices import MemberRole
from yishiting.bodies.models import Body, BodyKind
from yishiting.bodies.selectors import member_pool, organization_pool
from yishiting.common.forms import Form

from .demands import AreaChoiceField, DomainErrorsMixin
from .pickers import OrganizationPickField, PersonPickField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodyCreateForm(DomainErrorsMixin, Form):
    kind = forms.ModelChoiceField(label=_("类型"), queryset=BodyKind.objects.filter(is_active=True), empty_label=None)
    area = AreaChoiceField(label=_("所属区域"), queryset=Area.objects.none(), empty_label=None)
    name = forms.CharField(label=_("名称（选填，默认“区域名 + 类型”）"), max_length=100, required=False)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class MemberAddForm(DomainErrorsMixin, Form):
    person = PersonPickField("body_member", label=_("成员（个人）"), required=False, queryset=Person.objects.none(),
                             hint=_("输入姓名、拼音首字母、手机号或角色；只列出本社区的人员和上级区域的干部、代表。"),
                             error_messages={"invalid_choice": _("所选人员不能成为本议事组织的成员，请重新查找。")})
    organization = OrganizationPickField("body_org", label=_("或成员单位"), required=False,
                                         queryset=Organization.objects.none(),
                                         hint=_("物业企业、业委会、驻区单位等；选单位时可再指定代表。"),
                                         error_messages={"invalid_choice": _("所选单位不在本社区或上级区域。")})
    representative = PersonPickField("body_member", label=_("单位代表（选填）"), required=False,
                                     queryset=Person.objects.none(),
                                     error_messages={"invalid_choice": _("所选人员不能作为单位代表，请重新查找。")})
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    term_start = forms.DateField(label=_("任期开始"), widget=DATE, input_formats=["%Y-%m-%d"],
                                 error_messages={"required": _("请填写任期开始日期。"), "invalid": _("日期格式不正确。")})
    term_end = forms.DateField(label=_("任期结束（选填）"), widget=DATE, input_formats=["%Y-%m-%d"], required=False,
                               error_messages={"invalid": _("日期格式不正确。")})
    id_prefix = "add"

    def __init__(self, *args, body: Body, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = member_pool(body)
        for name in ("person", "representative"):
            self.fields[name].configure(people, body=body.pk)
        self.fields["organization"].configure(organization_pool(body), body=body.pk)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("person") or data.get("organization")):
            self.add_error("person", _("请查找并选择一位人员或一个单位。"))
        return data


class RoleForm(DomainErrorsMixin, Form):
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices)


class EndForm(DomainErrorsMixin, Form):
    on = forms.DateField(label=_("离任日期（选填，默认今天）"), widget=DATE, input_formats=["%Y-%m-%d"], required=False,
                         error_messages={"invalid": _("日期格式不正确。")})
    reason = forms.CharField(label=_("离任原因（选填）"), max_length=200, required=False)
