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

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.dates import full_moment, moment_text, page_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notification_new, notifications_save, notify_many

from .. import wording
from ..bodies import body_chair_refusal, may_take_from_above
from ..choices import Cadence, MeetingForm, MeetingStatus, Party, TopicStatus, VenueKind, VoteStatus
from ..models import AgendaItem, Meeting, Participant, ProcessTemplate, Topic, Venue
from ..rules import not_invitable
from ..selectors.parties import count_parties, party_scope
from ..transitions import MEETING_TRANSITIONS, MERGEABLE
from ..wording import listed, said
from .locality import plan_problems
from .topics import topic_transition

M = MeetingStatus
# Meetings that hold their venue (and their topics).
ACTIVE = (M.PLANNED, M.IN_PROGRESS)
MAX_TITLE = 200
MAX_PARTICIPANTS = 500


def require_manage(actor, obj) -> None:
    if not has_perm(actor, "deliberation.manage", obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以安排和主持协商会议。"))


# ---- venues ---------------------------------------------------------------------------------------------

@transaction.atomic
def venue_save(*, actor, name: str, kind: str, area: Area, capacity: int, address: str = "",
               is_active: bool = True, venue: Venue | None = None) -> Venue:
    """Register a venue (议事厅、站、点) or change one; events venue.created / venue.updated."""
    if not has_perm(actor, "deliberation.venues", area) or (venue and not has_perm(actor, "deliberation.venues", venue)):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以维护议事场所。"))
    name = (name or "").strip()
    if not name:
        raise DomainError("required", _("请填写场所名称。"), details={"field": "name"})
    if kind not in VenueKind.values:
        raise DomainError("invalid_choice", _("场所类型应为议事厅、议事站或议事点。"), details={"field": "kind"})
    if not isinstance(capacity, int) or capacity < 1:
        raise DomainError("invalid_capacity", _("容纳人数至少为 1。"), details={"field": "capacity"})
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
    """One finding of the check. `words` are lazy (`wording.said`): `message` is in the language of whoever reads
    it (the planner's page), the warnings kept on the meeting in the site's (`kept`)."""

    code: str
    words: str
    field: str = ""

    @property
    def message(self) -> str:
        return str(self.words)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "field": self.field}

    def kept(self) -> dict[str, str]:
        """As stored on the meeting (Meeting.warnings): a record, in the site's language whoever planned it."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.as_dict()


@dataclass
class CheckReport:
    """What the template says about a plan: errors block it, warnings are stored on the meeting."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    missing_parties: list[str] = field(default_factory=list)
    # (person id, party): labelled with one of the eight parties they do not hold (kept, not counted)
    unverified: list[tuple[int, str]] = field(default_factory=list)
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
        report.add(True, "required", said(gettext_lazy("请指定主持人。")), "chair")
        return
    eligible, roles = _chair_eligible(template, level_area, chair)
    if not eligible:
        from yishiting.areas.choices import Role

        names = listed(Role(r).label for r in roles if r in Role.values)
        report.add(True, "chair_not_eligible",
                   said(gettext_lazy("%(level)s层级的议题须由%(name)s或上级的%(names)s主持。"), level=level_area.level.name, name=level_area.name, names=names), "chair")


def _check_body_chair(report: CheckReport, template: ProcessTemplate, level_area: Area, chair: Person | None) -> None:
    """Issue 20: an estate's or a building's standing body is chaired by its party branch or group leader."""
    refusal = body_chair_refusal(template, level_area, chair)
    if refusal and not any(p.code == "chair_not_eligible" for p in report.errors):
        report.add(True, "chair_not_eligible", refusal, "chair")


def _check_parties(report: CheckReport, template: ProcessTemplate, level_area: Area, topics: Sequence[Topic],
                   people: list[Invitee]) -> None:
    """The 1+8+N parties: a label of the eight counts only when its person holds it in the matter's place
    (selectors.parties); a label not held is a warning on that person and the party stays missing."""
    count = count_parties([(p.person.pk, p.party) for p in people], party_scope(level_area, topics))
    names = {p.person.pk: mask_name(p.person.name) for p in people}
    report.unverified = count.unverified
    for pk, party in count.unverified:
        report.add(False, "party_unverified", wording.party_unverified(names[pk], party), "participants")
    report.missing_parties = count.missing(template.required_parties)
    if report.missing_parties:
        report.add(template.parties_block, "parties_missing", wording.parties_missing(report.missing_parties),
                   "participants")


