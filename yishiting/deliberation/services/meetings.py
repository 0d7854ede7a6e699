"""Meetings (协商会议) before they run: venues, the plan checked against the process template, the invitation,
cadence dates, and the meeting's own status (planned → in progress → closed, or cancelled).

What happens inside a running meeting (sign-in, quorum, recorded steps, resolutions) is in `procedure`.
Two plans booking one venue slot at once: the venue row is locked before the overlap check, so exactly one wins
and the other gets 409 `venue_clash`.
"""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.dates import day_text, full_moment, moment_text
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notification_new, notifications_save, notify_many

from ..choices import Cadence, MeetingForm, MeetingStatus, Party, TopicStatus, VenueKind, VoteStatus
from ..models import AgendaItem, Meeting, Participant, ProcessTemplate, Topic, Venue
from ..rules import not_invitable
from ..transitions import MEETING_TRANSITIONS, MERGEABLE
from .topics import topic_transition

M = MeetingStatus
# Meetings that hold their venue (and their topics).
ACTIVE = (M.PLANNED, M.IN_PROGRESS)
MAX_TITLE = 200
MAX_PARTICIPANTS = 500


def require_manage(actor, obj) -> None:
    if not has_perm(actor, "deliberation.manage", obj):
        raise PermissionDeniedError("只有本级或上级的社区两委、街道和区级干部可以安排和主持协商会议。")


# ---- venues ---------------------------------------------------------------------------------------------

@transaction.atomic
def venue_save(*, actor, name: str, kind: str, area: Area, capacity: int, address: str = "",
               is_active: bool = True, venue: Venue | None = None) -> Venue:
    """Register a venue (议事厅、站、点) or change one; events venue.created / venue.updated."""
    if not has_perm(actor, "deliberation.venues", area) or (venue and not has_perm(actor, "deliberation.venues", venue)):
        raise PermissionDeniedError("只有本级或上级的社区两委、街道和区级干部可以维护议事场所。")
    name = (name or "").strip()
    if not name:
        raise DomainError("required", "请填写场所名称。", details={"field": "name"})
    if kind not in VenueKind.values:
        raise DomainError("invalid_choice", "场所类型应为议事厅、议事站或议事点。", details={"field": "kind"})
    if not isinstance(capacity, int) or capacity < 1:
        raise DomainError("invalid_capacity", "容纳人数至少为 1。", details={"field": "capacity"})
    fields = {"name": name[:100], "kind": kind, "area": area, "path": area.path, "capacity": capacity,
              "address": (address or "").strip()[:200], "is_active": is_active}
    if venue is None:
        venue = Venue.objects.create(**fields)
        event_append(subject=venue, kind="venue.created", actor=actor, new_subject=True,
                     payload={"name": venue.name, "area": area.code, "capacity": capacity, "active": is_active,
                              "kind": kind, "address": venue.address})
        return venue
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    for key, value in fields.items():
        setattr(venue, key, value)
    venue.save()
    event_append(subject=venue, kind="venue.updated", actor=actor,
                 payload={"name": venue.name, "area": area.code, "capacity": capacity, "active": is_active,
                          "kind": kind, "address": venue.address})
    return venue


# ---- the check against the template ----------------------------------------------------------------------

@dataclass(frozen=True)
class Invitee:
    """One person invited to a meeting: the party they speak for, and whether they count for the quorum."""

    person: Person
    party: str
    is_council_member: bool = False


@dataclass
class Problem:
    code: str
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "field": self.field}


@dataclass
class CheckReport:
    """What the template says about a plan: errors block it, warnings are stored on the meeting."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    missing_parties: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, blocking: bool, code: str, message: str, field: str = "") -> None:
        (self.errors if blocking else self.warnings).append(Problem(code, message, field))


def _invitees(participants: Sequence) -> list[Invitee]:
    return [p if isinstance(p, Invitee) else Invitee(*p) for p in participants]


def _chair_eligible(template: ProcessTemplate, level_area: Area, chair: Person) -> tuple[bool, list[str]]:
    """Does the chair hold one of the level's chair roles at the level area or above it?"""
    roles = list(template.chairs.get(level_area.level.code, []))
    if not roles:
        return True, roles
    held = RoleAssignment.objects.filter(person=chair, role__in=roles, is_active=True,
                                         path__in=level_area.ancestor_paths())
    return held.exists(), roles


