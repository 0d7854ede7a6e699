"""Reads of the cadres app: archives within the reader's reach (the office's area, one's own, one's mentees'),
a cadre's credits per programme, the monthly ranking with its 优秀学员 and bottom flags, reports, pledges, and
the public pledge list of an area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from yishiting.areas.models import Person, RoleAssignment
from yishiting.areas.selectors import person_of_user
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import has_perm, scope_for

from .choices import PledgeStatus, ReportStatus
from .models import Attendance, Cadre, Honour, Mentor, Mentorship, Pledge, Programme, Report, Talk


def one_place(value) -> Decimal:
    """Credits as the office writes them, one decimal place, whatever the database's SUM returned (SQLite: 2)."""
    return Decimal(value or 0).quantize(Decimal("0.1"))


def _me(user) -> int | None:
    person = person_of_user(user)
    return person.pk if person is not None else None


def _has_archive_or_mentors(user_id) -> bool:
    return Person.objects.filter(Q(cadre__isnull=False) | Q(mentor__is_active=True), user_id=user_id).exists()


# Every page's menu asks whether the user keeps a 成长档案 or mentors: one query per user per 10 s and process,
# cleared in the process that registers a cadre or a mentor (the others see it within 10 s).
_archive_or_mentor = LocalCache("cadres_archive_or_mentor", _has_archive_or_mentors,
                                watch=(Cadre, Mentor, Person), ttl=10.0)


def has_archive_or_mentors(user) -> bool:
    """The user is a cadre with an archive or an active mentor of the pool (the 成长档案 menu entry)."""
    return bool(getattr(user, "is_authenticated", False)) and _archive_or_mentor.get(user.pk)


def archives_visible_to(user) -> QuerySet[Cadre]:
    """The office's area, the cadre's own archive, and a mentor's current mentees."""
    me = _me(user)
    reach = scope_for(user, "cadres.view").q()
    if me is not None:
        mentees = Mentorship.objects.filter(mentor__person_id=me, is_active=True).values("cadre")
        reach |= Q(person_id=me) | Q(pk__in=mentees)
    return Cadre.objects.filter(reach).select_related("person", "area")


def archive_search(rows: QuerySet[Cadre], *, text: str = "", kind: str = "") -> QuerySet[Cadre]:
    if text:
        rows = rows.filter(Q(person__name__contains=text) | Q(post__contains=text) | Q(area__name__contains=text))
    return rows.filter(kind=kind) if kind else rows


def own_archive(user) -> Cadre | None:
    me = _me(user)
    return Cadre.objects.filter(person_id=me).select_related("person", "area").first() if me else None


def mentee_archives(user) -> QuerySet[Cadre]:
    me = _me(user)
    return (Cadre.objects.filter(mentorships__mentor__person_id=me, mentorships__is_active=True)
            .select_related("person", "area").order_by("person__name", "pk")) if me else Cadre.objects.none()


def mentor_of(user) -> Mentor | None:
    me = _me(user)
    return Mentor.objects.filter(person_id=me, is_active=True).first() if me else None


def mentors_visible_to(user) -> QuerySet[Mentor]:
    return Mentor.objects.filter(scope_for(user, "cadres.view").q()).select_related("person", "area")


def mentors_for(cadre: Cadre) -> QuerySet[Mentor]:
    """Mentors of the pool who may mentor the cadre: those whose area covers the cadre's."""
    paths = [cadre.path[:n] for n in range(4, len(cadre.path) + 1, 4)]
    return (Mentor.objects.filter(is_active=True, path__in=paths).exclude(person_id=cadre.person_id)
            .select_related("person").order_by("person__name", "pk"))


def programmes_visible_to(user) -> QuerySet[Programme]:
    me = _me(user)
    reach = scope_for(user, "cadres.view").q()
    if me is not None:
        reach |= Q(cadres__person_id=me)
    return Programme.objects.filter(reach).distinct().select_related("area")


@dataclass
class ProgrammeCredits:
    programme: Programme
    credits: Decimal
    attended: int
    activities: int
    honours: list[date]


def credits_of(cadre: Cadre) -> list[ProgrammeCredits]:
    """Training attended: each programme of the cadre with credits earned, attendance and months honoured."""
    programmes = list(cadre.programmes.annotate(n=Count("activities", distinct=True)).order_by("-starts_on", "pk"))
    earned = {r["activity__programme"]: r for r in Attendance.objects.filter(cadre=cadre).order_by()
              .values("activity__programme").annotate(credits=Sum("credits"), attended=Count("pk"))}
    honours: dict[int, list[date]] = {}
    for h in Honour.objects.filter(cadre=cadre).order_by("month"):
        honours.setdefault(h.programme_id, []).append(h.month)
    return [ProgrammeCredits(p, one_place(earned.get(p.pk, {}).get("credits")),
                             earned.get(p.pk, {}).get("attended", 0), p.n, honours.get(p.pk, [])) for p in programmes]