def party_report(meeting: Meeting) -> CheckReport:
    """The party findings of a planned meeting's list as it is now (after a late invitation or a withdrawal,
    and again when the invitations go out: roles may have changed since the plan): labels not held, and the
    template's parties nobody on the list holds."""
    people = [Invitee(p.person, p.party) for p in meeting.participants.select_related("person")]
    topics = [item.topic for item in meeting.agenda.select_related("topic")]
    report = CheckReport()
    _check_parties(report, meeting.template, meeting.level_area, topics, people)
    return report


def party_problems(meeting: Meeting) -> list[Problem]:
    report = party_report(meeting)
    return [*report.errors, *report.warnings]


def _require_parties_at_notice(meeting: Meeting) -> None:
    """Before the invitations go out the parties are counted again: a template that blocks on a missing party
    refuses to send (400 parties_missing, naming them); otherwise the findings kept on the meeting are renewed."""
    report = party_report(meeting)
    if not report.ok:
        raise DomainError("parties_missing", _("发出通知前须补齐各方：%(problem)s") % {"problem": report.errors[0].message},
                          details={"field": "participants", "missing_parties": report.missing_parties,
                                   "unverified": [{"person": pk, "party": party} for pk, party in report.unverified]})
    kept = [w for w in meeting.warnings or [] if w.get("code") not in ("parties_missing", "party_unverified")]
    meeting.warnings = [*kept, *(p.kept() for p in report.warnings)]
    meeting.save(update_fields=["warnings"])


def _check_people(report: CheckReport, template: ProcessTemplate, chair: Person | None,
                  people: list[Invitee]) -> None:
    ids = [p.person.pk for p in people]
    if len(ids) != len(set(ids)):
        report.add(True, "duplicate_participant", said(gettext_lazy("同一人不能重复邀请。")), "participants")
    if any(p.party not in Party.values for p in people):
        report.add(True, "invalid_party", said(gettext_lazy("参会人员的代表方不正确。")), "participants")
    if len(people) > MAX_PARTICIPANTS:
        report.add(True, "too_many", said(gettext_lazy("参会人员不能超过 %(MAX_PARTICIPANTS)s 人。"), MAX_PARTICIPANTS=MAX_PARTICIPANTS), "participants")
    report.size = len(set(ids) | ({chair.pk} if chair else set()))
    if template.min_size and report.size < template.min_size:
        report.add(True, "too_few", wording.too_few(template.name, template.min_size, report.size),
                   "participants")
    if template.max_size and report.size > template.max_size:
        report.add(True, "too_many", said(gettext_lazy("%(name)s至多 %(max_size)s 人参加（含主持人），现在 %(size)s 人。"), name=template.name, max_size=template.max_size, size=report.size),
                   "participants")