def _check_chair(report: CheckReport, template: ProcessTemplate, level_area: Area, chair: Person | None) -> None:
    if chair is None:
        report.add(True, "required", "请指定主持人。", "chair")
        return
    eligible, roles = _chair_eligible(template, level_area, chair)
    if not eligible:
        from yishiting.areas.choices import Role

        names = "、".join(str(Role(r).label) for r in roles if r in Role.values)
        report.add(True, "chair_not_eligible",
                   f"{level_area.level.name}层级的议题须由{level_area.name}或上级的{names}主持。", "chair")


def _check_parties(report: CheckReport, template: ProcessTemplate, people: list[Invitee]) -> None:
    present = {p.party for p in people}
    missing = [code for code in template.required_parties if code not in present]
    report.missing_parties = missing
    if missing:
        labels = "、".join(str(Party(code).label) if code in Party.values else code for code in missing)
        report.add(template.parties_block, "parties_missing", f"缺少以下各方代表：{labels}。", "participants")


def _check_people(report: CheckReport, template: ProcessTemplate, chair: Person | None,
                  people: list[Invitee]) -> None:
    ids = [p.person.pk for p in people]
    if len(ids) != len(set(ids)):
        report.add(True, "duplicate_participant", "同一人不能重复邀请。", "participants")
    if any(p.party not in Party.values for p in people):
        report.add(True, "invalid_party", "参会人员的代表方不正确。", "participants")
    if len(people) > MAX_PARTICIPANTS:
        report.add(True, "too_many", f"参会人员不能超过 {MAX_PARTICIPANTS} 人。", "participants")
    report.size = len(set(ids) | ({chair.pk} if chair else set()))
    if template.min_size and report.size < template.min_size:
        report.add(True, "too_few", f"{template.name}至少 {template.min_size} 人参加（含主持人），现在 {report.size} 人。",
                   "participants")
    if template.max_size and report.size > template.max_size:
        report.add(True, "too_many", f"{template.name}至多 {template.max_size} 人参加（含主持人），现在 {report.size} 人。",
                   "participants")


