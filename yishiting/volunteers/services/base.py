"""What the volunteers' services share: the acting person, refusals, hours arithmetic and the earning event."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import community_of, person_for_user
from yishiting.common.errors import DomainError, PermissionDeniedError

HOURS_MAX = Decimal("24")
EARNED = "volunteers.hours_confirmed"  # the contract event (docs/volunteers.md): ledgers credit points and hours


def acting_person(actor) -> Person:
    """The person behind the account; staff without a person record cannot volunteer themselves."""
    person = person_for_user(actor)
    if person is None:
        raise DomainError("no_person", gettext("您的账号没有关联居民信息，无法参加志愿服务。"))
    return person


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError()


def clean_hours(value, field: str = "hours") -> Decimal:
    """Hours as a decimal with one place, 0 to 24 (half hours and tenths both fine)."""
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_hours", gettext("服务时长应为 0 到 24 之间的数字。"), details={"field": field}) from None
    if not Decimal("0") <= hours <= HOURS_MAX:
        raise DomainError("invalid_hours", gettext("服务时长应为 0 到 24 之间的数字。"), details={"field": field})
    return hours


def clean_rating(value) -> int:
    if value not in (1, 2, 3, 4, 5):
        raise DomainError("invalid_rating", gettext("请选择 1 到 5 星的评价。"), details={"field": "rating"})
    return int(value)


def settle_hours(computed: Decimal, given, reason: str) -> tuple[Decimal, str]:
    """The hours to confirm: the computed ones, or the organiser's with a reason when they differ."""
    reason = (reason or "").strip()[:200]
    if given in (None, ""):
        return computed, ""
    hours = clean_hours(given)
    if hours != computed and not reason:
        raise DomainError("reason_required", gettext("修改服务时长须填写原因。"), details={"field": "reason"})
    return hours, reason if hours != computed else ""


def earned_payload(area_id: int, person_id: int, hours: Decimal, rating: int | None) -> dict:
    """The contract's payload: where it happened and who earned what (hours as a decimal string)."""
    earner: dict = {"person": person_id, "hours": str(hours)}
    if rating is not None:
        earner["rating"] = rating
    return {"area": area_id, "earners": [earner]}


def community_for(area: Area) -> Area:
    """The community an area belongs to (a street's own team stays at the street)."""
    return community_of(area) or area