def _check_venue(report: CheckReport, form: str, venue: Venue | None, starts_at: datetime, ends_at: datetime,
                 exclude: int | None) -> None:
    if venue is None:
        if form != MeetingForm.ONLINE:
            report.add(True, "required", said(gettext_lazy("现场会议须选择议事场所。")), "venue")
        return
    if not venue.is_active:
        report.add(True, "venue_inactive", said(gettext_lazy("场所“%(name)s”已停用。"), name=venue.name), "venue")
    if report.size > venue.capacity:
        report.add(True, "venue_too_small", said(gettext_lazy("“%(name)s”只能容纳 %(capacity)s 人，本次 %(size)s 人。"), name=venue.name, capacity=venue.capacity, size=report.size), "venue")
    clash = (Meeting.objects.filter(venue=venue, status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(pk=exclude).order_by("starts_at").first())
    if clash is not None:
        at = timezone.localtime(clash.starts_at)
        report.add(True, "venue_clash", said(gettext_lazy("“%(name)s”在 %(at)s 已安排“%(title)s”，时间冲突。"), name=venue.name, at=moment_text(at), title=clash.title),
                   "venue")


def _check_time(report: CheckReport, template: ProcessTemplate, starts_at: datetime, ends_at: datetime,
                now: datetime) -> None:
    if ends_at <= starts_at:
        report.add(True, "invalid_time", said(gettext_lazy("结束时间须晚于开始时间。")), "ends_at")
    earliest = now + timedelta(days=template.notice_days)
    if starts_at < earliest:
        report.add(True, "notice_too_short",
                   said(gettext_lazy("须至少提前 %(notice_days)s 天通知参会人员：最早可安排在 %(earliest)s 之后。"), notice_days=template.notice_days, earliest=moment_text(earliest)), "starts_at")


def _check_topics(report: CheckReport, level_area: Area, topics: Sequence[Topic], exclude: int | None) -> None:
    if not topics:
        report.add(True, "required", said(gettext_lazy("议程中至少要有一个议题。")), "topics")
    for topic in topics:
        if topic.status not in MERGEABLE:
            report.add(True, "topic_not_ready", said(gettext_lazy("议题“%(title)s”已%(status)s，不能列入议程。"), title=topic.title, status=topic.get_status_display()),
                       "topics")
        elif not topic.path.startswith(level_area.path) and not may_take_from_above(topic, level_area):
            report.add(True, "topic_outside_level",
                       said(gettext_lazy("议题“%(title)s”不在%(name)s范围内；上级议题须由上级召集。"), title=topic.title, name=level_area.name), "topics")
    busy = (AgendaItem.objects.filter(topic__in=topics, meeting__status__in=ACTIVE).exclude(meeting_id=exclude)
            .select_related("topic", "meeting"))
    for item in busy:
        report.add(True, "topic_on_other_meeting", said(gettext_lazy("议题“%(title)s”已列入“%(title2)s”的议程。"), title=item.topic.title, title2=item.meeting.title),
                   "topics")


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def plan_template(topics: Sequence[Topic], level_area: Area,
                  asked: ProcessTemplate | None = None) -> ProcessTemplate:
    """The template a meeting runs under: the one its agenda topics run under — each took its area's template
    when it was formed (docs/templates.md), so the area decides and the planner does not choose. A topic with
    none (formed before templates) goes by the level's area. Topics under different templates are planned
    apart (400 mixed_templates); a caller naming another template is refused (400 template_by_area), so the
    meeting's size, parties, notice and the topics' locality rules are read from one and the same template."""
    from ..selectors.templates import template_for_area

    found = {t.template_id: t.template for t in topics if t.template_id}
    if len(found) > 1:
        raise DomainError("mixed_templates", _("所选议题适用不同的议事规则模板（%(names)s），请分开安排会议。")
                          % {"names": listed(sorted(t.name for t in found.values()))}, details={"field": "topics"})
    template = next(iter(found.values())) if found else template_for_area(level_area)
    if template is None:
        raise DomainError("no_template", _("尚未设置议事规则模板，请联系管理员。"))
    if asked is not None and asked.pk != template.pk:
        raise DomainError("template_by_area", _("本次议题适用“%(name)s”（按议题所在区域确定），不能另选模板。")
                          % {"name": template.name}, details={"field": "template_code", "template": template.code})
    return template


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
        report.add(True, "form_not_allowed", said(gettext_lazy("%(name)s不采用这种会议形式。"), name=template.name), "form")
    _check_chair(report, template, level_area, chair)
    _check_body_chair(report, template, level_area, chair)
    _check_people(report, template, chair, people)
    _check_parties(report, template, level_area, topics, people)
    _check_venue(report, form, venue, starts_at, ends_at, exclude)
    _check_time(report, template, starts_at, ends_at, now or timezone.now())
    _check_topics(report, level_area, topics, exclude)
    for code, words in plan_problems(topics, form, [p.person.pk for p in people]):  # the topics' locality rules
        report.add(True, code, words)
    return report


def require_invitable(actor, level_area: Area, person_ids: Sequence[int]) -> None:
    """Everyone on the list must be someone `actor` may invite to a meeting at `level_area` (rules
    `deliberation.invite`): people in their own view, and beyond it only officials above the level and the
    district's public capacities (两代表一委员、驻区单位、法律顾问、专家). Refused whole with 400
    invitee_not_allowed; the ids are those refused, nothing else about them (they may be out of view)."""
    refused = not_invitable(actor, level_area, person_ids)
    if refused:
        raise DomainError("invitee_not_allowed",
                          _("有 %(refused)s 位所选人员不在可邀请范围内：可以邀请本辖区的人员，以及上级区域的干部、本区的两代表一委员、驻区单位和“双报到”单位代表、法律顾问、专家和承办单位人员；其他社区的居民须由共同的上级召集。") % {"refused": len(refused)},
                          details={"field": "participants", "people": refused})


def raise_for(report: CheckReport) -> None:
    """Every blocking problem in one error: a single venue clash is a 409, anything else a 400 `plan_invalid`."""
    if report.ok:
        return
    details = {"errors": [p.as_dict() for p in report.errors], "warnings": [p.as_dict() for p in report.warnings],
               "missing_parties": report.missing_parties,
               "unverified": [{"person": pk, "party": party} for pk, party in report.unverified]}
    message = _("会议安排不符合议事规则：%(problems)s。") % {
        "problems": _("；").join(p.message.rstrip("。.") for p in report.errors)}
    if [p.code for p in report.errors] == ["venue_clash"]:
        raise Conflict("venue_clash", report.errors[0].message, details=details)
    raise DomainError(report.errors[0].code if len(report.errors) == 1 else "plan_invalid", message, details=details)


# ---- the plan -------------------------------------------------------------------------------------------

def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("required", _("请填写会议名称。"), details={"field": "title"})
    if len(title) > MAX_TITLE:
        raise DomainError("too_long", _("会议名称不能超过 %(MAX_TITLE)s 字。") % {"MAX_TITLE": MAX_TITLE}, details={"field": "title"})
    return title


def _new_code() -> str:
    return secrets.token_hex(8)


def _create_people(meeting: Meeting, chair: Person, people: list[Invitee]) -> None:
    rows = [Participant(meeting=meeting, person=p.person, party=p.party, is_council_member=p.is_council_member,
                        sign_in_code=_new_code()) for p in people]
    if chair.pk not in {p.person.pk for p in people}:  # the chair is always on the list
        rows.insert(0, Participant(meeting=meeting, person=chair, party=Party.CHAIR, sign_in_code=_new_code()))
    Participant.objects.bulk_create(rows)


def roster(meeting: Meeting) -> list[dict]:
    """Who the meeting's plan invited, as meeting.planned records it: `verify` reconciles each participant's
    person, party and council seat with it (a quorum is counted from those rows)."""
    return [{"participant": pk, "person": person, "party": party, "council": council}
            for pk, person, party, council in meeting.participants.order_by("pk").values_list(
                "pk", "person_id", "party", "is_council_member")]


def _lock_topics(topics: Sequence[Topic]) -> list[Topic]:
    """The agenda topics, locked (no other plan takes them meanwhile), in the order given, each once."""
    order = list(dict.fromkeys(t.pk for t in topics))
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=order)}
    return [locked[pk] for pk in order if pk in locked]


