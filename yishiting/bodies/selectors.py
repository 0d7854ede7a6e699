"""Reads of standing bodies: the bodies a viewer may see (search), a body's current members as the viewer may
read them (officials named with their office, residents masked unless the viewer may unmask them — audited),
its history from the event log, and the body of a kind at an area (what deliberation asks)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, When
from django.utils import timezone

from yishiting.areas.choices import IN_OFFICE_ROLES, Role
from yishiting.areas.models import Area, Organization, Person, RoleAssignment
from yishiting.common.audit import audit_record
from yishiting.common.masking import mask_name
from yishiting.common.models import AuditEntry, Event
from yishiting.common.rules import scope_for

from .choices import MemberRole
from .models import Body, Membership, current_q

MAX_SEARCH = 50


def bodies_visible_to(user, q: str = "", kind: str = "") -> QuerySet[Body]:
    """Active bodies in the viewer's bodies.view scope, with their area and kind, and the count of current seats;
    `q` matches the body's or its area's name."""
    scope = scope_for(user, "bodies.view")
    found = Body.objects.filter(scope.q(), is_active=True).select_related("area", "area__level", "kind")
    q = (q or "").strip()[:MAX_SEARCH]
    if q:
        found = found.filter(Q(name__icontains=q) | Q(area__full_name__icontains=q))
    if kind:
        found = found.filter(kind__code=kind)
    return (found.annotate(seats=Count("memberships", filter=current_q(prefix="memberships__")))
            .order_by("path", "kind__sort_order", "pk"))


def _community_path(body: Body) -> str:
    from yishiting.areas.models import PATH_STEP
    from yishiting.areas.selectors import community_depth

    return body.path[: community_depth() * PATH_STEP] or body.path


def member_pool(body: Body) -> QuerySet[Person]:
    """Who may be seated (services._clean_seat): people of the body's community, and holders of a role at an area
    above the body (street and district leaders, deputies, agencies)."""
    above = body.area.ancestor_paths()
    return Person.objects.filter(Q(path__startswith=_community_path(body)) | Q(pk__in=RoleAssignment.objects.filter(
        is_active=True, path__in=above).values("person_id")))


def organization_pool(body: Body) -> QuerySet[Organization]:
    """Units that may hold a seat: active organizations of the body's community or of an area above it."""
    return Organization.objects.filter(Q(path__startswith=_community_path(body)) | Q(path__in=body.area.ancestor_paths()),
                                       is_active=True)


def current_members(body: Body) -> QuerySet[Membership]:
    """The seats in force: the convener first, then the secretary, then the members in the order seated."""
    rank = Case(When(role=MemberRole.CONVENER, then=0), When(role=MemberRole.SECRETARY, then=1), default=2)
    return (body.memberships.filter(current_q()).select_related("person", "organization", "representative")
            .order_by(rank, "pk"))


def current_seat_people(body: Body) -> list[Person]:
    """Who sits for the current seats: members and the representatives of member organizations."""
    return [p for p in (m.seat_person for m in current_members(body)) if p is not None]


def past_members(body: Body) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (body.memberships.exclude(current_q(today)).filter(term_start__lte=today)
            .select_related("person", "organization", "representative").order_by("-ended_on", "-pk"))


def body_at(area: Area, kind_code: str) -> Body | None:
    """The active body of a kind at exactly this area (deliberation: the body of a topic's level)."""
    return (Body.objects.filter(area=area, kind__code=kind_code, is_active=True)
            .select_related("kind", "area").first())


def history(body: Body, limit: int = 100) -> list[Event]:
    return list(Event.objects.filter(subject_type=body._meta.label_lower, subject_id=str(body.pk))
                .select_related("actor").order_by("-seq")[:limit])


@dataclass
class MemberRow:
    membership: Membership
    name: str  # as this viewer may read it
    office: str  # the office the person holds (named in full), or ""
    organization: str
    revealed: bool = False


def _offices(people: list[Person]) -> dict[int, str]:
    """The in-office role each person holds (docs/masking.md: officials are named with their role)."""
    found: dict[int, str] = {}
    for assignment in RoleAssignment.objects.filter(person__in=people, is_active=True, role__in=IN_OFFICE_ROLES):
        found.setdefault(assignment.person_id, Role(assignment.role).label)
    return found


def member_rows(viewer, memberships: list[Membership], *, request=None, reason: str = "bodies:members") -> list[MemberRow]:
    """Each seat with the name this viewer may read: an official in full with the office; a resident masked,
    or in full for a viewer with people.unmask over them (one audit entry for the list)."""
    people = [m.seat_person for m in memberships if m.seat_person is not None]
    offices = _offices(people)
    unmask = scope_for(viewer, "people.unmask") if viewer is not None else None
    rows, shown = [], []
    for m in memberships:
        person = m.seat_person
        org = m.organization.name if m.organization_id else ""
        if person is None:
            rows.append(MemberRow(m, "", "", org))
            continue
        office = offices.get(person.pk, "")
        clear = bool(office) or (unmask is not None and unmask.covers_path(person.path))
        if clear and not office:
            shown.append(person.pk)
        name = person.name if clear else mask_name(person.name)
        rows.append(MemberRow(m, name, str(office), org, revealed=clear and not office))
    if shown:
        audit_record(action=AuditEntry.Action.UNMASK, outcome=AuditEntry.Outcome.SUCCESS, request=request,
                     user=viewer, target="people:" + ",".join(map(str, shown)),
                     details={"reason": reason, "count": len(shown)})
    return rows
