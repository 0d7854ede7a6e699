"""Turning one earning event into ledger lines by the rules of its kind (what the processor calls per event).

A rule applies when it is active, the event's day lies within its dates and the event's area within its area.
Each earner gets `points + points_per_hour × hours` (a rule with a minimum rating credits only earners rated
at least that), cut to what the daily and monthly caps leave for that person under that rule (counted by the
event's day, so a replay computes the same). A rule that `deposits_hours` puts the earner's hours into the
时间银行 once per event (whichever rule does it first), again only with a rating ≥ its minimum."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from yishiting.areas.models import Area, Person
from yishiting.common.models import Event

from ..choices import HourKind, PointKind
from ..models import PointEntry, PointRule
from ..sources import Earner, earners_of
from .ledger import Line, locked_balance, post_hours, post_points


def rules_for(kind: str) -> list[PointRule]:
    return list(PointRule.objects.filter(kind=kind, is_active=True).order_by("pk"))


def applies(rule: PointRule, path: str, day: date) -> bool:
    return (rule.is_active and path.startswith(rule.path) and (rule.starts_on is None or rule.starts_on <= day)
            and (rule.ends_on is None or day <= rule.ends_on))


def rated_enough(rule: PointRule, earner: Earner) -> bool:
    return rule.min_rating is None or (earner.rating or 0) >= rule.min_rating


def base_points(rule: PointRule, earner: Earner) -> int:
    """The rule's points for one earner: by the served person's rating when the rule lists levels."""
    levels = rule.points_by_rating if isinstance(rule.points_by_rating, dict) else {}
    if not levels:
        return rule.points
    value = levels.get(str(earner.rating)) if earner.rating else None
    return value if isinstance(value, int) and value > 0 else 0


def _room(rule: PointRule, person_id: int, day: date) -> int | None:
    """How many points the caps still allow this person under this rule on `day` (None: no cap)."""
    room = None
    rows = PointEntry.objects.filter(rule=rule, person_id=person_id)
    if rule.daily_cap is not None:
        used = rows.filter(day=day).aggregate(s=Sum("points"))["s"] or 0
        room = max(rule.daily_cap - used, 0)
    if rule.monthly_cap is not None:
        used = rows.filter(day__year=day.year, day__month=day.month).aggregate(s=Sum("points"))["s"] or 0
        left = max(rule.monthly_cap - used, 0)
        room = left if room is None else min(room, left)
    return room


def _credit_one(event: Event, rule: PointRule, earner: Earner, day: date) -> int:
    """One rule for one earner (the caller holds the earner's balance lock). Returns points credited."""
    points = base_points(rule, earner) + int(rule.points_per_hour * (earner.hours or Decimal(0)))
    room = _room(rule, earner.person_id, day)
    points = points if room is None else min(points, room)
    credited = 0
    if points > 0:
        entry = post_points(Line(key=f"p:e{event.pk}:r{rule.pk}:p{earner.person_id}", person_id=earner.person_id,
                                 event=event, kind=PointKind.EARNED, amount=points, rule=rule,
                                 area_id=earner.area_id, note=rule.name, day=day))
        credited = entry.points if entry else 0
    if rule.deposits_hours and earner.hours:
        post_hours(Line(key=f"h:e{event.pk}:p{earner.person_id}", person_id=earner.person_id, event=event,
                        kind=HourKind.DEPOSITED, amount=earner.hours, rule=rule, area_id=earner.area_id,
                        note=rule.name, day=day))
    return credited


def credit_event(event: Event, rules: list[PointRule] | None = None) -> int:
    """Credit every earner of `event` by the rules of its kind; idempotent. Returns points credited now.
    Each earner in their own transaction, earners in id order (so two processors never deadlock)."""
    rules = rules_for(event.kind) if rules is None else rules
    if not rules:
        return 0
    earners = sorted(earners_of(event), key=lambda e: e.person_id)
    known = set(Person.objects.filter(pk__in=[e.person_id for e in earners]).values_list("pk", flat=True))
    paths = dict(Area.objects.filter(pk__in={e.area_id for e in earners if e.area_id}).values_list("pk", "path"))
    day, total = timezone.localdate(event.at), 0
    for earner in earners:
        path = paths.get(earner.area_id)
        if earner.person_id not in known or path is None:
            continue
        chosen = [r for r in rules if applies(r, path, day) and rated_enough(r, earner)]
        if chosen:
            with transaction.atomic():
                locked_balance(earner.person_id)
                total += sum(_credit_one(event, rule, earner, day) for rule in chosen)
    return total
