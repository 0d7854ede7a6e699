"""Reads of volunteering: what each person may see (scope), lists with their counts in one query, a volunteer's
record and totals (the certificate's content)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.common.rules import scope_for

from .choices import ActivityStatus, AttendanceStatus, ClaimStatus, ShiftStatus
from .models import Activity, Attendance, Post, PostClaim, Shift, Team, TeamMember
from .rules import led_team_ids, person_of
from .transitions import HOLDS_PLACE

T = AttendanceStatus


def _scope_q(user, path_field: str = "path") -> Q:
    """Rows of the user's community (members) or subtree (staff); plus the teams they lead."""
    scope = scope_for(user, "volunteers.view")
    if scope.empty:
        return Q(pk__in=[])
    return scope.q(path_field)


def teams_visible_to(user) -> QuerySet[Team]:
    q = _scope_q(user) | Q(pk__in=led_team_ids(user))
    return (Team.objects.filter(q, is_active=True).select_related("area")
            .annotate(member_count=Count("members", filter=Q(members__left_at__isnull=True))))


def activities_visible_to(user) -> QuerySet[Activity]:
    q = _scope_q(user) | Q(team_id__in=led_team_ids(user))
    return (Activity.objects.filter(q).select_related("team", "area", "organiser")
            .annotate(taken=Count("attendances", filter=Q(attendances__status__in=HOLDS_PLACE)),
                      waiting=Count("attendances", filter=Q(attendances__status=T.WAITING)))
            .annotate(left=F("capacity") - F("taken")))


def upcoming(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Open activities not yet over, soonest first."""
    return queryset.filter(status=ActivityStatus.OPEN, ends_at__gt=timezone.now()).order_by("starts_at", "pk")


def past(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.exclude(status=ActivityStatus.OPEN, ends_at__gt=timezone.now()).order_by("-starts_at", "-pk")


def posts_visible_to(user) -> QuerySet[Post]:
    today = timezone.localdate()
    in_force = Q(claims__status=ClaimStatus.ACTIVE, claims__starts_on__lte=today, claims__ends_on__gte=today)
    return (Post.objects.filter(_scope_q(user), is_active=True).select_related("area", "team")
            .annotate(holders=Count("claims", filter=in_force)))


def attendees(activity: Activity) -> QuerySet[Attendance]:
    """The organiser's list: who is coming, who checked in, who waits."""
    order = {T.CHECKED_IN: 0, T.SIGNED_UP: 1, T.CHECKED_OUT: 2, T.WAITING: 3, T.ABSENT: 4, T.CANCELLED: 5}
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*[When(status=s, then=Value(n)) for s, n in order.items()], output_field=IntegerField())
    return activity.attendances.select_related("person").annotate(rank=rank).order_by("rank", "signed_up_at", "pk")


def attendance_of(activity: Activity, person: Person | None) -> Attendance | None:
    if person is None:
        return None
    return activity.attendances.filter(person=person).exclude(status=T.CANCELLED).order_by("-pk").first()


def members(team: Team) -> QuerySet[TeamMember]:
    return team.members.filter(left_at__isnull=True).select_related("person")


def membership(team: Team, person: Person | None) -> TeamMember | None:
    return None if person is None else team.members.filter(person=person, left_at__isnull=True).first()


def claims_of_post(post: Post) -> QuerySet[PostClaim]:
    return post.claims.select_related("person").order_by("-starts_on", "-pk")


def shifts_waiting(post: Post) -> QuerySet[Shift]:
    return Shift.objects.filter(claim__post=post, status=ShiftStatus.LOGGED).select_related("person", "claim")


