"""我的消息设置: a person's channels, quiet hours and daily digest (notifications.delivery applies them), and the
failed deliveries a staff member may look into."""

from __future__ import annotations

from datetime import time

from django.db import models, transaction
from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.common.errors import DomainError
from yishiting.common.rules import scope_for

from .delivery import is_staff_person, preference_of
from .models import Delivery, MessagePreference


def may_choose_digest(person: Person) -> bool:
    return is_staff_person(person.pk)


@transaction.atomic
def preference_save(*, actor, person: Person, sms: bool, wechat: bool, quiet: bool, quiet_start: time,
                    quiet_end: time, digest: bool = False, digest_at: time | None = None) -> MessagePreference:
    """Save one's own preferences (only one's own: forbidden otherwise). A personal setting like reading a
    message: no event. Refused with nothing changed: quiet hours that start when they end; WeChat without a
    bound WeChat account; the digest for a person who is not staff."""
    if actor is None or getattr(person, "user_id", None) != actor.pk:
        raise DomainError("forbidden", gettext("只能修改自己的消息设置。"), status=403)
    if quiet and quiet_start == quiet_end:
        raise DomainError("invalid_quiet_hours", gettext("免打扰的开始和结束时间不能相同。"),
                          details={"field": "quiet_end"})
    pref = preference_of(person)
    if wechat and not pref.wechat_openid:
        raise DomainError("wechat_unbound", gettext("尚未绑定微信，暂不能选择微信通知。"), details={"field": "wechat"})
    if digest and not may_choose_digest(person):
        raise DomainError("digest_staff_only", gettext("每日汇总仅供工作人员选择。"), details={"field": "digest"})
    pref.sms, pref.wechat, pref.quiet, pref.digest = sms, wechat, quiet, digest
    pref.quiet_start, pref.quiet_end = quiet_start, quiet_end
    if digest_at is not None:
        pref.digest_at = digest_at
    pref.save()
    return pref


def failures_in_scope(user) -> models.QuerySet[Delivery]:
    """Failed deliveries of the people within the user's people.view scope, newest first."""
    return (Delivery.objects.filter(state=Delivery.State.FAILED, person__isnull=False)
            .filter(scope_for(user, "people.view").q("person__path")).select_related("person")
            .order_by("-created_at"))
