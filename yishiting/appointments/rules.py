"""Who may book, work the desk and manage 事务预约 (scope kinds in common/rules.py).

Residents (and the other member roles) book the services of their own community and of its street. The staff of
an area work the desk for the services of their subtree: the day's bookings, check-in, no-shows. The office
staff set services up (admin) and may cancel any booking (a room closed for repairs)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

BOOK = register("appointments.book", gettext_noop("预约社区、街道的服务事项"), {**MEMBERS, Role.REGISTRANT: ScopeKind.COMMUNITY})
DESK = register("appointments.desk", gettext_noop("查看当日预约、办理签到"), {**STAFF})
BOOK_FOR = register("appointments.book_for", gettext_noop("代居民预约（没有手机的老人）"), {**STAFF})
MANAGE = register("appointments.manage", gettext_noop("设置预约事项、取消预约"), {**OFFICE})


def is_booker(user, booking) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and booking.person_id == person.pk