@dataclass
class Record:
    """A volunteer's record: confirmed activity attendances and shifts, with totals (the certificate)."""

    person: Person
    attendances: list[Attendance] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    claims: list[PostClaim] = field(default_factory=list)
    teams: list[TeamMember] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((a.hours or Decimal("0") for a in self.attendances), Decimal("0")) + \
            sum((s.hours for s in self.shifts if s.status == ShiftStatus.CONFIRMED), Decimal("0"))

    @property
    def services(self) -> int:
        return len(self.attendances) + len([s for s in self.shifts if s.status == ShiftStatus.CONFIRMED])

    @property
    def rating(self) -> Decimal | None:
        stars = [a.rating for a in self.attendances if a.rating] + \
            [s.rating for s in self.shifts if s.rating and s.status == ShiftStatus.CONFIRMED]
        return (Decimal(sum(stars)) / len(stars)).quantize(Decimal("0.1")) if stars else None

    @property
    def confirmed_shifts(self) -> list[Shift]:
        return [s for s in self.shifts if s.status == ShiftStatus.CONFIRMED]


def record_of(person: Person) -> Record:
    """Everything confirmed for the person, newest first (five queries whatever the volume)."""
    return Record(
        person=person,
        attendances=list(Attendance.objects.filter(person=person, status=T.CHECKED_OUT)
                         .select_related("activity__area", "activity__team").order_by("-checked_out_at", "-pk")),
        shifts=list(Shift.objects.filter(person=person).select_related("claim__post").order_by("-day", "-pk")),
        claims=list(PostClaim.objects.filter(person=person).select_related("post__area").order_by("-starts_on", "-pk")),
        teams=list(TeamMember.objects.filter(person=person, left_at__isnull=True).select_related("team")),
    )


def my_sign_ups(person: Person | None) -> QuerySet[Attendance]:
    """The person's sign-ups still to come (报名、候补、已签到)."""
    if person is None:
        return Attendance.objects.none()
    return (Attendance.objects.filter(person=person, status__in=[T.SIGNED_UP, T.WAITING, T.CHECKED_IN])
            .select_related("activity").order_by("activity__starts_at"))


def community_totals(path: str) -> dict:
    """Hours and people of an area's subtree (the team and community pages' headline)."""
    att = Attendance.objects.filter(path__startswith=path, status=T.CHECKED_OUT).aggregate(
        hours=Sum("hours"), people=Count("person", distinct=True))
    shifts = Shift.objects.filter(path__startswith=path, status=ShiftStatus.CONFIRMED).aggregate(hours=Sum("hours"))
    return {"hours": (att["hours"] or Decimal("0")) + (shifts["hours"] or Decimal("0")), "people": att["people"]}


def viewer_person(user) -> Person | None:
    return person_of(user)


def community_totals_of_team(team: Team) -> dict:
    """The team's confirmed hours and volunteers (its activities' attendances and its posts' shifts)."""
    att = Attendance.objects.filter(activity__team=team, status=T.CHECKED_OUT).aggregate(
        hours=Sum("hours"), people=Count("person", distinct=True))
    shifts = Shift.objects.filter(claim__post__team=team, status=ShiftStatus.CONFIRMED).aggregate(hours=Sum("hours"))
    return {"hours": (att["hours"] or Decimal("0")) + (shifts["hours"] or Decimal("0")), "people": att["people"]}


def shifts_of_claim(claim: PostClaim) -> QuerySet[Shift]:
    return claim.shifts.order_by("-day", "-pk")


def served_pool(user) -> QuerySet[Person]:
    """Whom a home visit may serve: residents where the viewer manages volunteering (the picker searches it)."""
    return Person.objects.filter(scope_for(user, "volunteers.manage").q("path")).select_related("household", "area")


def awaiting_rating(activity: Activity) -> QuerySet[Attendance]:
    """This home visit's volunteers checked out and not yet rated by the served person."""
    return activity.attendances.filter(status=T.CHECKED_OUT, rating__isnull=True).select_related("person")


def awaiting_my_rating(person: Person | None) -> QuerySet[Attendance]:
    """Volunteers who served this person at a home visit and wait for their rating (the rating confirms the
    hours)."""
    if person is None:
        return Attendance.objects.none()
    return (Attendance.objects.filter(activity__served=person, status=T.CHECKED_OUT, rating__isnull=True)
            .select_related("activity", "person").order_by("-checked_out_at", "pk"))