def _check_venue(report: CheckReport, form: str, venue: Venue | None, starts_at: datetime, ends_at: datetime,
                 exclude: int | None) -> None:
    if venue is None:
        if form != MeetingForm.ONLINE:
            report.add(True, "required", "现场会议须选择议事场所。", "venue")
        return
    if not venue.is_active:
        report.add(True, "venue_inactive", f"场所“{venue.name}”已停用。", "venue")
    if report.size > venue.capacity:
        report.add(True, "venue_too_small", f"“{venue.name}”只能容纳 {venue.capacity} 人，本次 {report.size} 人。", "venue")
    clash = (Meeting.objects.filter(venue=venue, status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(pk=exclude).order_by("starts_at").first())
    if clash is not None:
        at = timezone.localtime(clash.starts_at)
        report.add(True, "venue_clash", f"“{venue.name}”在 {moment_text(at)} 已安排“{clash.title}”，时间冲突。",
                   "venue")


def _check_time(report: CheckReport, template: ProcessTemplate, starts_at: datetime, ends_at: datetime,
                now: datetime) -> None:
    if ends_at <= starts_at:
        report.add(True, "invalid_time", "结束时间须晚于开始时间。", "ends_at")
    earliest = now + timedelta(days=template.notice_days)
    if starts_at < earliest:
        report.add(True, "notice_too_short",
                   f"须至少提前 {template.notice_days} 天通知参会人员：最早可安排在 "
                   f"{moment_text(earliest)} 之后。", "starts_at")


def _check_topics(report: CheckReport, level_area: Area, topics: Sequence[Topic], exclude: int | None) -> None:
    if not topics:
        report.add(True, "required", "议程中至少要有一个议题。", "topics")
    for topic in topics:
        if topic.status not in MERGEABLE:
            report.add(True, "topic_not_ready", f"议题“{topic.title}”已{topic.get_status_display()}，不能列入议程。",
                       "topics")
        elif not topic.path.startswith(level_area.path):
            report.add(True, "topic_outside_level",
                       f"议题“{topic.title}”不在{level_area.name}范围内；上级议题须由上级召集。", "topics")
    busy = (AgendaItem.objects.filter(topic__in=topics, meeting__status__in=ACTIVE).exclude(meeting_id=exclude)
            .select_related("topic", "meeting"))
    for item in busy:
        report.add(True, "topic_on_other_meeting", f"议题“{item.topic.title}”已列入“{item.meeting.title}”的议程。",
                   "topics")


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def meeting_check(template: ProcessTemplate, level_area: Area, form: str, chair: Person | None,
                  venue: Venue | None, starts_at: datetime, ends_at: datetime, participants: Sequence,
                  topics: Sequence[Topic] = (), *, exclude: int | None = None,
                  now: datetime | None = None) -> CheckReport:
    """Check a plan against the template (no writes): form, chair, the 1+8+N parties, size, venue capacity
    and clashes, days of notice, agenda topics. `participants` are Invitees or (person, party, council) tuples."""
    report = CheckReport()
    people = _invitees(participants)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if form not in MeetingForm.values or (template.meeting_forms and form not in template.meeting_forms):
        report.add(True, "form_not_allowed", f"{template.name}不采用这种会议形式。", "form")
    _check_chair(report, template, level_area, chair)
    _check_people(report, template, chair, people)
    _check_parties(report, template, people)
    _check_venue(report, form, venue, starts_at, ends_at, exclude)
    _check_time(report, template, starts_at, ends_at, now or timezone.now())
    _check_topics(report, level_area, topics, exclude)
    return report


def require_invitable(actor, level_area: Area, person_ids: Sequence[int]) -> None:
    """Everyone on the list must be someone `actor` may invite to a meeting at `level_area` (rules
    `deliberation.invite`): people in their own view, and beyond it only officials above the level and the
    district's public capacities (两代表一委员、驻区单位、法律顾问、专家). Refused whole with 400
    invitee_not_allowed; the ids are those refused, nothing else about them (they may be out of view)."""
    refused = not_invitable(actor, level_area, person_ids)
    if refused:
        raise DomainError("invitee_not_allowed",
                          f"有 {len(refused)} 位所选人员不在可邀请范围内：可以邀请本辖区的人员，以及上级区域的干部、"
                          "本区的两代表一委员、驻区单位和“双报到”单位代表、法律顾问、专家和承办单位人员；"
                          "其他社区的居民须由共同的上级召集。",
                          details={"field": "participants", "people": refused})


def raise_for(report: CheckReport) -> None:
    """Every blocking problem in one error: a single venue clash is a 409, anything else a 400 `plan_invalid`."""
    if report.ok:
        return
    details = {"errors": [p.as_dict() for p in report.errors], "warnings": [p.as_dict() for p in report.warnings],
               "missing_parties": report.missing_parties}
    message = "会议安排不符合议事规则：" + "；".join(p.message.rstrip("。") for p in report.errors) + "。"
    if [p.code for p in report.errors] == ["venue_clash"]:
        raise Conflict("venue_clash", report.errors[0].message, details=details)
    raise DomainError(report.errors[0].code if len(report.errors) == 1 else "plan_invalid", message, details=details)


# ---- the plan -------------------------------------------------------------------------------------------

def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("required", "请填写会议名称。", details={"field": "title"})
    if len(title) > MAX_TITLE:
        raise DomainError("too_long", f"会议名称不能超过 {MAX_TITLE} 字。", details={"field": "title"})
    return title


def _new_code() -> str:
    return secrets.token_hex(8)


def _create_people(meeting: Meeting, chair: Person, people: list[Invitee]) -> None:
    rows = [Participant(meeting=meeting, person=p.person, party=p.party, is_council_member=p.is_council_member,
                        sign_in_code=_new_code()) for p in people]
    if chair.pk not in {p.person.pk for p in people}:  # the chair is always on the list
        rows.insert(0, Participant(meeting=meeting, person=chair, party=Party.CHAIR, sign_in_code=_new_code()))
    Participant.objects.bulk_create(rows)


def _lock_topics(topics: Sequence[Topic]) -> list[Topic]:
    """The agenda topics, locked (no other plan takes them meanwhile), in the order given, each once."""
    order = list(dict.fromkeys(t.pk for t in topics))
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=order)}
    return [locked[pk] for pk in order if pk in locked]


