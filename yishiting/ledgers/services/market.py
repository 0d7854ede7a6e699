"""The 积分超市: redeem an item (points taken and stock decremented in one transaction), hand it over against
its pickup code, and give points and stock back when a redemption is cancelled or expires unclaimed.

Stock is decremented by one conditional UPDATE (`stock > 0`), so concurrent redemptions of the last items never
take it below zero (the CHECK constraint stands behind it); the points are taken under the person's balance
lock (services.ledger). Returns are new ledger lines keyed by the redemption, so they happen once."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Person
from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition

from ..choices import PointKind, RedemptionStatus
from ..models import Item, Redemption
from ..transitions import TRANSITIONS
from .ledger import Line, locked_balance, post_points


def _new_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def _take_one(item: Item) -> None:
    if not Item.objects.filter(pk=item.pk, is_active=True, stock__gt=0).update(stock=F("stock") - 1):
        raise Conflict("out_of_stock", _("“%(name)s”已兑完。") % {"name": item.name})


def _create_redemption(item: Item, person: Person) -> Redemption:
    expires = timezone.now() + timedelta(days=item.pickup_days)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Redemption.objects.create(item=item, person=person, path=item.path, points=item.price,
                                                 code=_new_code(), expires_at=expires)
        except IntegrityError:
            continue  # the code was taken: draw another
    raise Conflict("code_exhausted", _("暂时无法生成领取码，请稍后再试。"))


@transaction.atomic
def redemption_create(*, actor, person: Person, item: Item) -> Redemption:
    """A resident redeems one item of their community's 积分超市: event redemption.created; the points line
    (兑换) references it."""
    if not has_perm(actor, "ledgers.redeem", item) or person.user_id != actor.pk:
        raise PermissionDeniedError(_("只能兑换本社区积分超市的商品。"))
    balance = locked_balance(person.pk)
    if balance.points < item.price:
        raise Conflict("not_enough_points", _("积分不足：现有 %(have)s 分，需要 %(need)s 分。")
                       % {"have": balance.points, "need": item.price})
    _take_one(item)
    redemption = _create_redemption(item, person)
    event = event_append(subject=redemption, kind="redemption.created", actor=actor, new_subject=True,
                         payload={"item": item.pk, "person": person.pk, "points": item.price})
    post_points(Line(key=f"r:{redemption.pk}", person_id=person.pk, event=event, kind=PointKind.REDEEMED,
                     amount=-item.price, area_id=item.community_id, note=item.name), balance=balance)
    return redemption


def redemption_by_code(code: str) -> Redemption:
    found = Redemption.objects.select_related("item", "person").filter(code=(code or "").strip()).first()
    if found is None:
        raise NotFound(_("领取码不正确，请核对。"))
    return found


@transaction.atomic
def redemption_hand_over(*, actor, code: str) -> Redemption:
    """Staff of the item's community confirm the handover with the resident's code: 待领取 → 已领取."""
    redemption = redemption_by_code(code)
    if not has_perm(actor, "ledgers.market_manage", redemption):
        raise PermissionDeniedError(_("只有本社区积分超市的工作人员可以核销。"))
    if redemption.status == RedemptionStatus.PENDING and redemption.expires_at < timezone.now():
        raise Conflict("expired", _("该领取码已过期，积分将退回兑换人。"))
    return transition(redemption, to=RedemptionStatus.HANDED_OVER, actor=actor, table=TRANSITIONS,
                      kind="redemption.handed_over",
                      changes={"handed_over_at": timezone.now(), "handed_over_by": actor})


def _give_back(redemption: Redemption, *, actor, to: str, kind: str, reason: str) -> Redemption:
    locked_balance(redemption.person_id)  # balance before the row: the order redemption_create locks in
    done = transition(redemption, to=to, actor=actor, table=TRANSITIONS, kind=kind, payload={"reason": reason})
    event = redemption_last_event(done)
    post_points(Line(key=f"r:{redemption.pk}:back", person_id=redemption.person_id, event=event,
                     kind=PointKind.RETURNED, amount=redemption.points, area_id=redemption.item.community_id,
                     note=reason))
    Item.objects.filter(pk=redemption.item_id).update(stock=F("stock") + 1)
    return done


def redemption_last_event(redemption: Redemption):
    from yishiting.common.models import Event

    return Event.objects.filter(subject_type="ledgers.redemption", subject_id=str(redemption.pk)).order_by("-seq")[0]


@transaction.atomic
def redemption_cancel(*, actor, redemption: Redemption, reason: str = "") -> Redemption:
    """The resident (or the community's staff) cancels a pending redemption: points and stock come back."""
    mine = redemption.person.user_id == actor.pk
    if not mine and not has_perm(actor, "ledgers.market_manage", redemption):
        raise PermissionDeniedError(_("只能取消自己的兑换。"))
    return _give_back(redemption, actor=actor, to=RedemptionStatus.CANCELLED, kind="redemption.cancelled",
                      reason=(reason or "").strip()[:100] or _("取消兑换"))


def expire_due(today: date | None = None) -> int:
    """Every pending redemption past its expiry: 已过期, points and stock returned (by `yishiting tick`)."""
    count = 0
    due = Redemption.objects.filter(status=RedemptionStatus.PENDING, expires_at__lt=timezone.now())
    for redemption in due.select_related("item", "person").order_by("pk")[:1000]:
        try:
            with transaction.atomic():
                _give_back(redemption, actor=None, to=RedemptionStatus.EXPIRED, kind="redemption.expired",
                           reason=_("逾期未领取，积分退回"))
            count += 1
        except DomainError:
            continue  # handed over or cancelled meanwhile
    return count


@transaction.atomic
def item_restock(*, actor, item: Item, add: int) -> Item:
    """Staff add stock (or take it off, when counted short); never below zero."""
    if not has_perm(actor, "ledgers.market_manage", item):
        raise PermissionDeniedError(_("只有本社区的工作人员可以调整库存。"))
    if not Item.objects.filter(pk=item.pk, stock__gte=-add).update(stock=F("stock") + add):
        raise Conflict("negative_stock", _("库存不能少于零。"))
    event_append(subject=item, kind="item.restocked", actor=actor, payload={"add": add})
    item.refresh_from_db(fields=["stock"])
    return item
