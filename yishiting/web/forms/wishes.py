"""Forms of the 微心愿 pages: posting (staff also for someone else), the review with its checklist, a claim, the
fulfilment photo and the thanks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Person
from yishiting.common.forms import Form
from yishiting.wishes.choices import WishCategory

from .demands import DomainErrorsMixin, PhotosField
from .pickers import PersonPickField


class WishForm(DomainErrorsMixin, Form):
    category = forms.ChoiceField(label=gettext_lazy("心愿类别"), choices=WishCategory.choices,
                                 error_messages={"required": gettext_lazy("请选择心愿类别。")})
    text = forms.CharField(label=gettext_lazy("我的心愿"), max_length=300, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("一件小小的物品或帮助，不涉及现金。社区审核后公开的内容不含姓名、电话和住址。"),
                           error_messages={"required": gettext_lazy("请写下您的心愿。")})
    photo = PhotosField(label=gettext_lazy("照片（选填，1 张，只有社区工作人员和认领人可见）"), required=False)

    def __init__(self, *args, communities=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if communities is not None:  # staff: post on behalf of an elderly person or a child
            self.fields["wisher"] = PersonPickField(
                "wisher", label=gettext_lazy("代谁发布（选填）"), required=False, queryset=Person.objects.none(),
                hint=gettext_lazy("输入姓名、拼音、楼栋单元或手机尾号查找"),
                help_text=gettext_lazy("为没有手机的老人代发：心愿记在该居民名下，他们在自己的页面上看得到。"))
            self.fields["community"] = forms.ModelChoiceField(
                label=gettext_lazy("或只选社区代发（不记在某位居民名下）"), queryset=communities, required=False,
                empty_label=gettext_lazy("不代发（我自己的心愿）"))
            self.fields["beneficiary_note"] = forms.CharField(
                label=gettext_lazy("受助人情况（仅工作人员可见）"), max_length=100, required=False,
                help_text=gettext_lazy("如：3栋独居老人、留守儿童"))
            self.order_fields(["wisher", "community", "beneficiary_note"])


class ApproveForm(DomainErrorsMixin, Form):
    public_text = forms.CharField(label=gettext_lazy("公开内容"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=gettext_lazy("心愿墙上显示这段文字，可修改；心愿原文保留。"),
                                  error_messages={"required": gettext_lazy("请填写公开内容。")})
    no_money = forms.BooleanField(label=gettext_lazy("不涉及现金或转账"), required=False)
    no_personal_data = forms.BooleanField(label=gettext_lazy("公开内容不含姓名、电话、住址等个人信息"), required=False)


class ReasonForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200,
                             error_messages={"required": gettext_lazy("请填写原因。")})


class ClaimForm(DomainErrorsMixin, Form):
    """A 单位代表 chooses whether the unit or they themselves give; everyone else claims as themselves."""

    def __init__(self, *args, organizations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organizations:
            self.fields["organization"] = forms.TypedChoiceField(
                label=gettext_lazy("以谁的名义认领"), coerce=int, required=False, empty_value=None,
                choices=[("", gettext_lazy("我个人")), *[(o.pk, o.name) for o in organizations]])


class FulfilForm(DomainErrorsMixin, Form):
    photo = PhotosField(label=gettext_lazy("心愿实现的照片"))
    note = forms.CharField(label=gettext_lazy("实现情况（选填）"), max_length=200, required=False)


class ThanksForm(DomainErrorsMixin, Form):
    text = forms.CharField(label=gettext_lazy("感谢的话"), max_length=200,
                           error_messages={"required": gettext_lazy("请写下感谢的话。")})


def communities_for_post(user) -> forms.Field | None:
    """Communities of the staff member's subtree (None: not staff)."""
    from yishiting.areas.selectors import community_depth
    from yishiting.common.rules import has_perm, scope_for

    if not has_perm(user, "wishes.post_for"):
        return None
    return Area.objects.filter(scope_for(user, "wishes.post_for").q("path"), level__depth=community_depth()).order_by("path")
