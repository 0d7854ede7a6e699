"""Activities: publish, sign up (capacity, waiting list), check in by QR code or by staff, check out with hours
and a rating (the contract event `volunteers.hours_confirmed`, once per attendance), correct hours, end.
Status changes go through common.transitions with the tables of volunteers.transitions."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from ..choices import ActivityStatus, AttendanceStatus
from ..models import Activity, Attendance, Team
from ..rules import may_create_activity, may_join, may_organise, may_rate_service
from ..transitions import ACTIVITY_TRANSITIONS, ATTENDANCE_TRANSITIONS, HOLDS_PLACE, LIVE
from .base import EARNED, acting_person, clean_rating, earned_payload, refuse_unless, settle_hours

A, T = ActivityStatus, AttendanceStatus
CHECKIN_EARLY = timedelta(hours=1)  # the QR code works from an hour before the start …
CHECKIN_LATE = timedelta(hours=2)  # … until two hours after the end (people stay to tidy up)


@transaction.atomic
def activity_create(*, actor, title: str, area: Area, place: str, starts_at: datetime, ends_at: datetime,
                    capacity: int, team: Team | None = None, description: str = "", served=None) -> Activity:
    """Publish an activity (报名中): a team's leader for their team, staff for their area. `served`: the person
    a home visit serves, who then rates each volunteer (that rating confirms the hours)."""
    refuse_unless(actor is None or may_create_activity(actor, team=team, area=area))
    if team is not None and not area.path.startswith(team.path) and not team.path.startswith(area.path):
        raise DomainError("team_outside", gettext("服务队不在该社区。"), details={"field": "team"})
    if not (title or "").strip():
        raise DomainError("title_required", gettext("请填写活动名称。"), details={"field": "title"})
    if ends_at <= starts_at:
        raise DomainError("time_order", gettext("结束时间须晚于开始时间。"), details={"field": "ends_at"})
    if not capacity or capacity < 1:
        raise DomainError("capacity_required", gettext("名额至少为 1。"), details={"field": "capacity"})
    if served is not None and not served.area.path.startswith(area.path):
        raise DomainError("served_outside", gettext("服务对象不是该社区的居民。"), details={"field": "served"})
    organiser = acting_person(actor) if actor is not None else None
    activity = Activity.objects.create(title=title.strip(), team=team, area=area, path=area.path, place=place.strip(),
                                       description=(description or "").strip(), starts_at=starts_at, ends_at=ends_at,
                                       capacity=capacity, organiser=organiser, served=served,
                                       checkin_key=secrets.token_hex(16))
    event_append(subject=activity, kind="volunteers.activity_created", actor=actor, new_subject=True,
                 payload={"area": area.pk, "team": team.pk if team else None, "capacity": capacity})
    return activity


def checkin_token(activity: Activity) -> str:
    """The signed code in the activity's QR URL: only someone who saw the organiser's screen knows it."""
    return salted_hmac("volunteers.checkin", f"{activity.pk}:{activity.checkin_key}").hexdigest()[:24]


def token_valid(activity: Activity, token: str) -> bool:
    return constant_time_compare(checkin_token(activity), token or "")


def places_taken(activity: Activity) -> int:
    return activity.attendances.filter(status__in=HOLDS_PLACE).count()


def _lock(activity: Activity) -> Activity:
    """Sign-ups, cancellations and walk-ins of one activity take turns: the activity row is the lock."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def activity_sign_up(*, actor, activity: Activity) -> Attendance:
    """报名: a resident of the activity's community takes a place (已报名), or joins the waiting list (候补中)
    when every place is taken. Concurrent sign-ups for the last place: exactly one gets it."""
    refuse_unless(may_join(actor, activity))
    person = acting_person(actor)
    activity = _lock(activity)
    if activity.status != A.OPEN or activity.ends_at <= timezone.now():
        raise Conflict("activity_closed", gettext("该活动已停止报名。"))
    if activity.attendances.filter(person=person, status__in=LIVE).exists():
        raise Conflict("already_signed_up", gettext("您已报名该活动。"))
    if person.pk == activity.served_id:
        raise DomainError("served_person", gettext("您是这次上门服务的服务对象，不用报名。"))
    status = T.SIGNED_UP if places_taken(activity) < activity.capacity else T.WAITING
    attendance = Attendance.objects.create(activity=activity, person=person, path=activity.path, status=status)
    event_append(subject=attendance, kind="volunteers.signed_up", actor=actor, new_subject=True,
                 payload={"activity": activity.pk, "status": status})
    return attendance