@transaction.atomic
def meeting_plan(*, actor, title: str, form: str, template: ProcessTemplate | None, level_area: Area,
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
    template = plan_template(topics, level_area, template)  # the area's template decides, not the planner
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    report = meeting_check(template, level_area, form, chair, venue, starts_at, ends_at, participants, topics)
    raise_for(report)
    meeting = Meeting.objects.create(
        title=title, form=form, template=template, level_area=level_area, path=level_area.path, venue=venue,
        starts_at=starts_at, ends_at=ends_at, chair=chair, requirements=(requirements or "").strip(),
        warnings=[p.kept() for p in report.warnings], created_by=actor)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, topic=t, order=i) for i, t in enumerate(topics, 1)])
    _create_people(meeting, chair, _invitees(participants))
    event_append(subject=meeting, kind="meeting.planned", actor=actor, new_subject=True, payload={
        "title": title, "form": form, "template": template.code, "level": level_area.code,
        "venue": venue.pk if venue else None, "starts_at": starts_at, "ends_at": ends_at, "chair": chair.pk,
        "topics": [t.pk for t in topics], "size": report.size, "warnings": [p.code for p in report.warnings],
        "participants": roster(meeting)})
    for topic in topics:
        event_append(subject=topic, kind="topic.scheduled_in", actor=actor,
                     payload={"meeting": title, "meeting_id": meeting.pk, "form": form})
        if topic.status != TopicStatus.SCHEDULED:
            topic_transition(actor=actor, topic=topic, to=TopicStatus.SCHEDULED, kind="topic.scheduled",
                             payload={"meeting": meeting.pk})
    return meeting


