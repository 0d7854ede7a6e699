"""Writes on standing bodies: found a body, seat a member (a person, or an organization with its representative),
change a member's role, end a seat (leaving or the term's end). Each appends an event on the body, so its
history is a timeline (selectors.history)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import PATH_STEP, Area, Organization, Person, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append

from .choices import MemberRole
from .models import Body, BodyKind, Membership
from .rules import may_manage

TERM_YEARS_MAX = 5  # a residents' committee's term (村民委员会组织法/城市居民委员会组织法): five years
MAX_NAME = 100
MAX_REASON = 200


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError(gettext("只有本社区（或上级）的社区工作人员和社区书记可以调整议事组织。"))


@transaction.atomic
def body_create(*, actor, area: Area, kind: BodyKind, name: str = "") -> Body:
    """设立: a body of `kind` at `area` (one active body of a kind per area). Event body.created."""
    _refuse_unless(actor is None or may_manage(actor, area))
    if not kind.is_active:
        raise DomainError("kind_inactive", gettext("“%(kind)s”已停用。") % {"kind": kind.name}, details={"field": "kind"})
    if kind.level_code and area.level.code != kind.level_code:
        raise DomainError("wrong_level", gettext("%(kind)s设在%(level)s一级，“%(area)s”是%(area_level)s。") % {
            "kind": kind.name, "level": _level_name(kind.level_code), "area": area.name,
            "area_level": area.level.name}, details={"field": "area"})
    name = (name or "").strip() or f"{area.name}{kind.name}"
    if len(name) > MAX_NAME:
        raise DomainError("too_long", gettext("名称不能超过 %(n)s 字。") % {"n": MAX_NAME}, details={"field": "name"})
    if Body.objects.filter(area=area, kind=kind, is_active=True).exists():
        raise Conflict("body_exists", gettext("“%(area)s”已有%(kind)s。") % {"area": area.name, "kind": kind.name})
    try:
        with transaction.atomic():
            body = Body.objects.create(area=area, path=area.path, kind=kind, name=name)
    except IntegrityError:  # a second request for the same area and kind: one wins
        raise Conflict("body_exists", gettext("“%(area)s”已有%(kind)s。") % {"area": area.name, "kind": kind.name}) from None
    event_append(subject=body, kind="body.created", actor=actor, new_subject=True,
                 payload={"area": area.pk, "kind": kind.code, "name": name})
    return body


def _level_name(code: str) -> str:
    from yishiting.areas.models import AreaLevel

    level = AreaLevel.objects.filter(code=code).first()
    return level.name if level else code


def _clean_term(term_start: date | None, term_end: date | None) -> None:
    if term_start is None:
        raise DomainError("required", gettext("请填写任期开始日期。"), details={"field": "term_start"})
    if term_end is not None and term_end < term_start:
        raise DomainError("term_order", gettext("任期结束不能早于任期开始。"), details={"field": "term_end"})
    if term_end is not None and term_end < timezone.localdate():
        raise DomainError("term_over", gettext("任期已经结束，不能再登记为成员。"), details={"field": "term_end"})
    if term_end is not None and term_end > term_start + timedelta(days=366 * TERM_YEARS_MAX):
        raise DomainError("term_long", gettext("一届任期最长 %(n)s 年。") % {"n": TERM_YEARS_MAX},
                          details={"field": "term_end"})


def _community_path(body: Body) -> str:
    return body.path[: community_depth() * PATH_STEP] or body.path


def _reachable(body: Body, path: str) -> bool:
    """Somewhere a member may come from: the body's own community, or an area above the body (a street leader,
    a district deputy, an agency)."""
    return path.startswith(_community_path(body)) or body.path.startswith(path)


def _person_reachable(body: Body, person: Person) -> bool:
    if person.path and _reachable(body, person.path):
        return True
    paths = RoleAssignment.objects.filter(person=person, is_active=True).values_list("path", flat=True)
    return any(_reachable(body, p) for p in paths)


def _clean_seat(body: Body, person: Person | None, organization: Organization | None,
                representative: Person | None) -> None:
    """Exactly one of a person or an organization; the representative only for an organization; all of them
    people and units of the body's community or above it."""
    if (person is None) == (organization is None):
        raise DomainError("one_of", gettext("成员须是一位人员或一个单位（二选一）。"), details={"field": "person"})
    if person is not None and representative is not None:
        raise DomainError("representative_for_org", gettext("只有单位成员才需要指定代表。"),
                          details={"field": "representative"})
    if person is not None and not _person_reachable(body, person):
        raise DomainError("person_outside", gettext("所选人员不在本社区，也不在上级区域任职。"), details={"field": "person"})
    if organization is not None and not (organization.is_active and _reachable(body, organization.path)):
        raise DomainError("organization_outside", gettext("所选单位不在本社区或上级区域，或已停用。"),
                          details={"field": "organization"})
    if representative is not None and not _person_reachable(body, representative):
        raise DomainError("person_outside", gettext("所选代表不在本社区，也不在上级区域任职。"),
                          details={"field": "representative"})


