"""Reads of meetings (协商会议): who may see which, one meeting with everything recorded in it, the quorum,
and the data of the minutes (会议纪要). Callers show people's names masked (张*)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.areas.pickers import people_pick
from yishiting.common.dates import moment_text
from yishiting.common.masking import mask_name, public_name
from yishiting.common.paging import SubqueryCount
from yishiting.common.rules import scope_for

from .. import wording
from ..choices import IN_OFFICE_PARTIES, Party, StepKind
from ..models import AgendaItem, Meeting, MeetingStep, Participant, ProcessTemplate, Resolution, Topic, Vote
from ..rules import ANCESTOR_ROLES, invitable_q
from .parties import meeting_party_count


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings held within the user's deliberation.view scope, and any meeting they are invited to (a
    district deputy at a community table). Latest start first, with venue, chair, level and template."""
    scope = scope_for(user, "deliberation.view")
    invited = Participant.objects.filter(person__user_id=getattr(user, "pk", None)).values("meeting_id")
    if not getattr(user, "is_authenticated", False):
        query = Q(pk__in=[])
    else:  # everything: Q() alone (Q() | x would narrow it to x)
        query = scope.q("path") if scope.everything else scope.q("path") | Q(pk__in=invited)
    return (Meeting.objects.filter(query)
            .select_related("venue", "venue__area", "chair", "level_area", "template")
            .annotate(topic_count=SubqueryCount(AgendaItem.objects.filter(meeting=OuterRef("pk"))))
            .order_by("-starts_at", "-pk"))


def meeting_search(queryset: QuerySet[Meeting], *, status: str | None = None, form: str | None = None,
                   area_path: str | None = None, start: date | None = None, end: date | None = None,
                   text: str | None = None, topic_id: int | None = None) -> QuerySet[Meeting]:
    """One filter for the API list and the meeting pages: status, form, area, a date range, words in the title,
    a topic on the agenda."""
    if status:
        queryset = queryset.filter(status=status)
    if form:
        queryset = queryset.filter(form=form)
    if area_path:
        queryset = queryset.filter(path__startswith=area_path)
    if start:
        queryset = queryset.filter(starts_at__date__gte=start)
    if end:
        queryset = queryset.filter(starts_at__date__lte=end)
    if text:
        queryset = queryset.filter(title__icontains=text)
    if topic_id:
        queryset = queryset.filter(agenda__topic_id=topic_id)
    return queryset