def _invitation(meeting: Meeting, participant: Participant, agenda: list[str]) -> str:
    """The invitation sent to the participant alone: it greets them by their own name, in full; callers word it in
    the site's language (translation.override)."""
    at = timezone.localtime(meeting.starts_at)
    where = _("在%(venue)s") % {"venue": meeting.venue.name} if meeting.venue_id else _("在网上议事厅")
    return _("%(name)s您好，邀请您以%(party)s身份参加%(form)s“%(title)s”：%(at)s%(where)s举行。议程：%(agenda)s。"
             "签到码 %(code)s。") % {
        "name": participant.person.name, "party": participant.get_party_display(),
        "form": meeting.get_form_display(), "title": meeting.title, "at": full_moment(at), "where": where,
        "agenda": _("；").join(agenda), "code": participant.sign_in_code}


@transaction.atomic
def meeting_notify(*, actor, meeting: Meeting) -> Meeting:
    """Invite every participant (in-app, and SMS after commit) with time, venue and agenda; sets notified_at.
    Event meeting.notified. Idempotent: a meeting already notified is returned as it is."""
    require_manage(actor, meeting)
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("venue").get(pk=meeting.pk)
    if locked.notified_at is not None:
        return locked
    if locked.status != MeetingStatus.PLANNED:
        raise Conflict("invalid_state", _("会议%(status)s，不能再发出通知。") % {"status": locked.get_status_display()})
    _require_parties_at_notice(locked)
    agenda = [f"{item.order}. {item.topic.title}" for item in locked.agenda.select_related("topic")]
    participants = list(locked.participants.select_related("person"))
    with translation.override(settings.LANGUAGE_CODE):  # the invitation sent is in the site's language
        notifications_save([notification_new(person=participant.person, text=_invitation(locked, participant, agenda),
                                             link=f"/meetings/{locked.pk}", subject=locked) for participant in participants])
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
        raise Conflict("too_early", _("会议定于 %(starts_at)s 举行，当天才能开始。") % {"starts_at": page_day(meeting.starts_at)})
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
        raise Conflict("vote_open", _("还有表决未结束，请先结束表决再结束会议。"))
    locked = transition(meeting, to=MeetingStatus.CLOSED, actor=actor, table=MEETING_TRANSITIONS,
                        kind="meeting.closed")
    for topic in _agenda_topics(locked, TopicStatus.DELIBERATING):
        topic_transition(actor=actor, topic=topic, to=TopicStatus.ANALYSING, kind="topic.analysing",
                         reason=wording.kept(gettext_noop("会议结束时未形成决议，继续协商")), payload={"meeting": locked.pk})
    return locked


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """planned → cancelled (meeting.cancelled, reason required); its topics go back to `analysing`, and
    participants already invited are told."""
    require_manage(actor, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("取消会议须说明理由。"), details={"field": "reason"})
    locked = transition(meeting, to=MeetingStatus.CANCELLED, actor=actor, table=MEETING_TRANSITIONS,
                        kind="meeting.cancelled", payload={"reason": reason})
    for topic in _agenda_topics(locked, TopicStatus.SCHEDULED):
        topic_transition(actor=actor, topic=topic, to=TopicStatus.ANALYSING, kind="topic.analysing",
                         reason=wording.kept(gettext_noop("会议取消：%(reason)s"), reason=reason), payload={"meeting": locked.pk})
    if locked.notified_at:
        notify_many(people=(p.person for p in locked.participants.select_related("person")),
                    text=wording.kept(gettext_noop("会议“%(title)s”已取消：%(reason)s"), title=locked.title, reason=reason), link=f"/meetings/{locked.pk}", subject=locked)
    return locked
