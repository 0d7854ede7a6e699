"""Volunteer activities: the community's list (places left, 已满, my sign-ups), publishing one, its page with
sign-up and cancel, the organiser's check-in screen (the QR code the volunteers scan, the attendee list with
staff check-in, check-out with hours and a rating, corrections), and the page the QR code opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.demands.posters import qr_svg
from yishiting.volunteers import selectors
from yishiting.volunteers import services as vol
from yishiting.volunteers.choices import ActivityStatus, AttendanceStatus
from yishiting.volunteers.models import Activity, Attendance
from yishiting.volunteers.rules import (
    led_team_ids,
    may_create_activity,
    may_join,
    may_manage,
    may_organise,
    may_rate_activity,
    person_of,
)

from ..forms.volunteers import ActivityForm, AdjustForm, CheckOutForm, RateForm
from ..guard import idempotent
from .common import paginate, permission_required

PAGES = "web/pages/volunteers/"
T = AttendanceStatus


@permission_required("volunteers.view")
def volunteer_home(request: HttpRequest) -> HttpResponse:
    """志愿服务: the activities still to come (places left or 已满), my sign-ups, past activities."""
    user = request.user
    visible = selectors.activities_visible_to(user)
    return render(request, PAGES + "home.html", {
        "upcoming": selectors.upcoming(visible)[:30], "past": paginate(request, selectors.past(visible)),
        "mine": selectors.my_sign_ups(person_of(user))[:10],
        "to_rate": selectors.awaiting_my_rating(person_of(user))[:20],
        "may_create": has_perm(user, "volunteers.manage") or bool(led_team_ids(user))})


def _teams_for(user):
    """The teams an activity may be published for: led ones, and those in the staff's scope."""
    from django.db.models import Q

    from yishiting.volunteers.models import Team

    scope = Q(pk__in=led_team_ids(user))
    if has_perm(user, "volunteers.manage"):
        from yishiting.common.rules import scope_for

        scope |= scope_for(user, "volunteers.manage").q("path")
    return Team.objects.filter(scope, is_active=True).order_by("path", "name")


@login_required
@idempotent
def activity_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (has_perm(user, "volunteers.manage") or led_team_ids(user)):
        raise PermissionDenied("volunteers.manage")
    served = selectors.served_pool(user) if has_perm(user, "volunteers.manage") else None
    form = ActivityForm(request.POST or None, teams=_teams_for(user), served=served)
    if served is not None:
        form.fields["served"].answer_posted_search(request.POST or None, "served", user, request=request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        area = d["team"].area if d["team"] else getattr(person_of(user), "area", None)
        try:
            if area is None or not may_create_activity(user, team=d["team"], area=area):
                raise DomainError("team_required", _("请选择服务队。"), details={"field": "team"})
            activity = vol.activity_create(actor=user, team=d["team"], area=_community(area), title=d["title"],
                                           place=d["place"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                                           capacity=d["capacity"], description=d["description"],
                                           served=d.get("served"))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("活动已发布，居民可以报名了。"))
            return redirect("web:volunteer_activity", pk=activity.pk)
    return render(request, PAGES + "activity_new.html", {"form": form}, status=400 if form.errors else 200)


def _community(area):
    from yishiting.volunteers.services.base import community_for

    return community_for(area)


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)


@permission_required("volunteers.view")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity, user = _activity(request, pk), request.user
    mine = selectors.attendance_of(activity, person_of(user))
    is_open = activity.status == ActivityStatus.OPEN
    return render(request, PAGES + "activity.html", {
        "a": activity, "mine": mine, "full": activity.taken >= activity.capacity,
        "left": max(activity.capacity - activity.taken, 0),
        "may_sign_up": is_open and mine is None and person_of(user) is not None and may_join(user, activity)
        and person_of(user).pk != activity.served_id,
        "may_cancel": mine is not None and mine.status in (T.SIGNED_UP, T.WAITING) and is_open,
        "organiser": may_organise(user, activity), "rate_form": RateForm(),
        "to_rate": selectors.awaiting_rating(activity) if may_rate_activity(user, activity) else []})


ACTIONS = {"sign_up", "finish", "cancel_activity", "new_code"}