def meeting_details(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The same meetings with their agenda, participants, steps, votes and resolutions prefetched."""
    return queryset.prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("topic", "topic__proposer")
                 .annotate(demand_count=Count("topic__demands")).order_by("order")),
        Prefetch("participants", queryset=Participant.objects.select_related("person").order_by("party", "pk")),
        Prefetch("steps", queryset=MeetingStep.objects.select_related("speaker").order_by("seq")),
        Prefetch("votes", queryset=Vote.objects.order_by("pk")),
        Prefetch("resolutions", queryset=Resolution.objects.select_related("topic").order_by("pk")),
    )


def meeting_detail(meeting_id: int, user) -> Meeting | None:
    """One meeting the user may see, with everything recorded in it; None when it is not visible."""
    return meeting_details(meetings_visible_to(user)).filter(pk=meeting_id).first()


# ---- whom to invite -------------------------------------------------------------------------------------

# The party a person speaks for by default, from the role they hold (staff can change it on the plan).
ROLE_PARTY = {
    Role.RESIDENT: Party.RESIDENT, Role.OWNER: Party.RESIDENT, Role.BUILDING_HEAD: Party.RESIDENT,
    Role.UNIT_HEAD: Party.RESIDENT, Role.CENTRAL_HOUSEHOLD: Party.RESIDENT, Role.PARTY_MEMBER: Party.RESIDENT,
    Role.RED_BUILDING_HEAD: Party.RESIDENT, Role.ESTATE_BRANCH_SECRETARY: Party.RESIDENT,
    Role.GRID_PARTY_GROUP_LEADER: Party.RESIDENT, Role.BUILDING_PARTY_GROUP_LEADER: Party.RESIDENT,
    Role.GRID_WORKER: Party.GRID_WORKER, Role.GRID_LEADER: Party.GRID_WORKER, Role.SECTOR_HEAD: Party.GRID_WORKER,
    Role.ZONE_HEAD: Party.GRID_WORKER, Role.DEPUTY: Party.DEPUTY,
    Role.LAWYER: Party.LEGAL_ADVISER, Role.EXPERT: Party.PROFESSIONAL, Role.COMMUNITY_STAFF: Party.STAFF,
    Role.COMMUNITY_SECRETARY: Party.STAFF, Role.STREET_OFFICIAL: Party.LEADER, Role.DISTRICT_OFFICIAL: Party.LEADER,
    Role.INSERVICE_PARTY_MEMBER: Party.DUAL_REGISTRATION, Role.HANDLER: Party.STAKEHOLDER,
}
ORG_PARTY = {
    OrganizationKind.PROPERTY_COMPANY: Party.PROPERTY, OrganizationKind.OWNERS_COMMITTEE: Party.OWNERS_COMMITTEE,
    OrganizationKind.SOCIAL_ORGANIZATION: Party.SOCIAL_ORG, OrganizationKind.LAW_FIRM: Party.LEGAL_ADVISER,
    OrganizationKind.DUAL_REGISTRATION_UNIT: Party.DUAL_REGISTRATION,
    OrganizationKind.RESIDENT_UNIT: Party.DUAL_REGISTRATION,
}


def suggested_party(role: RoleAssignment | None) -> str:
    """The party a role's holder speaks for by default (an organization's representative: its kind's)."""
    if role is None:
        return Party.STAKEHOLDER
    if role.role == Role.ORG_REPRESENTATIVE and role.organization_id:
        return ORG_PARTY.get(role.organization.kind, Party.STAKEHOLDER)
    return ROLE_PARTY.get(role.role, Party.STAKEHOLDER)


def leaders_above(level_area: Area) -> QuerySet[RoleAssignment]:
    """Officials and public roles held at the areas above a meeting's level (street, district): listed on the
    plan by default, as the existing table did for street and district officials."""
    return (RoleAssignment.objects.filter(is_active=True, path__in=level_area.ancestor_paths()[:-1],
                                          role__in=ANCESTOR_ROLES)
            .select_related("person", "organization", "area").order_by("path", "role"))


def chair_candidates(level_area: Area) -> QuerySet[Person]:
    """Who may chair a meeting at `level_area`: whoever an active template lets chair at its level, holding
    that role at the level or above it (the plan's check then holds the chosen template). The plan's chair
    picker searches these, and the plan form accepts only these."""
    roles = {role for t in ProcessTemplate.objects.filter(is_active=True)
             for role in (t.chairs or {}).get(level_area.level.code, [])}
    return Person.objects.filter(roles__is_active=True, roles__role__in=roles,
                                 roles__path__in=level_area.ancestor_paths()).distinct().order_by("name")


def invitee_search(actor, level_area: Area, term: str) -> list[tuple[Person, RoleAssignment | None]]:
    """The API's picker: people `actor` may invite to a meeting at `level_area` (rules `deliberation.invite`)
    matching `term` (areas.pickers: whole name, mobile, pinyin of an office holder's whole name, role, title,
    organization, area, building or unit), the level first, with the role each row names. Callers mask."""
    pool = Person.objects.filter(invitable_q(actor, level_area))
    page = people_pick(actor, pool, term, near=[level_area.path], reveal=False)
    return [(row.person, row.role) for row in page.rows]


def missing_parties(meeting: Meeting) -> list[str]:
    """The 1+8+N parties the meeting's template requires that nobody on its list actually holds now
    (selectors.parties; from the prefetched participants and agenda of `meeting_details`, else more queries)."""
    return meeting_party_count(meeting).missing(meeting.template.required_parties)


def unverified_warnings(meeting: Meeting) -> list[str]:
    """Each label on the meeting's list that its person does not hold, worded for the reader."""
    people = {p.person_id: p.person for p in meeting.participants.all()}
    return [str(wording.party_unverified(mask_name(people[pk].name), party))
            for pk, party in meeting_party_count(meeting).unverified]


def meeting_warnings(meeting: Meeting) -> list[str]:
    """The findings kept on a planned meeting as its page shows them: as kept (in the site's language) or, on a
    page in another language, worded again from the meeting itself (its missing parties, its size, the people
    invited late); from the prefetched participants of `meeting_details`."""
    kept = meeting.warnings or []
    if translation.get_language() == settings.LANGUAGE_CODE:
        return [w.get("message", "") for w in kept]
    people = {p.person_id: p for p in meeting.participants.all()}
    template, shown = meeting.template, []
    if any(w.get("code") == "party_unverified" for w in kept):  # worded again from the list as it is now
        shown += unverified_warnings(meeting)
    for w in kept:
        code, missing = w.get("code"), missing_parties(meeting)
        if code == "party_unverified":
            continue
        if code == "parties_missing" and missing:
            shown.append(str(wording.parties_missing(missing)))
        elif code == "too_few":
            shown.append(str(wording.too_few(template.name, template.min_size, len(people))))
        elif code == "notice_too_short" and w.get("person") in people:
            name = mask_name(people[w["person"]].person.name)
            shown.append(str(wording.late_notice(template.notice_days, name, moment_text(meeting.starts_at))))
        else:
            shown.append(w.get("message", ""))
    return shown


# The meeting's own events in plain words (the dossier words the same kinds for the whole matter).
MEETING_WHAT = {
    "meeting.planned": lambda p: _("安排会议“%(title)s”（%(size)s 人）") % {"title": p.get("title", ""), "size": p.get("size", 0)},
    "meeting.notified": lambda p: _("发出会议通知（%(count)s 人）") % {"count": p.get("count", 0)},
    "meeting.started": lambda p: _("会议开始"),
    "meeting.closed": lambda p: _("会议结束"),
    "meeting.cancelled": lambda p: _("会议取消（理由：%(reason)s）") % {"reason": p.get("reason", "")},
}
# Sign-ins, recorded steps and resolutions have their own sections of the page.
TIMELINE_SKIPS = ("meeting.signed_in", "meeting.step", "meeting.resolution")
# Late invitations and withdrawals keep their line as recorded (in the site's language); in another language
# the line is worded again from the event's payload.
LIST_CHANGES = ("meeting.participant_invited", "meeting.participant_withdrawn")


def _list_change(kind: str, p: dict, names: dict[int, str]) -> str:
    name, party = names.get(p.get("person"), "—"), Party(p["party"]).label if p.get("party") in Party.values else ""
    if kind == "meeting.participant_withdrawn":
        return _("撤回%(name)s（%(party)s）的参会邀请，理由：%(reason)s") % {
            "name": name, "party": party, "reason": p.get("reason", "")}
    text = (_("追加邀请%(name)s以%(party)s身份参会，已发出通知") if p.get("notified")
            else _("追加邀请%(name)s以%(party)s身份参会，将随会议通知一并通知")) % {"name": name, "party": party}
    return text + (_("（通知时间不足）") if p.get("warnings") else "")


def _reworded_names(events: list) -> dict[int, str]:
    """Masked names of the people invited or withdrawn late, only when the page is not in the site's language."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return {}
    ids = {(e.payload or {}).get("person") for e in events if e.kind in LIST_CHANGES}
    return {pk: mask_name(name) for pk, name in Person.objects.filter(pk__in=ids - {None}).values_list("pk", "name")}


def meeting_timeline(meeting: Meeting) -> list:
    """The meeting's course (planned, notified, late invitations and withdrawals, started, closed) as the
    timeline lines of a topic — when, who (role and masked name), what — oldest first (two queries)."""
    from yishiting.common.events import events_of
    from yishiting.demands.timeline import TimelineLine, actor_labels, when_text

    events = list(events_of(meeting).exclude(kind__in=TIMELINE_SKIPS).order_by("at", "seq"))
    actors = actor_labels(events, meeting)
    names = _reworded_names(events)
    lines = []
    for e in events:
        p = e.payload or {}
        if e.kind in MEETING_WHAT:
            what = MEETING_WHAT[e.kind](p)
        elif e.kind in LIST_CHANGES and names:
            what = _list_change(e.kind, p, names)
        else:
            what = p.get("text") or _("更新了会议")
        lines.append(TimelineLine(at=e.at, when=when_text(e.at), who=actors.get(e.actor_id, _("系统")), what=what))
    return lines


# ---- quorum ---------------------------------------------------------------------------------------------

@dataclass
class Quorum:
    """Council members present against ⌈members × numerator / denominator⌉ (exact integers)."""

    council_members: int
    council_present: int
    required: int
    numerator: int
    denominator: int
    invited: int
    present: int
    by_party: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def applies(self) -> bool:
        """Only a meeting with council members has a quorum to meet."""
        return self.council_members > 0

    @property
    def met(self) -> bool:
        return self.council_present >= self.required


def _council_counts(meeting: Meeting, rows: list[tuple]) -> tuple[int, int]:
    """Members and members present: of the level's standing body where it has one (issue 20: its current
    membership, deliberation/bodies.py), else of the participants the plan marked as council members."""
    from ..bodies import quorum_seats

    seats = quorum_seats(meeting)
    if seats is None:
        return (sum(1 for _, council, _at, _p in rows if council),
                sum(1 for _, council, at, _p in rows if council and at is not None))
    return len(seats), sum(1 for _, _c, at, person in rows if person in seats and at is not None)


def quorum(meeting: Meeting) -> Quorum:
    """Who is present, by party, and whether the council quorum of the meeting's template is met (one query)."""
    rows = list(meeting.participants.values_list("party", "is_council_member", "signed_in_at", "person_id"))
    members, present = _council_counts(meeting, rows)
    num, den = meeting.template.quorum_numerator, meeting.template.quorum_denominator
    by_party: dict[str, dict[str, int]] = {}
    for party, _council, at, _person in rows:
        counts = by_party.setdefault(party, {"invited": 0, "present": 0})
        counts["invited"] += 1
        counts["present"] += at is not None
    return Quorum(council_members=members, council_present=present, required=-(-members * num // den),
                  numerator=num, denominator=den, invited=len(rows), present=sum(1 for _p, _c, at, _person in rows if at),
                  by_party=by_party)


# ---- minutes --------------------------------------------------------------------------------------------

@dataclass
class PartyAttendance:
    party: str
    label: str
    present: list[str]
    absent: list[str]


@dataclass
class MinutesTopic:
    order: int
    topic: Topic
    source: str
    demand_count: int
    proposer: str
    steps: list[MeetingStep]
    votes: list[Vote]
    resolution: Resolution | None


@dataclass
class Minutes:
    """Everything the 会议纪要 prints: when, where, who chaired, who came for each party, and per topic its
    source, the steps in order, the vote results and the resolution."""

    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    venue: str
    chair: str
    attendance: list[PartyAttendance]
    quorum: Quorum
    opening_steps: list[MeetingStep]
    topics: list[MinutesTopic]


def speaker_name(step: MeetingStep) -> str:
    """Who spoke, as the minutes print it: in full for a party in office (召集人, 社区工作人员…), else 张*."""
    return public_name(step.speaker.name, in_office=step.party in IN_OFFICE_PARTIES) if step.speaker_id else ""


def _attendance(meeting: Meeting) -> list[PartyAttendance]:
    parties: dict[str, PartyAttendance] = {}
    for p in meeting.participants.all():
        row = parties.setdefault(p.party, PartyAttendance(p.party, p.get_party_display(), [], []))
        name = public_name(p.person.name, in_office=p.party in IN_OFFICE_PARTIES)  # officials named, residents masked
        (row.present if p.signed_in_at else row.absent).append(name)
    order = {code: i for i, code in enumerate(Party.values)}
    return sorted(parties.values(), key=lambda row: order.get(row.party, len(order)))


def online_speeches(meeting: Meeting) -> list[MeetingStep]:
    """What participants have posted so far in an online meeting (网上议事), oldest first; from the prefetched
    steps of `meeting_details`."""
    return [step for step in meeting.steps.all() if step.kind == StepKind.SPEECH]


def minutes(meeting: Meeting) -> Minutes:
    """The minutes' data from what was recorded; `meeting` should come from `meeting_details` (prefetched)."""
    steps = list(meeting.steps.all())
    votes = list(meeting.votes.all())
    resolutions = {r.topic_id: r for r in meeting.resolutions.all()}
    topics = [MinutesTopic(order=item.order, topic=item.topic, source=item.topic.get_source_display(),
                           demand_count=getattr(item, "demand_count", 0),
                           proposer=mask_name(item.topic.proposer.name) if item.topic.proposer_id else "",
                           steps=[s for s in steps if s.topic_id == item.topic_id],
                           votes=[v for v in votes if v.topic_id == item.topic_id],
                           resolution=resolutions.get(item.topic_id))
              for item in meeting.agenda.all()]
    return Minutes(meeting=meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                   venue=str(meeting.venue.name) if meeting.venue_id else _("网上议事厅"),
                   chair=meeting.chair.name, attendance=_attendance(meeting), quorum=quorum(meeting),
                   opening_steps=[s for s in steps if s.topic_id is None], topics=topics)