def _clean_role(role: str) -> str:
    if role not in MemberRole.values:
        raise DomainError("invalid_choice", gettext("职务应为召集人、秘书或成员。"), details={"field": "role"})
    return role


def _one_convener(body: Body, role: str, exclude: int | None = None) -> None:
    if role != MemberRole.CONVENER:
        return
    taken = body.memberships.filter(role=MemberRole.CONVENER, ended_on__isnull=True).exclude(pk=exclude).first()
    if taken is not None:
        raise Conflict("convener_taken", gettext("本议事组织已有召集人，请先调整现任召集人的职务。"))


def _locked_body(body: Body) -> Body:
    """The body row locked: one membership change of a body at a time (the convener and the one-seat checks)."""
    locked = Body.objects.select_for_update().select_related("kind", "area").get(pk=body.pk)
    if not locked.is_active:
        raise Conflict("body_inactive", gettext("该议事组织已撤销。"))
    return locked


@transaction.atomic
def membership_add(*, actor, body: Body, role: str = MemberRole.MEMBER, term_start: date | None = None,
                   term_end: date | None = None, person: Person | None = None,
                   organization: Organization | None = None, representative: Person | None = None) -> Membership:
    """入会: seat a person, or an organization (with its representative), in a role for a term.
    Event body.member_joined."""
    _refuse_unless(actor is None or may_manage(actor, body))
    body = _locked_body(body)
    role = _clean_role(role)
    term_start = term_start or timezone.localdate()
    _clean_term(term_start, term_end)
    _clean_seat(body, person, organization, representative)
    seats = body.memberships.filter(ended_on__isnull=True)
    if (person and seats.filter(person=person).exists()) or (organization and seats.filter(organization=organization).exists()):
        raise Conflict("already_member", gettext("已是本议事组织的成员。"))
    _one_convener(body, role)
    membership = Membership.objects.create(body=body, path=body.path, person=person, organization=organization,
                                           representative=representative, role=role, term_start=term_start,
                                           term_end=term_end)
    event_append(subject=body, kind="body.member_joined", actor=actor, payload={
        "membership": membership.pk, "person": getattr(person, "pk", None),
        "organization": getattr(organization, "pk", None), "representative": getattr(representative, "pk", None),
        "role": role, "term_start": term_start, "term_end": term_end})
    return membership


def _locked_seat(membership: Membership) -> Membership:
    _locked_body(membership.body)
    seat = Membership.objects.select_for_update().get(pk=membership.pk)
    if seat.ended_on is not None:
        raise Conflict("already_ended", gettext("该成员已离任。"))
    return seat


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    """调整职务 (召集人/秘书/成员). Event body.member_role_changed; the same role again changes nothing."""
    _refuse_unless(actor is None or may_manage(actor, membership.body))
    role = _clean_role(role)
    seat = _locked_seat(membership)
    if seat.role == role:
        return seat
    _one_convener(seat.body, role, exclude=seat.pk)
    before, seat.role = seat.role, role
    seat.save(update_fields=["role"])
    event_append(subject=seat.body, kind="body.member_role_changed", actor=actor,
                 payload={"membership": seat.pk, "from": before, "to": role})
    return seat


@transaction.atomic
def membership_end(*, actor, membership: Membership, on: date | None = None, reason: str = "") -> Membership:
    """离任: the seat ends on `on` (today by default; not before its term began). A seat whose term ran out is
    ended with reason 任期届满. The row stays, for the record. Event body.member_left."""
    _refuse_unless(actor is None or may_manage(actor, membership.body))
    seat = _locked_seat(membership)
    on = on or timezone.localdate()
    if on < seat.term_start:
        raise DomainError("term_order", gettext("离任日期不能早于任期开始。"), details={"field": "on"})
    if on > timezone.localdate():
        raise DomainError("future", gettext("离任日期不能晚于今天。"), details={"field": "on"})
    reason = (reason or "").strip()[:MAX_REASON]
    term_over = seat.term_end is not None and seat.term_end <= on
    seat.ended_on, seat.end_reason = on, reason or ("任期届满" if term_over else "")  # zh-only: a stored record
    seat.save(update_fields=["ended_on", "end_reason"])
    event_append(subject=seat.body, kind="body.member_left", actor=actor, payload={
        "membership": seat.pk, "on": on, "reason": seat.end_reason, "term_end": term_over})
    return seat
