from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.common.forms import Form


class AreaSearchForm(Form):
    q = forms.CharField(label=_("搜索区域"), max_length=50, required=False,
                        widget=forms.SearchInput(attrs={"placeholder": _("名称或拼音首字母，如 xfy")}))
