from django import forms
from django.utils.translation import gettext_lazy as _

from yishiting.common.forms import Form


class TokenCreateForm(Form):
    name = forms.CharField(label=_("用途"), max_length=100,
                           help_text=_("例如：街道数据看板、网格巡查小程序。"))