@require_POST
@login_required
def activity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    activity, user = _activity(request, pk), request.user
    try:
        if action == "sign_up":
            done = vol.activity_sign_up(actor=user, activity=activity)
            text = _("报名成功。") if done.status == T.SIGNED_UP else _("名额已满，您已进入候补，有人取消时按顺序递补。")
        elif action == "finish":
            vol.activity_finish(actor=user, activity=activity)
            text = _("活动已结束，未签到的报名记为未到。")
        elif action == "cancel_activity":
            vol.activity_cancel(actor=user, activity=activity)
            text = _("活动已取消。")
        else:
            vol.activity_new_code(actor=user, activity=activity)
            text = _("已更换签到码，旧二维码失效。")
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    target = "web:volunteer_checkin" if action == "new_code" else "web:volunteer_activity"
    return redirect(target, pk=activity.pk)


@login_required
def checkin_screen(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """The organiser's screen: the QR code to show, and who signed up, checked in and out."""
    activity = _activity(request, pk)
    if not may_organise(request.user, activity):
        raise PermissionDenied("volunteers.organise")
    url = request.build_absolute_uri(reverse("web:volunteer_scan", args=[activity.pk, vol.checkin_token(activity)]))
    forms = forms or {}
    # segno's own markup with only the URL (ASCII) encoded in it: safe to insert as is.
    return render(request, PAGES + "checkin.html", {
        "a": activity, "url": url, "qr": mark_safe(qr_svg(url)), "rows": selectors.attendees(activity),
        "is_open": activity.status == ActivityStatus.OPEN, "failed": forms.get("pk"),
        "staff": may_manage(request.user, activity),
        "out_form": forms.get("check_out") or CheckOutForm(), "adjust_form": forms.get("adjust") or AdjustForm()},
        status=status)


@login_required
def scan(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """What the QR code opens on the volunteer's phone: the activity and one button (签到)."""
    activity = _activity(request, pk)
    if not vol.token_valid(activity, token):
        return render(request, PAGES + "scan.html", {"a": activity, "bad": True}, status=404)
    if request.method == "POST":
        try:
            vol.activity_check_in_by_code(actor=request.user, activity=activity, token=token)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.code) from None
            messages.error(request, exc.message)
        else:
            messages.success(request, _("签到成功，感谢您参加志愿服务！"))
            return redirect("web:volunteer_activity", pk=activity.pk)
    mine = selectors.attendance_of(activity, person_of(request.user))
    return render(request, PAGES + "scan.html", {"a": activity, "mine": mine, "bad": False})


ATTENDANCE_ACTIONS = {"cancel", "check_in", "check_out", "adjust", "rate"}


@require_POST
@login_required
def attendance_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ATTENDANCE_ACTIONS:
        raise Http404
    attendance = get_object_or_404(Attendance.objects.select_related("activity").filter(
        activity__in=selectors.activities_visible_to(request.user)), pk=pk)
    form = {"check_out": CheckOutForm, "adjust": AdjustForm, "rate": RateForm}.get(action)
    form = form(request.POST) if form else None
    if form is not None and not form.is_valid():
        return checkin_screen(request, attendance.activity_id, {action: form, "pk": attendance.pk}, status=400)
    try:
        text = _act(request, attendance, action, form.cleaned_data if form else {})
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        if form is not None and isinstance(exc.details, dict) and "field" in exc.details:
            form.add_domain_error(exc)
            return checkin_screen(request, attendance.activity_id, {action: form, "pk": attendance.pk}, status=400)
        messages.error(request, exc.message)  # a refusal of the step itself (a second tap): said above the list
    else:
        messages.success(request, text)
    if action in ("cancel", "rate") and not may_organise(request.user, attendance.activity):
        return redirect("web:volunteer_activity", pk=attendance.activity_id)
    return redirect("web:volunteer_checkin", pk=attendance.activity_id)


def _act(request: HttpRequest, attendance: Attendance, action: str, d: dict) -> str:
    user = request.user
    if action == "cancel":
        vol.attendance_cancel(actor=user, attendance=attendance)
        return _("已取消报名。")
    if action == "check_in":
        vol.attendance_check_in(actor=user, attendance=attendance)
        return _("已代为签到。")
    if action == "check_out":
        done = vol.attendance_check_out(actor=user, attendance=attendance, rating=d["rating"], hours=d["hours"],
                                        reason=d["reason"])
        if done.rating is None:
            return _("已签退，服务时长 %(hours)s 小时，待服务对象评价后确认。") % {"hours": done.hours}
        return _("已签退，确认服务时长 %(hours)s 小时。") % {"hours": done.hours}
    if action == "rate":
        vol.attendance_rate(actor=user, attendance=attendance, rating=d["rating"])
        return _("感谢评价，志愿者的服务时长已确认。")
    vol.attendance_adjust_hours(actor=user, attendance=attendance, hours=d["hours"], reason=d["reason"])
    return _("服务时长已修改。")
