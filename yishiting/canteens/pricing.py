"""What a diner pays: the listed price, less the best discount rule that applies to them on the meal's day.

Age comes from the 18-digit resident ID number (GB 11643: digits 7–14 are the birth date, the last is the check
digit, possibly X); a person turns N on their birthday (born 29 February: on 1 March in other years). Statuses the
record cannot show need a verified EligibilityRegistration in force on that day. Computed once, at ordering, and
frozen on the order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from yishiting.areas.models import Person
from yishiting.areas.validation import ID_RE, id_number_checksum

from .choices import DiscountMode, Eligibility, RegistrationStatus
from .models import Canteen, DiscountRule, EligibilityRegistration

CENT = Decimal("0.01")


def birth_date(id_number: str | None) -> date | None:
    """The birth date written in a valid 18-digit ID number, or None (missing, malformed, wrong check digit)."""
    number = (id_number or "").strip().upper()
    if not ID_RE.match(number) or id_number_checksum(number[:17]) != number[17]:
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    """Whole years on `day`: the birthday itself counts (a 29 February birthday falls on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_of(person: Person, day: date) -> int | None:
    born = birth_date(person.id_number)
    return age_on(born, day) if born else None


def verified_statuses(person: Person, day: date) -> set[str]:
    """The person's statuses verified by community staff and in force on `day`."""
    rows = EligibilityRegistration.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), person=person, status=RegistrationStatus.VERIFIED)
    return set(rows.values_list("eligibility", flat=True))


def rules_in_force(canteen: Canteen, day: date) -> list[DiscountRule]:
    """Active rules valid on `day` for canteens under the rule's area (or everywhere)."""
    prefixes = [canteen.path[:i] for i in range(4, len(canteen.path) + 1, 4)]
    return list(DiscountRule.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), Q(area__isnull=True) | Q(area__path__in=prefixes),
        is_active=True, valid_from__lte=day).order_by("pk"))


def rule_price(rule: DiscountRule, listed: Decimal) -> Decimal:
    if rule.mode == DiscountMode.FIXED:
        return min(rule.fixed_price, listed)
    off = (listed * rule.percent_off / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(listed - off, Decimal("0.00"))


def qualifies(rule: DiscountRule, age: int | None, statuses: set[str]) -> bool:
    if rule.eligibility == Eligibility.AGE:
        return age is not None and rule.min_age is not None and age >= rule.min_age
    return rule.eligibility in statuses


@dataclass(frozen=True)
class Price:
    listed: Decimal
    paid: Decimal
    rule: DiscountRule | None

    @property
    def given_up(self) -> Decimal:
        return self.listed - self.paid


def price_for(person: Person, canteen: Canteen, listed: Decimal, day: date) -> Price:
    """The lowest price any rule in force gives this person for a dish listed at `listed` on `day`."""
    rules = rules_in_force(canteen, day)
    if not rules:
        return Price(listed, listed, None)
    age = age_of(person, day)
    statuses = verified_statuses(person, day) if any(r.eligibility != Eligibility.AGE for r in rules) else set()
    best = Price(listed, listed, None)
    for rule in rules:
        if qualifies(rule, age, statuses):
            paid = rule_price(rule, listed)
            if paid < best.paid:
                best = Price(listed, paid, rule)
    return best


def prices_for(person: Person | None, items: list) -> dict[int, Price]:
    """The price of each menu item for this person (a page of menus): the rules read once per canteen and day,
    the verified statuses once."""
    found: dict[int, Price] = {}
    if person is None:
        return {item.pk: Price(item.price, item.price, None) for item in items}
    rules: dict[tuple[int, date], list[DiscountRule]] = {}
    statuses: dict[date, set[str]] = {}
    for item in items:
        key = (item.canteen_id, item.day)
        if key not in rules:
            rules[key] = rules_in_force(item.canteen, item.day)
        best = Price(item.price, item.price, None)
        age = age_of(person, item.day)
        for rule in rules[key]:
            if rule.eligibility != Eligibility.AGE and item.day not in statuses:
                statuses[item.day] = verified_statuses(person, item.day)
            if qualifies(rule, age, statuses.get(item.day, set())) and (paid := rule_price(rule, item.price)) < best.paid:
                best = Price(item.price, paid, rule)
        found[item.pk] = best
    return found
