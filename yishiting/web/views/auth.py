"""Signing in (password or SMS code), signing out and changing the password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from yishiting.accounts.services import sms_code_login, sms_code_send
from yishiting.areas.validation import clean_mobile
from yishiting.common.audit import audit_record
from yishiting.common.errors import DomainError
from yishiting.common.models import AuditEntry

from ..forms.auth import CheckedPasswordChangeForm, LoginForm, SmsSendForm, SmsVerifyForm

BACKEND = "yishiting.accounts.backends.LockoutBackend"
SMS_MOBILE_KEY = "web_sms_mobile"
LOGIN_TEMPLATE = "web/pages/auth/login.html"


def _policy() -> dict[str, int]:
    return {"max_failures": settings.LOGIN_MAX_FAILURES, "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "sms_minutes": settings.SMS_CODE_TTL_SECONDS // 60}


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url("web:home")


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        login(request, form.user, backend=BACKEND)
        return redirect(_next_url(request))
    return render(request, LOGIN_TEMPLATE, {"form": form, "method": "password", "next": _next_url(request),
                                            "policy": _policy()})


@sensitive_post_parameters("code")
@never_cache
def sms_login_view(request: HttpRequest) -> HttpResponse:
    """Step 1 sends a code to the mobile; step 2 checks it. The mobile waits in the session in between."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    if request.method == "POST" and request.POST.get("step") == "verify":
        return _sms_verify(request)
    if request.method == "POST" and request.POST.get("step") == "restart":
        request.session.pop(SMS_MOBILE_KEY, None)
        return redirect(_sms_url(request))
    if request.method == "POST":
        return _sms_send(request)
    return _sms_page(request, SmsVerifyForm() if request.session.get(SMS_MOBILE_KEY) else SmsSendForm())


def _sms_url(request: HttpRequest) -> str:
    """The SMS login page again, keeping where the user was going."""
    url = resolve_url("web:login_sms")
    target = _next_url(request)
    return url if target == resolve_url("web:home") else f"{url}?{urlencode({'next': target})}"


def _sms_page(request: HttpRequest, form) -> HttpResponse:
    mobile = request.session.get(SMS_MOBILE_KEY, "")
    return render(request, LOGIN_TEMPLATE, {"form": form, "method": "sms", "sms_mobile": mobile,
                                            "next": _next_url(request), "policy": _policy()})


def _sms_send(request: HttpRequest) -> HttpResponse:
    form = SmsSendForm(request.POST)
    if form.is_valid():
        try:
            mobile = clean_mobile(form.cleaned_data["mobile"])
            sms_code_send(mobile=mobile, request=request)
        except DomainError as exc:
            form.add_error("mobile", exc.message)
        else:
            request.session[SMS_MOBILE_KEY] = mobile
            # The same words whether or not the number has an account, so nobody can probe for accounts.
            messages.info(request, _("如该手机号已登记，验证码已发送，请查收短信。"))
            return redirect(_sms_url(request))
    return _sms_page(request, form)


def _sms_verify(request: HttpRequest) -> HttpResponse:
    mobile = request.session.get(SMS_MOBILE_KEY)
    if not mobile:
        return redirect(_sms_url(request))
    form = SmsVerifyForm(request.POST)
    if form.is_valid():
        try:
            user = sms_code_login(mobile=mobile, code=form.cleaned_data["code"], request=request)
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SMS_MOBILE_KEY, None)
            login(request, user, backend=BACKEND)
            return redirect(_next_url(request))
    return _sms_page(request, form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action=AuditEntry.Action.LOGOUT, outcome=AuditEntry.Outcome.SUCCESS, request=request,
                     user=request.user)
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("web:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = CheckedPasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.save()  # the form runs AUTH_PASSWORD_VALIDATORS (8+ characters, 3 classes)
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("web:home")
    return render(request, "web/pages/auth/password_change.html", {"form": form})
