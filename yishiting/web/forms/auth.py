"""Login forms: password, and the two steps of the SMS-code login."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from yishiting.accounts.services import login_is_locked
from yishiting.common.forms import Form, TextRuleMixin


class LoginForm(Form):
    username = forms.CharField(label=_("账号"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs) -> None:
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        # The lockout backend audits every attempt; a locked account makes authenticate() return None.
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            if login_is_locked(username):
                raise forms.ValidationError(
                    _("登录失败次数过多，账号已锁定 %(minutes)s 分钟，请稍后再试或使用短信验证码登录。"),
                    code="locked", params={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
            raise forms.ValidationError(_("账号或密码错误。"), code="invalid_login")
        return data


class SmsSendForm(Form):
    mobile = forms.CharField(label=_("手机号"), max_length=20,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric",
                                                           "autofocus": True}))


class SmsVerifyForm(Form):
    code = forms.RegexField(label=_("验证码"), regex=r"^\d{6}$",
                            error_messages={"invalid": _("验证码为 6 位数字。")},
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True, "maxlength": 6}))


class CheckedPasswordChangeForm(TextRuleMixin, PasswordChangeForm):
    """Django's password change form under the product's text rule (common.forms)."""
