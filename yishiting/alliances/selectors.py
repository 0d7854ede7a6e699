"""Reads: the alliances a person may open (their area's, or one whose member unit they are the liaison of), and
each alliance's parts with what their pages need already joined."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from yishiting.areas.selectors import person_of_user
from yishiting.common.rules import scope_for

from .choices import MemberStatus, TaskStatus, VersionStatus, VoteStatus
from .models import (
    Alliance,
    AssemblyVote,
    Clause,
    ClauseComment,
    CovenantVersion,
    JointMeeting,
    Member,
    Task,
    UnitRating,
)


def alliances_visible_to(user) -> QuerySet[Alliance]:
    query = scope_for(user, "alliances.view").q() | scope_for(user, "alliances.manage").q()
    person = person_of_user(user) if getattr(user, "is_authenticated", False) else None
    if person is not None:
        query |= Q(members__liaison=person, members__status=MemberStatus.ADMITTED)
    return (Alliance.objects.filter(query).distinct().select_related("area")
            .annotate(member_count=Count("members", filter=Q(members__status=MemberStatus.ADMITTED), distinct=True)))


def current_members(alliance: Alliance) -> QuerySet[Member]:
    return (alliance.members.filter(status=MemberStatus.ADMITTED)
            .select_related("organization__parent", "liaison", "accepted_version").order_by("admitted_on", "pk"))


def pending_members(alliance: Alliance) -> QuerySet[Member]:
    return (alliance.members.filter(status__in=[MemberStatus.APPLIED, MemberStatus.REVIEWED])
            .select_related("organization", "liaison", "accepted_version").order_by("applied_at", "pk"))


def past_members(alliance: Alliance) -> QuerySet[Member]:
    return (alliance.members.filter(status__in=[MemberStatus.WITHDRAWN, MemberStatus.REMOVED, MemberStatus.REJECTED])
            .select_related("organization").order_by("-ended_on", "-pk"))


def versions(alliance: Alliance) -> QuerySet[CovenantVersion]:
    return alliance.versions.annotate(clause_count=Count("clauses")).order_by("-number")


def current_version(alliance: Alliance) -> CovenantVersion | None:
    return alliance.versions.filter(status=VersionStatus.ADOPTED).first()


def clauses_with_comments(version: CovenantVersion) -> QuerySet[Clause]:
    comments = ClauseComment.objects.select_related("member__organization").order_by("created_at", "pk")
    return version.clauses.prefetch_related(Prefetch("comments", queryset=comments)).order_by("number")


def commented_units(version: CovenantVersion) -> set[int]:
    return set(ClauseComment.objects.filter(clause__version=version).values_list("member_id", flat=True))


def committees(alliance: Alliance, with_names: bool = False):
    rows = (alliance.committees.select_related("lead__organization")
            .prefetch_related("members__organization").annotate(task_count=Count("tasks")).order_by("pk"))
    if not with_names:
        return rows
    rows = list(rows)
    for committee in rows:
        committee.unit_names = [m.organization.name for m in committee.members.all()]
    return rows


def tasks(alliance: Alliance, year: int | None = None, quarter: int | None = None) -> QuerySet[Task]:
    rows = alliance.tasks.select_related("committee", "owner__organization", "proposed_by__organization", "demand")
    if year:
        rows = rows.filter(year=year)
    if quarter:
        rows = rows.filter(quarter=quarter)
    return rows.order_by("-year", "-quarter", "status", "pk")


def quarters(alliance: Alliance) -> list[tuple[int, int]]:
    return list(alliance.tasks.values_list("year", "quarter").distinct().order_by("-year", "-quarter"))


def open_votes(alliance: Alliance) -> QuerySet[AssemblyVote]:
    return votes(alliance).filter(status=VoteStatus.OPEN)


def votes(alliance: Alliance) -> QuerySet[AssemblyVote]:
    return alliance.votes.select_related("member__organization", "version").order_by("-opened_at", "-pk")


def meetings(alliance: Alliance) -> QuerySet[JointMeeting]:
    return alliance.meetings.annotate(present=Count("attendees")).order_by("-held_on", "-pk")


def ratings(alliance: Alliance, year: int) -> QuerySet[UnitRating]:
    return (alliance.ratings.filter(year=year).select_related("member__organization__parent", "vote")
            .order_by("grade", "member__pk"))


def done_share(alliance: Alliance, year: int, quarter: int) -> tuple[int, int]:
    rows = alliance.tasks.filter(year=year, quarter=quarter).exclude(status=TaskStatus.DROPPED)
    return rows.filter(status=TaskStatus.DONE).count(), rows.count()