@transaction.atomic
def attendance_cancel(*, actor, attendance: Attendance) -> Attendance:
    """取消报名 (the volunteer, or the organiser): the place goes to the first on the waiting list."""
    refuse_unless(attendance.person_id == getattr(person_for_user(actor), "pk", None)
                  or may_organise(actor, attendance.activity))
    activity = _lock(attendance.activity)
    freed = attendance.status == T.SIGNED_UP
    attendance = transition(attendance, to=T.CANCELLED, actor=actor, table=ATTENDANCE_TRANSITIONS)
    if freed and activity.status == A.OPEN:
        _promote_waiting(actor, activity)
    return attendance


def _promote_waiting(actor, activity: Activity) -> None:
    while places_taken(activity) < activity.capacity:
        first = activity.attendances.filter(status=T.WAITING).order_by("signed_up_at", "pk").first()
        if first is None:
            return
        transition(first, to=T.SIGNED_UP, actor=actor, table=ATTENDANCE_TRANSITIONS, kind="volunteers.promoted")


@transaction.atomic
def activity_check_in_by_code(*, actor, activity: Activity, token: str) -> Attendance:
    """签到 by scanning the organiser's QR code: the person's own sign-up is checked in; someone who did not
    sign up walks in while a place is free. A stale or foreign code is refused."""
    if not token_valid(activity, token):
        raise DomainError("bad_code", gettext("签到码无效或已更换，请扫描组织人现场出示的二维码。"), status=404)
    refuse_unless(may_join(actor, activity))
    person = acting_person(actor)
    activity = _lock(activity)
    _check_window(activity)
    attendance = activity.attendances.filter(person=person, status__in=LIVE).first()
    if attendance is not None and attendance.status in (T.CHECKED_IN, T.CHECKED_OUT):
        return attendance  # scanned twice: nothing changes
    if attendance is None or attendance.status == T.WAITING:
        if places_taken(activity) >= activity.capacity:
            raise Conflict("activity_full", gettext("名额已满，请联系组织人。"))
        if attendance is None:
            attendance = Attendance.objects.create(activity=activity, person=person, path=activity.path,
                                                   status=T.SIGNED_UP)
            event_append(subject=attendance, kind="volunteers.signed_up", actor=actor, new_subject=True,
                         payload={"activity": activity.pk, "status": T.SIGNED_UP, "walk_in": True})
        else:
            transition(attendance, to=T.SIGNED_UP, actor=actor, table=ATTENDANCE_TRANSITIONS)
    return _check_in(actor, attendance, "qr")


@transaction.atomic
def attendance_check_in(*, actor, attendance: Attendance) -> Attendance:
    """签到 by the organiser for someone without a phone."""
    refuse_unless(may_organise(actor, attendance.activity))
    _check_window(attendance.activity)
    return _check_in(actor, attendance, "staff")


def _check_window(activity: Activity) -> None:
    now = timezone.now()
    if activity.status != A.OPEN:
        raise Conflict("activity_closed", gettext("该活动已结束或已取消，不能签到。"))
    if now < activity.starts_at - CHECKIN_EARLY:
        raise Conflict("too_early", gettext("活动开始前一小时起才能签到。"))
    if now > activity.ends_at + CHECKIN_LATE:
        raise Conflict("too_late", gettext("活动已结束，不能再签到。"))


def _check_in(actor, attendance: Attendance, how: str) -> Attendance:
    return transition(attendance, to=T.CHECKED_IN, actor=actor, table=ATTENDANCE_TRANSITIONS,
                      payload={"by": how}, changes={"checked_in_at": timezone.now()})


