"""Writing one ledger line: under the person's balance row lock, once per key, the balance moved with it.

Every writer of points or hours goes through `post_points` / `post_hours`. The balance row is locked first
(`select_for_update`), so two processors crediting the same event, or twenty redemptions at once, serialize on
it; the entry's `key` is then looked up (the second processor finds the first one's line and writes nothing),
and the unique constraint on `key` stands behind that look-up. A balance never goes below zero: the check
here says why in Chinese, the database's CHECK constraint stands behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.common.errors import Conflict
from yishiting.common.models import Event

from ..models import Balance, HourEntry, PointEntry, PointRule


def locked_balance(person_id: int) -> Balance:
    """The person's balance row, created if missing, locked until the transaction ends."""
    Balance.objects.get_or_create(person_id=person_id)
    return Balance.objects.select_for_update().get(person_id=person_id)


@dataclass(frozen=True)
class Line:
    """What one ledger line says (the amount is points for `post_points`, hours for `post_hours`)."""

    key: str
    person_id: int
    event: Event
    kind: str
    amount: int | Decimal
    rule: PointRule | None = None
    area_id: int | None = None
    note: str = ""
    day: date | None = None


def _create(model, line: Line, amount_field: str):
    fields = {"key": line.key, "person_id": line.person_id, "event": line.event, "kind": line.kind,
              amount_field: line.amount, "rule": line.rule, "area_id": line.area_id, "note": line.note[:200],
              "day": line.day or timezone.localdate()}
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if model.objects.filter(key=line.key).exists():
            return None  # written by someone else after our look-up: the unique key holds
        raise


@transaction.atomic
def post_points(line: Line, *, balance: Balance | None = None) -> PointEntry | None:
    """Write a points line unless one with its key exists (then None). Refuses to go below zero."""
    balance = balance or locked_balance(line.person_id)
    if PointEntry.objects.filter(key=line.key).exists():
        return None
    if balance.points + int(line.amount) < 0:
        raise Conflict("not_enough_points", _("积分不足：现有 %(have)s 分，需要 %(need)s 分。")
                       % {"have": balance.points, "need": -int(line.amount)})
    entry = _create(PointEntry, line, "points")
    if entry is not None:
        Balance.objects.filter(pk=balance.pk).update(points=F("points") + int(line.amount))
        balance.points += int(line.amount)
    return entry


@transaction.atomic
def post_hours(line: Line, *, balance: Balance | None = None) -> HourEntry | None:
    """Write an hours line unless one with its key exists (then None). Refuses to go below zero."""
    balance = balance or locked_balance(line.person_id)
    if HourEntry.objects.filter(key=line.key).exists():
        return None
    amount = Decimal(line.amount)
    if balance.hours + amount < 0:
        raise Conflict("not_enough_hours", _("时间银行余额不足：现有 %(have)s 小时，需要 %(need)s 小时。")
                       % {"have": balance.hours, "need": -amount})
    entry = _create(HourEntry, line, "hours")
    if entry is not None:
        Balance.objects.filter(pk=balance.pk).update(hours=F("hours") + amount)
        balance.hours += amount
    return entry
