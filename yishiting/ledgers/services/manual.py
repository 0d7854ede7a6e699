"""What people write by hand: a staff member's award by a rule or a correction of points or hours, a withdrawal
of 时间银行 hours as a service for oneself, a transfer of hours to a family member.

Each is a `Posting` (who, how much, why) whose event the ledger lines reference; nothing is ever changed
afterwards — a mistake is put right by a correction, which is one more line."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yishiting.areas.choices import ClaimStatus
from yishiting.areas.models import Area, HouseholdClaim, Person
from yishiting.areas.selectors import community_of
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import active_roles, has_perm

from ..choices import HourKind, PointKind, PostingKind
from ..models import Balance, PointRule, Posting
from .ledger import Line, locked_balance, post_hours, post_points


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_required", _("请填写事由。"), details={"field": "reason"})
    return text[:200]


def home_community(person: Person) -> Area:
    """The community a person belongs to (where their manual lines are counted)."""
    area = person.household.unit if person.household_id else person.area
    community = community_of(area) if area is not None else None
    if community is None:
        raise DomainError("no_community", _("该人员没有登记所属社区。"))
    return community


def _post(*, actor, kind: str, person: Person, amount: Decimal, reason: str, other: Person | None = None,
          rule: PointRule | None = None) -> tuple[Posting, object]:
    posting = Posting.objects.create(kind=kind, person=person, other=other, rule=rule, amount=amount,
                                     reason=_reason(reason), area=home_community(person),
                                     created_by=actor if getattr(actor, "is_authenticated", False) else None)
    event = event_append(subject=posting, kind=f"posting.{kind}", actor=actor, new_subject=True,
                         payload={"person": person.pk, "amount": str(amount), "other": other.pk if other else None,
                                  "rule": rule.pk if rule else None})
    return posting, event


def may_award(actor, rule: PointRule, person: Person) -> bool:
    """ledgers.award for the person's area, and a role the rule names among those who may award."""
    roles = {a.role for a in active_roles(actor)}
    return (has_perm(actor, "ledgers.award", person) and rule.is_active
            and (bool(roles & set(rule.award_roles)) or getattr(actor, "is_superuser", False)))


@transaction.atomic
def points_award(*, actor, person: Person, rule: PointRule, reason: str, points: int | None = None) -> Posting:
    """A staff member awards points by a rule they may award by (at most the rule's points)."""
    if not may_award(actor, rule, person):
        raise PermissionDeniedError(_("您不能按该规则奖励积分。"))
    points = rule.points if points is None else points
    if not 0 < points <= max(rule.points, 1):
        raise DomainError("bad_points", _("奖励积分应在 1 到 %(max)s 之间。") % {"max": rule.points},
                          details={"field": "points"})
    balance = locked_balance(person.pk)
    posting, event = _post(actor=actor, kind=PostingKind.AWARD, person=person, amount=Decimal(points),
                           reason=reason, rule=rule)
    post_points(Line(key=f"m:{posting.pk}", person_id=person.pk, event=event, kind=PointKind.AWARDED,
                     amount=points, rule=None, area_id=posting.area_id, note=posting.reason), balance=balance)
    return posting


@transaction.atomic
def points_correct(*, actor, person: Person, points: int, reason: str) -> Posting:
    """A correction (± points) by the person's community staff, with the reason; a new line, never an edit."""
    if not has_perm(actor, "ledgers.correct", person):
        raise PermissionDeniedError(_("只有该居民所在社区的工作人员可以更正积分。"))
    if not points:
        raise DomainError("bad_points", _("更正积分不能为零。"), details={"field": "points"})
    balance = locked_balance(person.pk)
    posting, event = _post(actor=actor, kind=PostingKind.POINTS_CORRECTION, person=person,
                           amount=Decimal(points), reason=reason)
    post_points(Line(key=f"m:{posting.pk}", person_id=person.pk, event=event, kind=PointKind.CORRECTED,
                     amount=points, area_id=posting.area_id, note=posting.reason), balance=balance)
    return posting


def _hours(value) -> Decimal:
    hours = Decimal(str(value)).quantize(Decimal("0.01"))
    if hours <= 0:
        raise DomainError("bad_hours", _("时长应大于零。"), details={"field": "hours"})
    return hours


