"""Forms of the participation pages: an order, a dispatch, a provider's report, a rating, a unit's registration and
agreement, a member's registration, and a quarterly assessment."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Organization, Person
from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin, PhotosField
from yishiting.web.forms.pickers import PersonPickField

from ..choices import Grade, ServicePost

STARS = [(5, gettext_lazy("5 星 非常满意")), (4, gettext_lazy("4 星 满意")), (3, gettext_lazy("3 星 一般")),
         (2, gettext_lazy("2 星 不满意")), (1, gettext_lazy("1 星 很不满意"))]


class OrderForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=gettext_lazy("需要什么服务"), max_length=60, required=False,
                            help_text=gettext_lazy("菜单上没有的服务也可以提，社区会帮您找人"))
    text = forms.CharField(label=gettext_lazy("具体情况（选填）"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    wanted = forms.CharField(label=gettext_lazy("希望什么时候（选填）"), max_length=60, required=False)

    def __init__(self, *args, item=None, for_others: bool = False, own: bool = True, items=None, **kwargs) -> None:
        """`for_others`: staff ordering for a resident without a phone — who (the people picker; required unless
        the staff member may order for themselves too) and, with no item chosen yet, the menu's items."""
        super().__init__(*args, **kwargs)
        if for_others:
            self.fields["resident"] = PersonPickField(
                "orderer", label=gettext_lazy("为哪位居民点单") if not own else gettext_lazy("为哪位居民点单（为自己点单可不选）"),
                required=not own, queryset=Person.objects.none(),
                hint=gettext_lazy("输入姓名、拼音、楼栋单元或手机尾号查找"),
                error_messages={"required": gettext_lazy("请查找并选择要代为点单的居民。"),
                                "invalid_choice": gettext_lazy("请从查找结果中选择居民。")})
            if item is None and items is not None:
                self.fields["menu_item"] = forms.ModelChoiceField(
                    label=gettext_lazy("菜单上的服务（选填）"), queryset=items, required=False,
                    empty_label=gettext_lazy("不从菜单选，填写下面的需求"))
                self.fields["menu_item"].label_from_instance = lambda i: f"{i.title} · {i.menu.community.name}"
            self.order_fields(["resident", "menu_item"])
        if item is not None:
            del self.fields["title"]


class DispatchForm(DomainErrorsMixin, Form):
    providers = forms.ModelMultipleChoiceField(label=gettext_lazy("派给"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple,
                                               error_messages={"required": gettext_lazy("请至少选择一个服务方。")})

    def __init__(self, *args, providers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = providers
        self.fields["providers"].label_from_instance = lambda p: f"{p.get_kind_display()} · {p.public_name}"


class ReportForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("服务情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("请写下服务情况。")})
    hours = forms.DecimalField(label=gettext_lazy("服务时长（小时）"), min_value=0.1, max_value=24, decimal_places=1,
                               error_messages={"required": gettext_lazy("请填写服务时长。")})
    photos = PhotosField(label=gettext_lazy("服务照片（至少 1 张）"), required=False)


class RateForm(DomainErrorsMixin, Form):
    stars = forms.TypedChoiceField(label=gettext_lazy("对服务的评价"), coerce=int, widget=forms.RadioSelect, choices=STARS,
                                   error_messages={"required": gettext_lazy("请选择评价。")})
    comment = forms.CharField(label=gettext_lazy("说几句（选填）"), max_length=300, required=False)


class UnitForm(DomainErrorsMixin, Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("报到单位"), queryset=Organization.objects.none(),
                                          empty_label=gettext_lazy("请选择"),
                                          error_messages={"required": gettext_lazy("请选择报到单位。")})
    resources = forms.CharField(label=gettext_lazy("共建资源"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(label=gettext_lazy("共建承诺"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=32)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20)
    signed_on = forms.DateField(label=gettext_lazy("协议签订日"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, path: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from ..services.dual import UNIT_KINDS

        district = path[:4]
        self.fields["organization"].queryset = Organization.objects.filter(
            kind__in=UNIT_KINDS, is_active=True, path__startswith=district).order_by("name")
        self.fields["signed_on"].initial = timezone.localdate()


class MemberForm(DomainErrorsMixin, Form):
    posts = forms.MultipleChoiceField(label=gettext_lazy("服务岗位"), choices=ServicePost.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": gettext_lazy("请至少选择一个服务岗位。")})
    skills = forms.CharField(label=gettext_lazy("特长（选填）"), max_length=200, required=False,
                             help_text=gettext_lazy("如：医生、电工、法律、书法"))
    partner = forms.BooleanField(label=gettext_lazy("到本单位的共建社区报到（不选则到居住地社区）"), required=False)


class AssessmentForm(DomainErrorsMixin, Form):
    grade = forms.ChoiceField(label=gettext_lazy("考核建议"), choices=Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("请选择考核建议。")})
    reasons = forms.CharField(label=gettext_lazy("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": gettext_lazy("请写明理由。")})