@dataclass
class RankRow:
    cadre: Cadre
    rank: int
    credits: Decimal
    attended: int
    honoured: bool
    bottom: bool
    talked: bool


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)
    return first, following


def ranking(programme: Programme, month: date) -> list[RankRow]:
    """The month's credit ranking of every enrolled cadre, deterministic: more credits first; equal credits share a
    rank (1, 1, 3) and are listed by name then archive number. The bottom flag (约谈提醒) marks the cadres with
    fewer than `bottom_count` cadres below them, unless they share the top rank — so ties at the edge are all
    flagged, and nobody is flagged when everyone earned the same."""
    first, following = month_bounds(month)
    sums = {r["cadre"]: r for r in Attendance.objects.filter(
        activity__programme=programme, activity__held_on__gte=first, activity__held_on__lt=following)
        .order_by().values("cadre").annotate(credits=Sum("credits"), attended=Count("pk"))}
    cadres = list(programme.cadres.select_related("person", "area"))
    honoured = set(Honour.objects.filter(programme=programme, month=first).values_list("cadre_id", flat=True))
    talked = set(Talk.objects.filter(programme=programme, month=first).values_list("cadre_id", flat=True))
    scored = sorted(((one_place(sums.get(c.pk, {}).get("credits")), c) for c in cadres),
                    key=lambda pair: (-pair[0], pair[1].person.name, pair[1].pk))
    values = [credit for credit, _ in scored]
    rows = []
    for credit, cadre in scored:
        rank = 1 + sum(1 for v in values if v > credit)
        below = sum(1 for v in values if v < credit)
        rows.append(RankRow(cadre, rank, credit, sums.get(cadre.pk, {}).get("attended", 0), cadre.pk in honoured,
                            rank > 1 and below < programme.bottom_count, cadre.pk in talked))
    return rows


def reports_visible_to(user) -> QuerySet[Report]:
    """The office's area, one's own, a reviewer's area (experts of the pool), and every published example."""
    me = _me(user)
    reach = scope_for(user, "cadres.view").q() | Q(status=ReportStatus.PUBLISHED)
    if me is not None:
        reach |= Q(cadre__person_id=me)
        mentor = Mentor.objects.filter(person_id=me, is_active=True).first()
        if mentor is not None:
            reach |= Q(path__startswith=mentor.path)
    return Report.objects.filter(reach).select_related("cadre__person", "programme")


def pledges_visible_to(user) -> QuerySet[Pledge]:
    return Pledge.objects.filter(cadre__in=archives_visible_to(user).values("pk")).select_related("cadre__person")


def public_pledges(area_path: str) -> QuerySet[Pledge]:
    """Every pledge of the area's cadres, as the public page shows them (name and post only)."""
    return (Pledge.objects.filter(path__startswith=area_path).select_related("cadre__person", "cadre__area")
            .order_by("cadre__person__name", "cadre_id", "status", "due_on", "pk"))


def pledge_counts(rows: QuerySet[Pledge]) -> dict[str, int]:
    return rows.order_by().aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=PledgeStatus.DONE)),
        overdue=Count("pk", filter=Q(status=PledgeStatus.ACTIVE, is_overdue=True)))


def may_manage(user, obj) -> bool:
    return has_perm(user, "cadres.manage", obj)


def archive_pool(user) -> QuerySet[Person]:
    """Whom the training office may open an archive for: anyone of its area — living there or holding a role
    there, office or none (a young cadre in training often holds none) — who has no archive yet. Searched by the
    people picker (areas.pickers: by name, never listed)."""
    scope = scope_for(user, "cadres.manage")
    roles = RoleAssignment.objects.filter(scope.q("path"), is_active=True).values("person_id")
    return Person.objects.filter(scope.q("path") | Q(pk__in=roles)).exclude(pk__in=Cadre.objects.values("person_id"))


def trainee_pool(user, programme: Programme) -> QuerySet[Person]:
    """Whom the office may enrol in `programme`: people with an archive of the programme's area the office reads
    (whatever role they hold, or none), not yet enrolled. Searched by the people picker."""
    archives = (archives_visible_to(user).filter(path__startswith=programme.path)
                .exclude(pk__in=programme.cadres.values("pk")))
    return Person.objects.filter(pk__in=archives.values("person_id"))
