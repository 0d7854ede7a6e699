"""Reads of meetings (协商会议): who may see which, one meeting with everything recorded in it, the quorum,
and the data of the minutes (会议纪要). Callers show people's names masked (张*)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from ..choices import Party, StepKind
from ..models import AgendaItem, Meeting, MeetingStep, Participant, Resolution, Topic, Vote


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings held within the user's deliberation.view scope, and any meeting they are invited to (a
    district deputy at a community table). Latest start first, with venue, chair, level and template."""
    scope = scope_for(user, "deliberation.view")
    invited = Participant.objects.filter(person__user_id=getattr(user, "pk", None)).values("meeting_id")
    query = scope.q("path") | Q(pk__in=invited) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return (Meeting.objects.filter(query)
            .select_related("venue", "venue__area", "chair", "level_area", "template")
            .annotate(topic_count=Count("agenda", distinct=True))
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


def quorum(meeting: Meeting) -> Quorum:
    """Who is present, by party, and whether the council quorum of the meeting's template is met (one query)."""
    rows = list(meeting.participants.values_list("party", "is_council_member", "signed_in_at"))
    members = sum(1 for _, council, _ in rows if council)
    present = sum(1 for _, council, at in rows if council and at is not None)
    num, den = meeting.template.quorum_numerator, meeting.template.quorum_denominator
    by_party: dict[str, dict[str, int]] = {}
    for party, _, at in rows:
        counts = by_party.setdefault(party, {"invited": 0, "present": 0})
        counts["invited"] += 1
        counts["present"] += at is not None
    return Quorum(council_members=members, council_present=present, required=-(-members * num // den),
                  numerator=num, denominator=den, invited=len(rows), present=sum(1 for *_, at in rows if at),
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


def _attendance(meeting: Meeting) -> list[PartyAttendance]:
    parties: dict[str, PartyAttendance] = {}
    for p in meeting.participants.all():
        row = parties.setdefault(p.party, PartyAttendance(p.party, p.get_party_display(), [], []))
        (row.present if p.signed_in_at else row.absent).append(mask_name(p.person.name))
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
                   venue=str(meeting.venue.name) if meeting.venue_id else "网上议事厅",
                   chair=mask_name(meeting.chair.name), attendance=_attendance(meeting), quorum=quorum(meeting),
                   opening_steps=[s for s in steps if s.topic_id is None], topics=topics)
