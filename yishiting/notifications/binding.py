"""Linking a person's WeChat (the official account's openid) without WeChat's OAuth, which an intranet does not
reach: 我的消息设置 shows a one-time code; the person sends it to the official account; the account's callback
(notifications.callback, signed by WeChat) receives the text from the person's openid and binds that openid.

A code is 8 digits, valid WECHAT_BIND_CODE_MINUTES (10), used once; a new code ends the person's earlier ones.
An openid that sends wrong codes is refused for a while after BIND_FAILURES_MAX of them (guessing 10^8 codes).
Binding and unlinking are events on the person's chain (`person.wechat_bound`, `person.wechat_unbound`).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.common.errors import DomainError
from yishiting.common.events import event_append

from .delivery import preference_of
from .models import Delivery, MessagePreference, WechatBindCode

CODE_DIGITS = 8
BIND_FAILURES_MAX = 10  # wrong codes an openid may send in BIND_FAILURES_WINDOW
BIND_FAILURES_WINDOW = 600
_CODE_IN_TEXT = re.compile(r"^\s*(?:绑定|bind)?[\s:：]*((?:\d\s*){8})\s*$", re.IGNORECASE)  # zh-only: what people type


def mask_openid(openid: str) -> str:
    return f"{openid[:4]}****{openid[-4:]}" if len(openid) > 8 else "****"


def _own(actor, person: Person) -> None:
    if actor is None or getattr(person, "user_id", None) != actor.pk:
        raise DomainError("forbidden", gettext("只能修改自己的消息设置。"), status=403)


def active_code(person: Person, now: datetime | None = None) -> WechatBindCode | None:
    now = now or timezone.now()
    return (WechatBindCode.objects.filter(person=person, used_at=None, expires_at__gt=now)
            .order_by("-created_at").first())


@transaction.atomic
def wechat_bind_code_issue(*, actor, person: Person, now: datetime | None = None) -> WechatBindCode:
    """A new code for one's own account (the earlier unused ones stop working)."""
    _own(actor, person)
    now = now or timezone.now()
    WechatBindCode.objects.filter(person=person, used_at=None, expires_at__gt=now).update(expires_at=now)
    while True:
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if not WechatBindCode.objects.filter(code=code, used_at=None, expires_at__gt=now).exists():
            break
    return WechatBindCode.objects.create(person=person, code=code,
                                         expires_at=now + timedelta(minutes=settings.WECHAT_BIND_CODE_MINUTES))


def code_in_text(text: str) -> str | None:
    """The binding code in a message sent to the official account ("12345678", "1234 5678", "绑定 12345678")."""
    match = _CODE_IN_TEXT.match(text or "")
    return re.sub(r"\s", "", match.group(1)) if match else None


def wechat_bind(*, openid: str, code: str, now: datetime | None = None) -> Person:
    """Bind `openid` to the person whose code this is. Refused: a wrong code (`bind_code_invalid`), an expired
    one (`bind_code_expired`), one already used (`bind_code_used`; the same openid sending it again — WeChat
    pushes a message again when our answer was slow — binds nothing new and is not an error), too many wrong
    codes from this openid (`bind_too_many`)."""
    failures_key = f"wechat-bind-failures:{openid}"
    if (cache.get(failures_key) or 0) >= BIND_FAILURES_MAX:
        raise DomainError("bind_too_many", gettext("尝试次数过多，请稍后再试。"), status=429)
    try:
        return _bind(openid=openid, code=code, now=now or timezone.now())
    except DomainError as exc:
        if exc.code == "bind_code_invalid":
            cache.add(failures_key, 0, BIND_FAILURES_WINDOW)
            try:
                cache.incr(failures_key)
            except ValueError:
                cache.set(failures_key, 1, BIND_FAILURES_WINDOW)
        raise


@transaction.atomic
def _bind(*, openid: str, code: str, now: datetime) -> Person:
    row = (WechatBindCode.objects.select_for_update().select_related("person").filter(code=code)
           .order_by("-created_at").first())
    if row is None:
        raise DomainError("bind_code_invalid", gettext("绑定码不正确，请在议事厅“我的消息设置”中查看。"))
    if row.used_at is not None:
        if row.openid == openid:
            return row.person
        raise DomainError("bind_code_used", gettext("绑定码已使用，请在议事厅“我的消息设置”中重新获取。"))
    if row.expires_at <= now:
        raise DomainError("bind_code_expired", gettext("绑定码已过期，请在议事厅“我的消息设置”中重新获取。"))
    row.used_at, row.openid = now, openid
    row.save(update_fields=["used_at", "openid"])
    person = row.person
    pref = MessagePreference.objects.select_for_update().filter(person=person).first() or preference_of(person)
    previous = pref.wechat_openid
    pref.wechat_openid, pref.wechat = openid, True  # linked to be told there: the channel is on (the page turns it off)
    pref.save()
    event_append(subject=person, kind="person.wechat_bound", actor=person.user,
                 payload={"openid": mask_openid(openid), "replaced": mask_openid(previous) if previous else ""})
    return person


@transaction.atomic
def wechat_unbind(*, actor, person: Person, now: datetime | None = None) -> bool:
    """Unlink one's WeChat: the channel is off, and messages still waiting for that openid are not sent to it
    (failed, code `unbound`). False when nothing was linked."""
    _own(actor, person)
    now = now or timezone.now()
    pref = MessagePreference.objects.select_for_update().filter(person=person).first()
    if pref is None or not pref.wechat_openid:
        return False
    openid = pref.wechat_openid
    pref.wechat_openid, pref.wechat = "", False
    pref.save()
    Delivery.objects.filter(person=person, channel=Delivery.Channel.WECHAT, to=openid,
                            state__in=[Delivery.State.QUEUED, Delivery.State.HELD]).update(
        state=Delivery.State.FAILED, provider_code="unbound", provider_message=gettext("微信已解除绑定"),
        finished_at=now)
    event_append(subject=person, kind="person.wechat_unbound", actor=actor, payload={"openid": mask_openid(openid)})
    return True