@transaction.atomic
def meeting_plan(*, actor, title: str, form: str, template: ProcessTemplate, level_area: Area,
                 venue: Venue | None, starts_at: datetime, ends_at: datetime, chair: Person | None,
                 topics: Sequence[Topic], participants: Sequence, requirements: str = "") -> Meeting:
    """Plan a meeting: checked against the template (every blocking problem at once), agenda and participants
    (each with a sign-in code), warnings kept on the meeting. Event meeting.planned; the agenda topics move
    to `scheduled` (topic.scheduled)."""
    require_manage(actor, level_area)
    title = _clean_title(title)
    # (the chair is checked by the template instead: a chair role held at the level or above it)
    require_invitable(actor, level_area, [p.person.pk for p in _invitees(participants)])
    if venue is not None:  # hold the venue row: a second plan for the same slot waits here, then sees the clash
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
    topics = _lock_topics(topics)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    report = meeting_check(template, level_area, form, chair, venue, starts_at, ends_at, participants, topics)
    raise_for(report)
    meeting = Meeting.objects.create(
        title=title, form=form, template=template, level_area=level_area, path=level_area.path, venue=venue,
        starts_at=starts_at, ends_at=ends_at, chair=chair, requirements=(requirements or "").strip(),
        warnings=[p.as_dict() for p in report.warnings], created_by=actor)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, topic=t, order=i) for i, t in enumerate(topics, 1)])
    _create_people(meeting, chair, _invitees(participants))
    event_append(subject=meeting, kind="meeting.planned", actor=actor, new_subject=True, payload={
        "title": title, "form": form, "template": template.code, "level": level_area.code,
        "venue": venue.pk if venue else None, "starts_at": starts_at, "ends_at": ends_at, "chair": chair.pk,
        "topics": [t.pk for t in topics], "size": report.size, "warnings": [p.code for p in report.warnings]})
    for topic in topics:
        event_append(subject=topic, kind="topic.scheduled_in", actor=actor,
                     payload={"meeting": title, "meeting_id": meeting.pk, "form": form})
        if topic.status != TopicStatus.SCHEDULED:
            topic_transition(actor=actor, topic=topic, to=TopicStatus.SCHEDULED, kind="topic.scheduled",
                             payload={"meeting": meeting.pk})
    return meeting


def _invitation(meeting: Meeting, participant: Participant, agenda: list[str]) -> str:
    at = timezone.localtime(meeting.starts_at)
    where = f"在{meeting.venue.name}" if meeting.venue_id else "在网上议事厅"
    return (f"{mask_name(participant.person.name)}您好，邀请您以{participant.get_party_display()}身份参加"
            f"{meeting.get_form_display()}“{meeting.title}”：{full_moment(at)}{where}举行。"
            f"议程：{'；'.join(agenda)}。签到码 {participant.sign_in_code}。")


@transaction.atomic
def meeting_notify(*, actor, meeting: Meeting) -> Meeting:
    """Invite every participant (in-app, and SMS after commit) with time, venue and agenda; sets notified_at.
    Event meeting.notified. Idempotent: a meeting already notified is returned as it is."""
    require_manage(actor, meeting)
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("venue").get(pk=meeting.pk)
    if locked.notified_at is not None:
        return locked
    if locked.status != MeetingStatus.PLANNED:
        raise Conflict("invalid_state", f"会议{locked.get_status_display()}，不能再发出通知。")
    agenda = [f"{item.order}. {item.topic.title}" for item in locked.agenda.select_related("topic")]
    participants = list(locked.participants.select_related("person"))
    notifications_save(notification_new(person=participant.person, text=_invitation(locked, participant, agenda),
                                        link=f"/meetings/{locked.pk}", subject=locked) for participant in participants)
    locked.notified_at = timezone.now()
    locked.save(update_fields=["notified_at"])
    event_append(subject=locked, kind="meeting.notified", actor=actor, payload={"count": len(participants)})
    return locked


