"""Writes of a training programme: created by the office, cadres enrolled, courses and activities added,
attendance recorded with the credits earned, a month's 优秀学员 named and a 约谈 with one at the bottom recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append

from ..choices import ActivityKind
from ..models import Activity, Attendance, Cadre, Honour, Programme, Talk
from .common import require_office, text, user_of

MAX_CREDITS = Decimal("20")


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def programme_create(*, actor, name: str, area: Area, starts_on: date, ends_on: date,
                     bottom_count: int = 3) -> Programme:
    """A training programme of the office's area (event cadres.programme_created)."""
    require_office(actor, area)
    if ends_on < starts_on:
        raise DomainError("bad_period", gettext("结业日期不能早于开班日期。"), details={"field": "ends_on"})
    if not 0 <= bottom_count <= 50:
        raise DomainError("bad_count", gettext("提醒名额须在 0 到 50 之间。"), details={"field": "bottom_count"})
    programme = Programme.objects.create(name=text(name, "name", 60), area=area, path=area.path,
                                         starts_on=starts_on, ends_on=ends_on, bottom_count=bottom_count,
                                         created_by=user_of(actor))
    event_append(subject=programme, kind="cadres.programme_created", actor=actor, new_subject=True,
                 payload={"name": programme.name, "area": area.pk, "starts_on": starts_on, "ends_on": ends_on})
    return programme


@transaction.atomic
def programme_enrol(*, actor, programme: Programme, cadre: Cadre) -> Programme:
    """Enrol a cadre of the programme's area (event cadres.enrolled); enrolling again changes nothing."""
    require_office(actor, programme)
    if not cadre.path.startswith(programme.path):
        raise DomainError("out_of_area", gettext("该干部不在培训班举办区域内。"), details={"field": "cadre"})
    if not programme.cadres.filter(pk=cadre.pk).exists():
        programme.cadres.add(cadre)
        event_append(subject=programme, kind="cadres.enrolled", actor=actor, payload={"cadre": cadre.pk})
    return programme


@transaction.atomic
def activity_add(*, actor, programme: Programme, kind: str, title: str, held_on: date,
                 credits: Decimal) -> Activity:
    """A course or activity on a day within the programme, worth `credits` (event cadres.activity_added)."""
    require_office(actor, programme)
    if kind not in ActivityKind.values:
        raise DomainError("invalid_choice", gettext("类型不正确。"), details={"field": "kind"})
    if not programme.starts_on <= held_on <= programme.ends_on:
        raise DomainError("out_of_period", gettext("日期须在培训班开班和结业之间。"), details={"field": "held_on"})
    if not Decimal("0") < credits <= MAX_CREDITS:
        raise DomainError("bad_credits", gettext("学分须大于 0、不超过 %(max)s。") % {"max": MAX_CREDITS},
                          details={"field": "credits"})
    activity = Activity.objects.create(programme=programme, kind=kind, title=text(title, "title", 80),
                                       held_on=held_on, credits=credits)
    event_append(subject=programme, kind="cadres.activity_added", actor=actor,
                 payload={"activity": activity.pk, "title": activity.title, "held_on": held_on,
                          "credits": str(credits)})
    return activity


@transaction.atomic
def attendance_record(*, actor, activity: Activity, cadre: Cadre, credits: Decimal | None = None) -> Attendance:
    """A cadre present at an activity, earning its credits or fewer (event cadres.attended on the cadre)."""
    programme = activity.programme
    require_office(actor, programme)
    if not programme.cadres.filter(pk=cadre.pk).exists():
        raise DomainError("not_enrolled", gettext("该干部不是这个培训班的学员。"), details={"field": "cadre"})
    earned = activity.credits if credits is None else credits
    if not Decimal("0") <= earned <= activity.credits:
        raise DomainError("bad_credits", gettext("学分须在 0 到本次课程活动的 %(max)s 之间。")
                          % {"max": activity.credits}, details={"field": "credits"})
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()  # the same attendance twice at once: one wins
    if Attendance.objects.filter(activity=activity, cadre=cadre).exists():
        raise Conflict("already_recorded", gettext("该学员这次的出勤已登记。"))
    attendance = Attendance.objects.create(activity=activity, cadre=cadre, credits=earned)
    event_append(subject=cadre, kind="cadres.attended", actor=actor,
                 payload={"activity": activity.pk, "programme": programme.pk, "credits": str(earned)})
    return attendance


def _enrolled(programme: Programme, cadre: Cadre) -> None:
    if not programme.cadres.filter(pk=cadre.pk).exists():
        raise DomainError("not_enrolled", gettext("该干部不是这个培训班的学员。"), details={"field": "cadre"})


@transaction.atomic
def honour_award(*, actor, programme: Programme, cadre: Cadre, month: date) -> Honour:
    """Name a cadre 优秀学员 of the month (event cadres.honoured on the cadre); naming again changes nothing."""
    require_office(actor, programme)
    _enrolled(programme, cadre)
    honour, made = Honour.objects.get_or_create(programme=programme, cadre=cadre, month=month_start(month))
    if made:
        event_append(subject=cadre, kind="cadres.honoured", actor=actor,
                     payload={"programme": programme.pk, "month": honour.month})
    return honour


@transaction.atomic
def talk_record(*, actor, programme: Programme, cadre: Cadre, month: date, note: str,
                held_on: date | None = None) -> Talk:
    """Record a 约谈提醒 with a cadre for a month (event cadres.talked on the cadre); one per month."""
    require_office(actor, programme)
    _enrolled(programme, cadre)
    held_on = held_on or timezone.localdate()
    if held_on > timezone.localdate():
        raise DomainError("future_date", gettext("约谈日期不能晚于今天。"), details={"field": "held_on"})
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    if Talk.objects.filter(programme=programme, cadre=cadre, month=month_start(month)).exists():
        raise Conflict("already_talked", gettext("该学员本月已有约谈记录。"))
    talk = Talk.objects.create(programme=programme, cadre=cadre, month=month_start(month), held_on=held_on,
                               note=text(note, "note", 1000),
                               held_by=person_of_user(actor) if actor is not None else None)
    event_append(subject=cadre, kind="cadres.talked", actor=actor,
                 payload={"programme": programme.pk, "month": talk.month, "talk": talk.pk})
    return talk
