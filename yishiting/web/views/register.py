"""Self-registration: a resident gives their name and mobile, gets a code by SMS, and is signed in at once.

The same two steps as the SMS login (auth.sms_login_view): the name and mobile wait in the session between
them; a number already registered is sent to the SMS login instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from yishiting.accounts.services import account_register, sms_code_send
from yishiting.areas.validation import clean_mobile
from yishiting.common.errors import DomainError

from ..forms.auth import SmsVerifyForm
from ..forms.claims import RegisterSendForm
from .auth import BACKEND

REGISTER_KEY = "web_register"
TEMPLATE = "web/pages/auth/register.html"


@sensitive_post_parameters("code")
@never_cache
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "restart":
        request.session.pop(REGISTER_KEY, None)
        return redirect("web:register")
    if step == "verify":
        return _verify(request)
    if step == "send":
        return _send(request)
    pending = request.session.get(REGISTER_KEY)
    return _page(request, SmsVerifyForm() if pending else RegisterSendForm())


def _page(request: HttpRequest, form, *, status: int = 200, registered: bool = False) -> HttpResponse:
    pending = request.session.get(REGISTER_KEY) or {}
    return render(request, TEMPLATE, {"form": form, "mobile": pending.get("mobile", ""), "registered": registered,
                                      "sms_minutes": settings.SMS_CODE_TTL_SECONDS // 60}, status=status)


def _send(request: HttpRequest) -> HttpResponse:
    form = RegisterSendForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        mobile = clean_mobile(form.cleaned_data["mobile"])
        sms_code_send(mobile=mobile, request=request, purpose="register")
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, form, status=exc.status, registered=exc.code == "already_registered")
    request.session[REGISTER_KEY] = {"mobile": mobile, "name": form.cleaned_data["name"].strip()}
    messages.info(request, gettext("验证码已发送，请查收短信。"))
    return redirect("web:register")


def _verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(REGISTER_KEY)
    if not pending:
        return redirect("web:register")
    form = SmsVerifyForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        user = account_register(mobile=pending["mobile"], code=form.cleaned_data["code"], name=pending["name"],
                                request=request)
    except DomainError as exc:
        form.add_error("code", exc.message)
        return _page(request, form, status=exc.status, registered=exc.code == "already_registered")
    request.session.pop(REGISTER_KEY, None)
    login(request, user, backend=BACKEND)
    messages.success(request, gettext("注册成功。现在就可以反映问题；申报住户并经社区认证后，才能参加业主表决。"))
    return redirect("web:claims")