# ---- cadence --------------------------------------------------------------------------------------------

def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def cadence_dates(template: ProcessTemplate, start: date, count: int) -> list[date]:
    """The next `count` meeting dates after `start`: monthly on the same day (the month's last day when it is
    shorter), or 逢十议事 on the 10th, 20th and 30th (February's last day for its 30th); none → []."""
    dates: list[date] = []
    year, month = start.year, start.month
    if template.cadence == Cadence.MONTHLY:
        while len(dates) < count:
            year, month = _next_month(year, month)
            dates.append(_clamped(year, month, start.day))
    elif template.cadence == Cadence.TENS:
        while len(dates) < count:
            for day in (10, 20, 30):
                candidate = _clamped(year, month, day)
                if candidate > start and len(dates) < count:
                    dates.append(candidate)
            year, month = _next_month(year, month)
    return dates


# ---- the meeting's status -------------------------------------------------------------------------------

def _agenda_topics(meeting: Meeting, status: str) -> list[Topic]:
    return list(Topic.objects.filter(agenda_items__meeting=meeting, status=status).order_by("agenda_items__order"))


@transaction.atomic
def meeting_start(*, actor, meeting: Meeting) -> Meeting:
    """planned → in_progress (meeting.started), from the meeting day on; its topics scheduled → deliberating."""
    require_manage(actor, meeting)
    if timezone.localdate() < timezone.localdate(meeting.starts_at):
        raise Conflict("too_early", f"会议定于 {day_text(meeting.starts_at)} 举行，当天才能开始。")
    locked = transition(meeting, to=MeetingStatus.IN_PROGRESS, actor=actor, table=MEETING_TRANSITIONS,
                        kind="meeting.started")
    for topic in _agenda_topics(locked, TopicStatus.SCHEDULED):
        topic_transition(actor=actor, topic=topic, to=TopicStatus.DELIBERATING, kind="topic.deliberating",
                         payload={"meeting": locked.pk})
    return locked


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting) -> Meeting:
    """in_progress → closed (meeting.closed), once its votes are closed. A topic left without a resolution goes
    back to `analysing`."""
    require_manage(actor, meeting)
    if meeting.votes.filter(status=VoteStatus.OPEN).exists():
        raise Conflict("vote_open", "还有表决未结束，请先结束表决再结束会议。")
    locked = transition(meeting, to=MeetingStatus.CLOSED, actor=actor, table=MEETING_TRANSITIONS,
                        kind="meeting.closed")
    for topic in _agenda_topics(locked, TopicStatus.DELIBERATING):
        topic_transition(actor=actor, topic=topic, to=TopicStatus.ANALYSING, kind="topic.analysing",
                         reason="会议结束时未形成决议，继续协商", payload={"meeting": locked.pk})
    return locked


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """planned → cancelled (meeting.cancelled, reason required); its topics go back to `analysing`, and
    participants already invited are told."""
    require_manage(actor, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "取消会议须说明理由。", details={"field": "reason"})
    locked = transition(meeting, to=MeetingStatus.CANCELLED, actor=actor, table=MEETING_TRANSITIONS,
                        kind="meeting.cancelled", payload={"reason": reason})
    for topic in _agenda_topics(locked, TopicStatus.SCHEDULED):
        topic_transition(actor=actor, topic=topic, to=TopicStatus.ANALYSING, kind="topic.analysing",
                         reason=f"会议取消：{reason}", payload={"meeting": locked.pk})
    if locked.notified_at:
        notify_many(people=(p.person for p in locked.participants.select_related("person")),
                    text=f"会议“{locked.title}”已取消：{reason}", link=f"/meetings/{locked.pk}", subject=locked)
    return locked
