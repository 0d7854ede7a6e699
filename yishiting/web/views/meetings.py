"""Meeting pages for the convener: the venue registry, planning a meeting against its template (checked before
it is saved: chair, 1+8+N parties, size, venue clash, days of notice), one meeting with its invitation and
sign-in code for a participant, the convener's buttons (notify, start, close), and the printable minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yishiting.areas.choices import ExpertLevel
from yishiting.areas.models import Person
from yishiting.areas.pickers import Page, people_pick
from yishiting.areas.selectors import areas_visible_to, person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm, scope_for
from yishiting.common.text import posted_text
from yishiting.deliberation.bodies import body_convener
from yishiting.deliberation.choices import MeetingForm, MeetingStatus, Party, StepKind
from yishiting.deliberation.models import Meeting, Venue
from yishiting.deliberation.rules import invitable_q, may_change_participants, withdraw_refusal
from yishiting.deliberation.selectors.meetings import (
    meeting_details,
    meeting_search,
    meeting_timeline,
    meeting_warnings,
    meetings_visible_to,
    minutes,
    online_speeches,
    quorum,
)
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.selectors.votes import shown_result
from yishiting.deliberation.services import meetings as services
from yishiting.deliberation.services import participants, procedure
from yishiting.demands.posters import qr_svg
from yishiting.legal.selectors import active_fields

from ..forms.meetings import (
    MeetingPlanForm,
    VenueForm,
    WithdrawForm,
    added_invitees,
    candidates,
    invite_body_members,
    picked_rows,
    preselect,
)
from ..guard import idempotent
from .common import paginate, paginate_capped, parse_pk, permission_required, query_pk
from .expert_picker import expert_candidates, expert_filters
from .meeting_parties import missing_holders, with_holder
from .pickers import chair_pool, near_topic


@permission_required("deliberation.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in MeetingStatus.values else None
    meetings = meeting_search(meetings_visible_to(request.user), status=status)
    return render(request, "web/pages/deliberation/meeting_list.html", {
        "page": paginate_capped(request, meetings), "statuses": MeetingStatus.choices, "status": status,
        "may_plan": has_perm(request.user, "deliberation.manage")})


@permission_required("deliberation.venues")
@idempotent
def venue_list(request: HttpRequest) -> HttpResponse:
    areas = areas_visible_to(request.user, "deliberation.venues").filter(level__depth__lte=4).order_by("path")
    venues = Venue.objects.filter(scope_for(request.user, "deliberation.view").q("path")).select_related("area")
    form = VenueForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_save(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("场所已登记。"))
            return redirect("web:venue_list")
    return render(request, "web/pages/deliberation/venues.html", {"form": form, "page": paginate(request, venues)},
                  status=400 if form.errors else 200)


def _plan_inputs(request: HttpRequest):
    """The topic the plan starts from (?topic=), its level, and the venues and chairs that level allows."""
    pk = query_pk(request, "topic") or parse_pk(request.POST.get("topic"))
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    level = topic.level_area
    venues = Venue.objects.filter(Q(path__startswith=level.path) | Q(path__in=level.ancestor_paths()), is_active=True)
    return topic, level, venues, chair_pool(topic)


def _invitees(rows) -> list[tuple[Person, str, bool]]:
    return [(c.person, c.party, c.council) for c in rows if c.invited]


@permission_required("deliberation.manage")
@idempotent
def meeting_new(request: HttpRequest) -> HttpResponse:
    topic, level, venues, chairs = _plan_inputs(request)
    try:  # the topic's template (its area's): the planner does not choose (docs/templates.md)
        template = services.plan_template([topic], level)
    except DomainError:
        template = None
    chair_roles = (template.chairs or {}).get(level.level.code, []) if template else []
    default_chair = chairs.filter(roles__role__in=chair_roles, roles__is_active=True).first() if chair_roles else None
    convener = body_convener(template, level)  # issue 20: the level's standing body is chaired by its convener
    default_chair = convener if convener is not None and chairs.filter(pk=convener.pk).exists() else default_chair
    initial = {"title": _("关于“%(title)s”的协商会议") % {"title": topic.title}, "template": template, "chair": default_chair,
               "form": (template.meeting_forms or [MeetingForm.ROUND_TABLE])[0] if template else MeetingForm.ROUND_TABLE}
    added = with_holder(request.POST) if request.method == "POST" else None  # 缺方 → 添加 (one tap)
    posted = added if added is not None else (request.POST if request.method == "POST" else None)
    form = MeetingPlanForm(posted, initial=initial, venues=venues, chairs=chairs, topic=topic)
    form.fields["chair"].answer_posted_search(posted, "chair", request.user, near=near_topic(topic),
                                              request=request)
    rows = candidates(level, topic, posted, request.user, request)
    if request.method != "POST" and template:
        preselect(rows, template.required_parties or [], default_chair)
        invite_body_members(rows, level, topic, default_chair)
    report, missing = None, []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if "check" in request.POST or "add_holder" in request.POST:  # an 添加 only ever checks again
            report = services.meeting_check(d["template"], level, d["form"], d["chair"], d["venue"], d["starts_at"],
                                            d["ends_at"], _invitees(rows), [topic])
            missing = report.missing_parties
        else:
            try:
                meeting = services.meeting_plan(
                    actor=request.user, title=d["title"], form=d["form"], template=d["template"], level_area=level,
                    venue=d["venue"], starts_at=d["starts_at"], ends_at=d["ends_at"], chair=d["chair"],
                    topics=[topic], participants=_invitees(rows), requirements=d["requirements"])
            except DomainError as exc:
                details = exc.details if isinstance(exc.details, dict) else {}
                for problem in details.get("errors") or [{"message": exc.message}]:
                    form.add_error(None, problem["message"])
                missing = details.get("missing_parties") or []
            else:
                messages.success(request, _("会议已安排。核对参会人员后请“发出通知”。"))
                return redirect("web:meeting_detail", pk=meeting.pk)
    holders = missing_holders(request, level, topic, [r.person.pk for r in rows if r.invited], missing)
    return render(request, "web/pages/deliberation/meeting_new.html", {
        "form": form, "topic": topic, "level": level, "rows": rows, "report": report, "parties": Party.choices,
        "found": _found(request, level, rows, posted_text(request.POST, "invitee_q")), "term": posted_text(request.POST, "invitee_q"),
        "cadence": services.cadence_dates(template, timezone.localdate(), 3) if template else [], "template": template,
        "expert_fields": active_fields(), "expert_levels": ExpertLevel.choices, "chosen_expert": expert_filters(request.POST),
        "holders": holders}, status=400 if form.errors else 200)


def _found(request: HttpRequest, level, rows, term: str) -> Page:
    """The picker's matches among the people the planner may invite (rules `deliberation.invite`), the topic's
    own level first (areas.pickers: names clear only where the planner may unmask, audited); those already on
    the table or the list are marked `listed`, so the picker says so instead of 没有找到. Without JavaScript
    they come back with the checked plan."""
    data = request.POST if request.method == "POST" else request.GET
    if any(expert_filters(data)):  # a field or level chosen: the expert pool (专家库), this level's first
        page = expert_candidates(request, level, data)
        allowed = set(Person.objects.filter(invitable_q(request.user, level), pk__in=[r.person.pk for r in page.rows])
                      .values_list("pk", flat=True))
        page.rows = [row for row in page.rows if row.person.pk in allowed]
    else:
        pool = Person.objects.filter(invitable_q(request.user, level))
        page = people_pick(request.user, pool, term, near=[level.path], request=request, reason="picker:invitee")
        page.rows = picked_rows(page.rows)
    listed = {row.person.pk for row in rows}
    for row in page.rows:
        row.listed = row.person.pk in listed
    return page


@permission_required("deliberation.manage")
def meeting_invitee_search(request: HttpRequest) -> HttpResponse:
    """htmx: people the planner may invite beyond the table — in their own view by whole name or mobile; beyond
    it only officials above the level and the district's public roles (rules `deliberation.invite`), masked.
    For a plan (?topic=) or for a meeting already planned (?meeting=, its 追加参会人员 form)."""
    term = request.GET.get("invitee_q", "").strip()[:50]
    if request.GET.get("meeting"):
        meeting = _meeting(request, parse_pk(request.GET["meeting"]))
        if not may_change_participants(request.user, meeting):
            raise PermissionDenied("deliberation.participants")
        found = _found(request, meeting.level_area, list(meeting.participants.all()), term)
        return render(request, RESULTS, {"page": found, "mode": "invite", "parties": Party.choices,
                                         "caption": ADD_CAPTION})
    topic = get_object_or_404(topics_visible_to(request.user), pk=parse_pk(request.GET.get("topic")))
    if not has_perm(request.user, "deliberation.manage", topic.level_area):
        raise PermissionDenied("deliberation.manage")
    rows = candidates(topic.level_area, topic, None)
    return render(request, RESULTS, {"page": _found(request, topic.level_area, rows, term), "mode": "invite",
                                     "parties": Party.choices})


ADD_CAPTION = gettext_lazy("找到的人员：勾选后点“追加邀请”")
RESULTS = "web/partials/picker/results.html"


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(meeting_details(meetings_visible_to(request.user)), pk=pk)


def meeting_context(request: HttpRequest, meeting: Meeting) -> dict:
    person = person_for_user(request.user)
    mine = next((p for p in meeting.participants.all() if person and p.person_id == person.pk), None)
    sign_in_url = request.build_absolute_uri(f"/meetings/{meeting.pk}/sign-in/?code={mine.sign_in_code}") if mine else ""
    online = meeting.form == MeetingForm.ONLINE
    may_run = has_perm(request.user, "deliberation.manage", meeting)
    return {"meeting": meeting, "quorum": quorum(meeting), "mine": mine, "may_run": may_run,
            "sign_in_qr": qr_svg(sign_in_url) if mine and not online else "", "sign_in_url": sign_in_url,
            "online_open": online and meeting.status == MeetingStatus.IN_PROGRESS and timezone.now() < meeting.ends_at,
            "speeches": online_speeches(meeting) if online else [],
            # an invitee from elsewhere sees the meeting, not the topic pages of a community not theirs
            "topics_open": has_perm(request.user, "deliberation.view", meeting),
            "timeline": meeting_timeline(meeting) if may_run else [], "warnings": meeting_warnings(meeting)}


def _list_changes(request: HttpRequest, meeting: Meeting) -> dict:
    """The 追加参会人员 picker (people in view, or the expert pool by field and level, as on the plan) and the
    撤回 buttons, for the planner side of a planned meeting (rules `deliberation.participants` / `.withdraw`)."""
    if not may_change_participants(request.user, meeting):
        return {"may_change": False, "withdrawable": set()}
    term = request.GET.get("invitee_q", "").strip()[:50]
    listed = list(meeting.participants.all())
    return {"may_change": True, "withdrawable": {p.pk for p in listed if withdraw_refusal(p) is None},
            "found": _found(request, meeting.level_area, listed, term), "term": term, "parties": Party.choices,
            "caption": ADD_CAPTION, "expert_fields": active_fields(), "expert_levels": ExpertLevel.choices,
            "chosen_expert": expert_filters(request.GET)}


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/login/?next=/meetings/{pk}/")
    meeting = _meeting(request, pk)
    return render(request, "web/pages/deliberation/meeting_detail.html",
                  {**meeting_context(request, meeting), **_list_changes(request, meeting)})


@require_POST
@permission_required("deliberation.manage")
@idempotent
def meeting_participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """追加参会人员: each person ticked in the picker, one invitation each (participants.participant_invite);
    a warning such as 通知时间不足 N 天 is shown with the result."""
    meeting = _meeting(request, pk)
    picked = added_invitees(request.POST, request.user, meeting.level_area)
    if not picked:
        messages.error(request, _("请先查找并勾选要追加的人员。"))
    for row in picked:
        try:
            added = participants.participant_invite(actor=request.user, meeting=meeting, person=row.person,
                                                    party=row.party, is_council_member=row.council)
        except DomainError as exc:
            messages.error(request, _("%(name)s：%(message)s") % {"name": mask_name(row.person.name), "message": exc.message})
            continue
        if not added.created:
            done = _("%(name)s 已在参会名单中。")
        elif meeting.notified_at:
            done = _("已追加邀请 %(name)s，已发出通知。")
        else:
            done = _("已追加邀请 %(name)s，发出会议通知时一并通知。")
        messages.success(request, done % {"name": mask_name(row.person.name)})
        for warning in added.warnings:
            messages.warning(request, warning.message)
    return redirect("web:meeting_detail", pk=pk)


@require_POST
@permission_required("deliberation.manage")
def meeting_participant_withdraw(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """撤回 one invitation (reason required): the person is told and their sign-in code stops working."""
    meeting = _meeting(request, pk)
    participant = get_object_or_404(meeting.participants.all(), pk=participant_pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect("web:meeting_detail", pk=pk)
    try:
        participants.participant_withdraw(actor=request.user, meeting=meeting, participant=participant,
                                          reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回对 %(name)s 的邀请，其签到码已作废。") % {"name": mask_name(participant.person.name)})
    return redirect("web:meeting_detail", pk=pk)


@require_POST
@login_required
@idempotent
def meeting_speak(request: HttpRequest, pk: int) -> HttpResponse:
    """网上议事: a participant posts their own opinion (a free-speech step) until the closing time."""
    meeting = _meeting(request, pk)
    topic = meeting.agenda.filter(topic_id=request.POST.get("topic") or None).first()
    try:
        procedure.step_record(actor=request.user, meeting=meeting, kind=StepKind.SPEECH,
                              text=posted_text(request.POST, "text"), speaker=person_for_user(request.user),
                              topic=topic.topic if topic else None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("您的意见已发表。"))
    return redirect("web:meeting_detail", pk=pk)


ACTIONS = {
    "notify": (services.meeting_notify, gettext_lazy("已通知全部参会人员（站内消息和短信）。")),
    "start": (services.meeting_start, gettext_lazy("会议开始，议题进入“协商中”。")),
    "close": (services.meeting_close, gettext_lazy("会议已结束。")),
}


@require_POST
@permission_required("deliberation.manage")
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    if action not in ACTIONS:
        return redirect("web:meeting_detail", pk=pk)
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") or f"/meetings/{pk}/")


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    record = minutes(meeting)
    for topic in record.topics:
        for vote in topic.votes:
            vote.result_shown = shown_result(vote.result)
    return render(request, "web/pages/deliberation/minutes.html", {"minutes": record, "meeting": meeting})