@transaction.atomic
def hours_withdraw(*, actor, person: Person, hours, service: str) -> Posting:
    """Staff record a service the person received, paid from their 时间银行 hours (what it paid for: `service`)."""
    if not has_perm(actor, "ledgers.timebank_manage", person):
        raise PermissionDeniedError(_("只有该居民所在社区的工作人员可以登记支取。"))
    hours = _hours(hours)
    balance = locked_balance(person.pk)
    posting, event = _post(actor=actor, kind=PostingKind.HOURS_WITHDRAWAL, person=person, amount=hours,
                           reason=service)
    post_hours(Line(key=f"m:{posting.pk}", person_id=person.pk, event=event, kind=HourKind.WITHDRAWN,
                    amount=-hours, area_id=posting.area_id, note=posting.reason), balance=balance)
    return posting


def family_of(person: Person) -> list[Person]:
    """The person's family: the people of their household, and of any household both hold an approved claim to
    (住户申报: owner, family member, tenant of the same home)."""
    households = set(HouseholdClaim.objects.filter(person=person, status=ClaimStatus.APPROVED)
                     .values_list("household_id", flat=True))
    if person.household_id:
        households.add(person.household_id)
    if not households:
        return []
    related = Q(household_id__in=households) | Q(household_claims__household_id__in=households,
                                                 household_claims__status=ClaimStatus.APPROVED)
    return list(Person.objects.filter(related).exclude(pk=person.pk).distinct().order_by("pk"))


@transaction.atomic
def hours_transfer(*, actor, person: Person, to: Person, hours, note: str = "") -> Posting:
    """The person gives hours to a family member (e.g. a parent): two lines, out and in, one event."""
    if person.user_id != actor.pk:
        raise PermissionDeniedError(_("只能转出自己的时长。"))
    if to.pk not in {p.pk for p in family_of(person)}:
        raise Conflict("not_family", _("只能转给同一住户的家人。"))
    hours = _hours(hours)
    first, second = sorted([person.pk, to.pk])
    locks = {pk: locked_balance(pk) for pk in (first, second)}  # in id order: no deadlock with the reverse
    posting, event = _post(actor=actor, kind=PostingKind.HOURS_TRANSFER, person=person, other=to, amount=hours,
                           reason=note.strip() or _("转给家人"))
    post_hours(Line(key=f"m:{posting.pk}:out", person_id=person.pk, event=event, kind=HourKind.TRANSFERRED_OUT,
                    amount=-hours, area_id=posting.area_id, note=posting.reason), balance=locks[person.pk])
    post_hours(Line(key=f"m:{posting.pk}:in", person_id=to.pk, event=event, kind=HourKind.TRANSFERRED_IN,
                    amount=hours, area_id=posting.area_id, note=posting.reason), balance=locks[to.pk])
    return posting


def balance_of(person: Person) -> Balance:
    return Balance.objects.filter(person=person).first() or Balance(person=person)


def may_award_somewhere(actor, rule: PointRule) -> bool:
    """Whether the rule shows in the actor's award form (the person's scope is checked on the award)."""
    roles = {a.role for a in active_roles(actor)}
    return rule.is_active and (bool(roles & set(rule.award_roles)) or getattr(actor, "is_superuser", False))


def person_checked(actor, person: Person, permission: str) -> Person:
    """The picked person, if within the actor's scope for `permission` (the picker offers the scope of any
    ledgers.* permission; each action checks its own)."""
    if not has_perm(actor, permission, person):
        raise DomainError("no_person", _("该居民不在您负责的区域内。"), details={"field": "person"})
    return person


def person_by_mobile(actor, mobile: str, permission: str) -> Person:
    """The one person with this mobile number within the actor's scope for `permission`."""
    found = [p for p in Person.objects.filter(mobile=(mobile or "").strip())[:20] if has_perm(actor, permission, p)]
    if len(found) != 1:
        raise DomainError("no_person", _("在您负责的区域内没有找到使用该手机号的居民。") if not found
                          else _("该手机号对应多名居民，请到居民档案中操作。"), details={"field": "mobile"})
    return found[0]
