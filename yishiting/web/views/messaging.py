""""我的消息设置" (a person's channels, quiet hours and digest, on a phone) and 发送失败 (staff, desktop): the
failed text messages of the people in one's scope, with the provider's code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_mobile, mask_name
from yishiting.notifications.binding import active_code, mask_openid, wechat_bind_code_issue, wechat_unbind
from yishiting.notifications.delivery import preference_of
from yishiting.notifications.preferences import failures_in_scope, may_choose_digest, preference_save

from ..forms.messaging import MessageSettingsForm
from .common import paginate, permission_required

PROVIDERS = {"aliyun": gettext_lazy("阿里云短信"), "tencent": gettext_lazy("腾讯云短信"),
             "wechat": gettext_lazy("微信公众号"), "console": gettext_lazy("开发环境"), "email": gettext_lazy("开发环境"),
             "memory": gettext_lazy("开发环境")}
FIELDS = ["sms", "wechat", "quiet", "quiet_start", "quiet_end", "digest", "digest_at"]


@login_required
def message_settings(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    pref = preference_of(person)
    options = {"wechat_bound": bool(pref.wechat_openid), "may_digest": may_choose_digest(person)}
    initial = {name: getattr(pref, name) for name in FIELDS}
    form = MessageSettingsForm(request.POST if request.method == "POST" else None, initial=initial, **options)
    if form.is_valid():
        data = {name: form.cleaned_data.get(name, initial[name]) for name in FIELDS}
        data["wechat"] = data["wechat"] if options["wechat_bound"] else False
        data["digest"] = data["digest"] if options["may_digest"] else False
        try:
            preference_save(actor=request.user, person=person, **data)
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("消息设置已保存。"))
            return redirect("web:message_settings")
    return render(request, "web/pages/demands/message_settings.html", {
        "form": form, "mobile": mask_mobile(person.mobile) if person.mobile else "", "options": options,
        "wechat": _wechat_binding(person, pref)})


def _wechat_binding(person, pref) -> dict:
    """The 微信绑定 card: shown when a WeChat channel is configured; the masked openid once linked, else the
    person's code while it is valid (notifications.binding)."""
    code = None if pref.wechat_openid else active_code(person)
    return {"enabled": bool(getattr(settings, "MESSAGING_WECHAT_BACKEND", "")),
            "openid": mask_openid(pref.wechat_openid) if pref.wechat_openid else "",
            "code": f"{code.code[:4]} {code.code[4:]}" if code else "",
            "until": timezone.localtime(code.expires_at) if code else None,
            "account": settings.MESSAGING_WECHAT.get("account_name", "")}


@require_POST
@login_required
def wechat_code(request: HttpRequest) -> HttpResponse:
    """A new one-time code to send to the official account (the earlier one stops working)."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    wechat_bind_code_issue(actor=request.user, person=person)
    return redirect(reverse("web:message_settings") + "#wechat")


@require_POST
@login_required
def wechat_unlink(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    if wechat_unbind(actor=request.user, person=person):
        messages.success(request, _("已解除微信绑定，消息不再发到该微信。"))
    return redirect(reverse("web:message_settings") + "#wechat")


@permission_required("areas.browse")  # a work tool: residents are refused (403)
@permission_required("people.view")
def delivery_failures(request: HttpRequest) -> HttpResponse:
    page = paginate(request, failures_in_scope(request.user))
    rows = [{"delivery": d, "name": mask_name(d.person.name), "provider": PROVIDERS.get(d.provider, "")} for d in page]
    return render(request, "web/pages/demands/delivery_failures.html", {"page": page, "rows": rows})