def computed_hours(activity: Activity, checked_in_at: datetime | None, checked_out_at: datetime) -> Decimal:
    """Time between check-in and check-out, within the activity's hours, to the half hour."""
    if checked_in_at is None:
        return Decimal("0")
    start, end = max(checked_in_at, activity.starts_at), min(checked_out_at, activity.ends_at)
    seconds = max((end - start).total_seconds(), 0)
    halves = (Decimal(seconds) / Decimal(1800)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (halves / 2).quantize(Decimal("0.1"))


@transaction.atomic
def attendance_check_out(*, actor, attendance: Attendance, rating: int, hours=None, reason: str = "") -> Attendance:
    """签退: the organiser confirms the hours (computed from check-in and check-out, or changed with a reason)
    and rates the service. The one status change appends `volunteers.hours_confirmed` with the contract's
    payload; a second check-out of the same attendance is refused by the row lock, so it confirms once.
    At a home visit (the activity has a served person) the organiser only records the hours: the served person's
    rating (`attendance_rate`) confirms them."""
    activity = attendance.activity
    refuse_unless(may_organise(actor, activity))
    now = timezone.now()
    if activity.served_id is not None:
        settled, reason = settle_hours(computed_hours(activity, attendance.checked_in_at, now), hours, reason)
        return transition(attendance, to=T.CHECKED_OUT, actor=actor, table=ATTENDANCE_TRANSITIONS,
                          kind="volunteers.checked_out", expected=T.CHECKED_IN,
                          payload={"hours": str(settled), "awaiting_rating": True},
                          changes={"checked_out_at": now, "hours": settled, "hours_reason": reason})
    rating = clean_rating(rating)
    settled, reason = settle_hours(computed_hours(activity, attendance.checked_in_at, now), hours, reason)
    rater = person_for_user(actor)
    return transition(attendance, to=T.CHECKED_OUT, actor=actor, table=ATTENDANCE_TRANSITIONS, kind=EARNED,
                      expected=T.CHECKED_IN,
                      payload=earned_payload(activity.area_id, attendance.person_id, settled, rating),
                      changes={"checked_out_at": now, "hours": settled, "hours_reason": reason, "rating": rating,
                               "rated_by": rater})


@transaction.atomic
def attendance_rate(*, actor, attendance: Attendance, rating: int) -> Attendance:
    """The served person (or the staff for them) rates a volunteer's service after check-out: the rating confirms
    the hours, and `volunteers.hours_confirmed` is appended with it — once: the row is locked and a second
    rating is refused (409)."""
    refuse_unless(may_rate_service(actor, attendance))
    rating = clean_rating(rating)
    locked = Attendance.objects.select_for_update().select_related("activity").get(pk=attendance.pk)
    if locked.status != T.CHECKED_OUT:
        raise Conflict("not_checked_out", gettext("志愿者签退后才能评价。"))
    if locked.rating is not None:
        raise Conflict("already_rated", gettext("这次服务已评价过了。"))
    locked.rating, locked.rated_by_id = rating, locked.activity.served_id
    locked.save(update_fields=["rating", "rated_by"])
    event_append(subject=locked, kind=EARNED, actor=actor,
                 payload=earned_payload(locked.activity.area_id, locked.person_id, locked.hours, rating))
    attendance.rating, attendance.rated_by_id = locked.rating, locked.rated_by_id
    return locked


@transaction.atomic
def attendance_adjust_hours(*, actor, attendance: Attendance, hours, reason: str) -> Attendance:
    """The organiser corrects confirmed hours afterwards, with a reason. The earning event is not repeated: the
    ledgers read `volunteers.hours_adjusted` and post one correcting line (docs/ledgers.md)."""
    refuse_unless(may_organise(actor, attendance.activity))
    locked = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if locked.status != T.CHECKED_OUT:
        raise Conflict("not_checked_out", gettext("签退后才能修改服务时长。"))
    new, reason = settle_hours(locked.hours or Decimal("0"), hours, reason)
    if not reason:
        raise DomainError("reason_required", gettext("修改服务时长须填写原因。"), details={"field": "reason"})
    old = locked.hours
    locked.hours, locked.hours_reason = new, reason
    locked.save(update_fields=["hours", "hours_reason"])
    event_append(subject=locked, kind="volunteers.hours_adjusted", actor=actor,
                 payload={"area": locked.activity.area_id, "person": locked.person_id, "from": str(old),
                          "to": str(new), "reason": reason})
    attendance.hours, attendance.hours_reason = new, reason
    return locked


@transaction.atomic
def activity_finish(*, actor, activity: Activity) -> Activity:
    """结束活动: who signed up and never checked in is marked 未到, the waiting list is closed."""
    refuse_unless(may_organise(actor, activity))
    activity = transition(activity, to=A.FINISHED, actor=actor, table=ACTIVITY_TRANSITIONS)
    for attendance in activity.attendances.filter(status__in=[T.SIGNED_UP, T.WAITING]):
        to = T.ABSENT if attendance.status == T.SIGNED_UP else T.CANCELLED
        transition(attendance, to=to, actor=actor, table=ATTENDANCE_TRANSITIONS)
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity) -> Activity:
    """取消活动 before anyone has checked in; every sign-up is cancelled."""
    refuse_unless(may_organise(actor, activity))
    if activity.attendances.filter(status__in=[T.CHECKED_IN, T.CHECKED_OUT]).exists():
        raise Conflict("has_checkins", gettext("已有志愿者签到，不能取消活动，请结束活动。"))
    activity = transition(activity, to=A.CANCELLED, actor=actor, table=ACTIVITY_TRANSITIONS)
    for attendance in activity.attendances.filter(status__in=[T.SIGNED_UP, T.WAITING]):
        transition(attendance, to=T.CANCELLED, actor=actor, table=ATTENDANCE_TRANSITIONS)
    return activity


@transaction.atomic
def activity_new_code(*, actor, activity: Activity) -> Activity:
    """换一个签到码 (a photo of the QR code went round): the old URL stops working."""
    refuse_unless(may_organise(actor, activity))
    activity.checkin_key = secrets.token_hex(16)
    activity.save(update_fields=["checkin_key"])
    event_append(subject=activity, kind="volunteers.code_renewed", actor=actor)
    return activity
