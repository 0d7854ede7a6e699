"""Teams and 公益服务岗: found a team, join and leave (joining makes one a registered 志愿者 of the community),
name leaders; publish posts, claim one for a period (capacity), release it early, log shifts and confirm them
with hours and a rating (the contract event `volunteers.hours_confirmed`, once per shift)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import person_for_user
from yishiting.areas.services import role_assign
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from ..choices import ClaimStatus, ShiftStatus
from ..models import Post, PostClaim, Shift, Team, TeamMember
from ..rules import may_confirm_shift, may_join, may_manage
from ..transitions import CLAIM_TRANSITIONS, SHIFT_TRANSITIONS
from .base import (
    EARNED,
    acting_person,
    clean_hours,
    clean_rating,
    community_for,
    earned_payload,
    refuse_unless,
    settle_hours,
)

CLAIM_DAYS_MAX = 366


@transaction.atomic
def team_create(*, actor, area: Area, name: str, description: str = "") -> Team:
    """Found a team of a community or street (staff of that area)."""
    refuse_unless(actor is None or may_manage(actor, area))
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", gettext("请填写队名。"), details={"field": "name"})
    if Team.objects.filter(area=area, name=name).exists():
        raise DomainError("name_taken", gettext("本区域已有同名服务队。"), details={"field": "name"})
    team = Team.objects.create(area=area, path=area.path, name=name, description=(description or "").strip())
    event_append(subject=team, kind="volunteers.team_created", actor=actor, new_subject=True, payload={"area": area.pk})
    return team


def _grant_volunteer(actor, person: Person, team: Team) -> None:
    """A team member is a registered 志愿者 of their own community (or of the team's area, if they live
    elsewhere): the role makes them pickable as a volunteer elsewhere (canteen deliveries …)."""
    area = community_for(person.area) if person.area_id and person.area.path.startswith(team.path[:8]) else team.area
    role_assign(actor=actor, person=person, role=Role.VOLUNTEER, area=area)


@transaction.atomic
def team_join(*, actor, team: Team, person: Person | None = None, leader: bool = False) -> TeamMember:
    """入队: a resident joins themselves; staff add someone (and may make them a leader)."""
    if person is None:
        refuse_unless(may_join(actor, team))
        person, leader = acting_person(actor), False
    else:
        refuse_unless(actor is None or may_manage(actor, team))
    if not team.is_active:
        raise Conflict("team_inactive", gettext("该服务队已不在册。"))
    if TeamMember.objects.filter(team=team, person=person, left_at__isnull=True).exists():
        raise Conflict("already_member", gettext("已是该服务队队员。"))
    member = TeamMember.objects.create(team=team, person=person, is_leader=leader)
    _grant_volunteer(actor, person, team)
    event_append(subject=team, kind="volunteers.member_joined", actor=actor,
                 payload={"person": person.pk, "leader": leader})
    return member


@transaction.atomic
def team_leave(*, actor, member: TeamMember) -> TeamMember:
    """退队 (the member, or staff): the row stays with its end, for the record."""
    own = getattr(person_for_user(actor), "pk", None) == member.person_id
    refuse_unless(own or may_manage(actor, member.team))
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_at is not None:
        raise Conflict("already_left", gettext("已退队。"))
    member.left_at, member.is_leader = timezone.now(), False
    member.save(update_fields=["left_at", "is_leader"])
    event_append(subject=member.team, kind="volunteers.member_left", actor=actor, payload={"person": member.person_id})
    return member


@transaction.atomic
def team_set_leader(*, actor, member: TeamMember, leader: bool) -> TeamMember:
    """Name or stand down a leader (staff of the team's area)."""
    refuse_unless(actor is None or may_manage(actor, member.team))
    if member.left_at is not None:
        raise Conflict("already_left", gettext("已退队。"))
    member.is_leader = leader
    member.save(update_fields=["is_leader"])
    event_append(subject=member.team, kind="volunteers.leader_set", actor=actor,
                 payload={"person": member.person_id, "leader": leader})
    return member


# ---- 公益服务岗 ---------------------------------------------------------------------------------------------

@transaction.atomic
def post_create(*, actor, area: Area, name: str, capacity: int = 1, team: Team | None = None,
                description: str = "") -> Post:
    refuse_unless(actor is None or may_manage(actor, area))
    if not (name or "").strip():
        raise DomainError("name_required", gettext("请填写岗位名称。"), details={"field": "name"})
    if not capacity or capacity < 1:
        raise DomainError("capacity_required", gettext("同时在岗人数至少为 1。"), details={"field": "capacity"})
    post = Post.objects.create(area=area, path=area.path, name=name.strip(), capacity=capacity, team=team,
                               description=(description or "").strip())
    event_append(subject=post, kind="volunteers.post_created", actor=actor, new_subject=True, payload={"area": area.pk})
    return post


def _overlapping(post: Post, starts_on: date, ends_on: date):
    """Claims in force at some day of the period (a released claim ended the day it was released)."""
    in_force = Q(status=ClaimStatus.ACTIVE) | Q(status=ClaimStatus.RELEASED, released_on__gte=starts_on)
    return post.claims.filter(in_force, starts_on__lte=ends_on, ends_on__gte=starts_on) \
        .exclude(status=ClaimStatus.RELEASED, released_on__lt=starts_on)


@transaction.atomic
def post_claim(*, actor, post: Post, starts_on: date, ends_on: date) -> PostClaim:
    """认岗: a resident of the post's community takes it from one day to another, while fewer than its capacity
    hold it in that period (the post row is the lock: two claims for the last place, one wins)."""
    refuse_unless(may_join(actor, post))
    person = acting_person(actor)
    if ends_on < starts_on:
        raise DomainError("period_order", gettext("截止日不能早于起始日。"), details={"field": "ends_on"})
    if starts_on < timezone.localdate():
        raise DomainError("period_past", gettext("起始日不能早于今天。"), details={"field": "starts_on"})
    if (ends_on - starts_on).days > CLAIM_DAYS_MAX:
        raise DomainError("period_long", gettext("一次认领最长一年。"), details={"field": "ends_on"})
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_active:
        raise Conflict("post_inactive", gettext("该岗位已停用。"))
    overlapping = _overlapping(post, starts_on, ends_on)
    if overlapping.filter(person=person).exists():
        raise Conflict("already_claimed", gettext("您在这段时间已认领该岗位。"))
    if overlapping.count() >= post.capacity:
        raise Conflict("post_full", gettext("该岗位在这段时间已满员。"))
    claim = PostClaim.objects.create(post=post, person=person, path=post.path, starts_on=starts_on, ends_on=ends_on)
    event_append(subject=claim, kind="volunteers.post_claimed", actor=actor, new_subject=True,
                 payload={"post": post.pk, "from": starts_on, "to": ends_on})
    return claim


@transaction.atomic
def claim_release(*, actor, claim: PostClaim) -> PostClaim:
    """提前退岗: the claim ends today (the real end kept); the place is free from tomorrow."""
    own = getattr(person_for_user(actor), "pk", None) == claim.person_id
    refuse_unless(own or may_confirm_shift(actor, claim.post))
    today = timezone.localdate()
    return transition(claim, to=ClaimStatus.RELEASED, actor=actor, table=CLAIM_TRANSITIONS,
                      changes={"released_on": max(min(today, claim.ends_on), claim.starts_on)})


@transaction.atomic
def shift_log(*, actor, claim: PostClaim, day: date, hours, note: str = "") -> Shift:
    """值岗登记: the volunteer (or the post's organiser) logs a day's stint within the claim's period."""
    own = getattr(person_for_user(actor), "pk", None) == claim.person_id
    refuse_unless(own or may_confirm_shift(actor, claim.post))
    last = claim.released_on if claim.status == ClaimStatus.RELEASED else claim.ends_on
    if not claim.starts_on <= day <= min(last, timezone.localdate()):
        raise DomainError("day_outside", gettext("服务日期须在认领期内，且不晚于今天。"), details={"field": "day"})
    hours = clean_hours(hours)
    if hours <= 0:
        raise DomainError("invalid_hours", gettext("服务时长应为 0 到 24 之间的数字。"), details={"field": "hours"})
    shift = Shift.objects.create(claim=claim, person_id=claim.person_id, path=claim.path, day=day, hours=hours,
                                 note=(note or "").strip()[:200])
    event_append(subject=shift, kind="volunteers.shift_logged", actor=actor, new_subject=True,
                 payload={"claim": claim.pk, "hours": str(hours)})
    return shift


@transaction.atomic
def shift_confirm(*, actor, shift: Shift, rating: int, hours=None, reason: str = "") -> Shift:
    """确认值岗: the post's team leader or staff confirm the hours (changed with a reason) and rate the service;
    appends `volunteers.hours_confirmed` once (a second confirmation is refused by the row lock)."""
    post = shift.claim.post
    refuse_unless(may_confirm_shift(actor, post))
    rating = clean_rating(rating)
    settled, reason = settle_hours(shift.hours, hours, reason)
    return transition(shift, to=ShiftStatus.CONFIRMED, actor=actor, table=SHIFT_TRANSITIONS, kind=EARNED,
                      expected=ShiftStatus.LOGGED, payload=earned_payload(post.area_id, shift.person_id, settled, rating),
                      changes={"hours": settled, "hours_reason": reason, "rating": rating})


@transaction.atomic
def shift_reject(*, actor, shift: Shift, reason: str) -> Shift:
    refuse_unless(may_confirm_shift(actor, shift.claim.post))
    if not (reason or "").strip():
        raise DomainError("reason_required", gettext("请填写不予确认的原因。"), details={"field": "reason"})
    return transition(shift, to=ShiftStatus.REJECTED, actor=actor, table=SHIFT_TRANSITIONS,
                      changes={"hours_reason": reason.strip()[:200]})
