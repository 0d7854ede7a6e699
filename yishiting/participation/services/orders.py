"""The service menu's writes: providers and items, and an order's way 居民点单 → 社区派单 → 党员接单 → 服务并晒照
→ 居民评价. Each service is one transaction; status changes go through common.transitions (ORDER_TRANSITIONS)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Area, Organization, Person, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify_many

from ..choices import OrderStatus, ProviderKind
from ..models import (
    MemberRegistration,
    MenuItem,
    OrderPhoto,
    ServiceMenu,
    ServiceOrder,
    ServiceProvider,
    ServiceRecord,
)
from ..rules import (
    is_resident,
    may_accept,
    may_cancel,
    may_dispatch,
    may_rate,
    may_report,
    person_of,
    provider_ids,
)
from ..transitions import ORDER_TRANSITIONS

S = OrderStatus
HOURS_MAX = Decimal("24")


def _link(order: ServiceOrder) -> str:
    return f"/participation/orders/{order.pk}/"


def community_for(person: Person | None) -> Area | None:
    """The community (村/社区) a person lives in: where they order and, by default, where they report."""
    if person is None or not person.path or len(person.path) < community_depth() * PATH_STEP:
        return None
    return Area.objects.filter(path=person.path[: community_depth() * PATH_STEP]).first()


def menu_for(community: Area) -> ServiceMenu:
    menu, _ = ServiceMenu.objects.get_or_create(community=community, defaults={"path": community.path})
    return menu


# ---- providers and the menu ---------------------------------------------------------------------------------

def provider_ensure(*, community: Area, kind: str, person: Person | None = None,
                    organization: Organization | None = None) -> ServiceProvider:
    """The community's provider record of a person or an organisation (made once; reactivated if it was off)."""
    if (person is None) == (organization is None):
        raise ValueError("provider_ensure: a person or an organisation")
    provider, created = ServiceProvider.objects.get_or_create(
        community=community, person=person, organization=organization if person is None else None,
        defaults={"kind": kind, "path": community.path})
    if not created and not provider.is_active:
        provider.is_active = True
        provider.save(update_fields=["is_active"])
    return provider


@transaction.atomic
def menu_item_save(*, actor, provider: ServiceProvider, title: str, times: str, capacity: int = 3,
                   description: str = "", area: Area | None = None, item: MenuItem | None = None) -> MenuItem:
    """Put a service on the provider's community menu (or change it). The office staff keep the menu."""
    community = provider.community
    area = area or community
    if not area.path.startswith(community.path):
        raise DomainError("area_outside", gettext("服务范围须在本社区内。"), details={"field": "area"})
    if actor is not None and not has_perm(actor, "participation.units", community):
        raise PermissionDeniedError()
    if not (title or "").strip() or not (times or "").strip():
        raise DomainError("required", gettext("请填写服务项目和服务时间。"), details={"field": "title"})
    if capacity < 1:
        raise DomainError("capacity", gettext("同时可接订单数至少为 1。"), details={"field": "capacity"})
    item = item or MenuItem(menu=menu_for(community))
    item.provider, item.area, item.path = provider, area, area.path
    item.title, item.times, item.capacity, item.description = title.strip(), times.strip(), capacity, description.strip()
    item.save()
    event_append(subject=item, kind="menu_item.saved", actor=actor,
                 payload={"provider": provider.pk, "title": item.title, "capacity": capacity})
    return item


# ---- orders -------------------------------------------------------------------------------------------------

def _orderer(actor, resident: Person | None) -> tuple[Person | None, Person | None, Area | None]:
    """(for whom, placed by whom or None, their community). Staff ordering for a resident (an elder without a
    phone) need participation.order_for over that person; the order is the resident's, from their community's
    menu."""
    own = person_of(actor)
    if resident is None or (own is not None and resident.pk == own.pk):
        community = community_for(own)
        if community is None or not has_perm(actor, "participation.order", community):
            raise PermissionDeniedError(gettext("请先登记住户后再点单。"))
        return own, None, community
    community = community_for(resident)
    if own is None or community is None or not has_perm(actor, "participation.order_for", resident):
        raise PermissionDeniedError(gettext("只能为本辖区登记的居民代为点单。"))
    return resident, own, community


@transaction.atomic
def order_place(*, actor, title: str = "", text: str = "", wanted: str = "", item: MenuItem | None = None,
                resident: Person | None = None) -> ServiceOrder:
    """居民点单 (待派单): from the menu of the resident's own community, or a request not on it (a title). The
    summary others see is masked (numbers, the resident's name). Staff may order for a resident (`resident`):
    the order is the resident's (on their page, rated by them), `placed_by` the staff member; the event names
    both."""
    person, placed_by, community = _orderer(actor, resident)
    if item is not None and (not item.is_active or item.menu.community_id != community.pk):
        raise DomainError("item_unavailable", gettext("该服务项目不在本社区的菜单上。"), details={"field": "item"})
    title = (item.title if item else (title or "").strip())[:60]
    if not title:
        raise DomainError("title_required", gettext("请写下您需要什么服务。"), details={"field": "title"})
    order = ServiceOrder.objects.create(
        number=uuid.uuid4().hex[:20], community=community, path=community.path, resident=person, item=item,
        placed_by=placed_by, title=mask_free_text(title, names=[person.name])[:60], text=(text or "").strip()[:500],
        wanted=(wanted or "").strip()[:60])
    order.number = f"FW{timezone.localdate():%Y}-{order.pk:06d}"
    order.save(update_fields=["number"])
    payload = {"item": item.pk if item else None, "community": community.pk}
    if placed_by is not None:
        payload.update({"for_person": person.pk, "by_person": placed_by.pk})
        notify_many(people=[person], link=_link(order), subject=order, sms=False,
                    text=gettext("社区工作人员已为您点单“%(title)s”，服务完成后请您评价。") % {"title": order.title})
    event_append(subject=order, kind="order.placed", actor=actor, new_subject=True, payload=payload)
    _tell_office(order, gettext("有居民点单“%(title)s”，请派单。") % {"title": order.title})
    return order


def _provider_people(providers) -> list[Person]:
    """Who hears of an offer: the provider person, or each liaison (单位代表) of the provider organisation."""
    people = [p.person for p in providers if p.person_id]
    orgs = [p.organization_id for p in providers if p.person_id is None]
    if orgs:
        people += [r.person for r in RoleAssignment.objects.filter(
            is_active=True, role=Role.ORG_REPRESENTATIVE, organization_id__in=orgs).select_related("person")]
    return people


def _tell_office(order: ServiceOrder, text: str) -> None:
    office = RoleAssignment.objects.filter(is_active=True, path=order.path, role__in=[
        Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF]).select_related("person")
    notify_many(people=[r.person for r in office], link=_link(order), subject=order, sms=False, text=text)


@transaction.atomic
def order_dispatch(*, actor, order: ServiceOrder, providers: list[ServiceProvider]) -> ServiceOrder:
    """社区派单: 待派单 / 超时转社区 (or 待接单, to offer it more widely) → 待接单, offered to the chosen providers of
    the community; the first to accept takes it. The time to accept starts again (the menu's hours)."""
    if not may_dispatch(actor, order):
        raise PermissionDeniedError(gettext("只有本社区工作人员可以派单。"))
    if not providers or any(not p.is_active or p.community_id != order.community_id for p in providers):
        raise DomainError("providers_required", gettext("请选择本社区的服务提供方。"), details={"field": "providers"})
    now = timezone.now()
    due = now + timedelta(hours=menu_for(order.community).accept_hours)
    done = transition(order, to=S.DISPATCHED, actor=actor, table=ORDER_TRANSITIONS, expected=order.status,
                      kind="order.dispatched", payload={"providers": sorted(p.pk for p in providers)},
                      changes={"dispatched_at": now, "accept_due": due})
    done.offered_to.add(*providers)
    notify_many(people=_provider_people(providers), link=_link(done), subject=done,
                text=gettext("社区派单：“%(title)s”，请及时接单。") % {"title": done.title})
    return done


@transaction.atomic
def order_accept(*, actor, order: ServiceOrder) -> ServiceOrder:
    """党员接单: 待接单 → 服务中. Of two providers accepting at once the row lock lets one in; the other is told
    someone already took it (409 already_accepted). A menu item takes no more than its capacity at once."""
    if not may_accept(actor, order):
        if order.status != S.DISPATCHED:
            raise _taken()
        raise PermissionDeniedError(gettext("该订单没有派给您。"))
    provider = order.offered_to.filter(pk__in=provider_ids(actor)).order_by("pk").first()
    _check_capacity(order, provider)
    try:
        return transition(order, to=S.ACCEPTED, actor=actor, table=ORDER_TRANSITIONS, expected=S.DISPATCHED,
                          kind="order.accepted", payload={"provider": provider.pk},
                          changes={"provider": provider, "served_by": person_of(actor), "accepted_at": timezone.now()})
    except DomainError as exc:
        if exc.code == "stale_state":
            raise _taken() from None
        raise


def _check_capacity(order: ServiceOrder, provider: ServiceProvider) -> None:
    """A menu item takes no more than its capacity of orders in service at once for any one provider — its own or
    another the community dispatched it to. The item's row is locked first, so two accepts at once of the
    item's last place are counted one after the other (exactly one gets it)."""
    if order.item_id is None:
        return
    item = MenuItem.objects.select_for_update().get(pk=order.item_id)
    busy = ServiceOrder.objects.filter(item_id=item.pk, provider=provider, status=S.ACCEPTED).count()
    if busy >= item.capacity:
        raise Conflict("capacity_full", gettext("该服务项目同时可接的订单已满，请先完成手上的订单。"))


def _taken() -> DomainError:
    return Conflict("already_accepted", gettext("该订单已被其他服务方接单。"))


@dataclass
class Report:
    text: str
    hours: str | Decimal
    photos: list[bytes]


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        hours = Decimal(0)
    if not Decimal(0) < hours <= HOURS_MAX:
        raise DomainError("invalid_hours", gettext("服务时长须在 0.1 到 24 小时之间。"), details={"field": "hours"})
    return hours


@transaction.atomic
def order_report(*, actor, order: ServiceOrder, report: Report) -> ServiceOrder:
    """服务中 → 待确认: the provider says what was done and how long it took, with at least one photo; the
    resident is asked to confirm and rate."""
    from yishiting.demands.photos import clean_photos, thumbnail_file

    if not may_report(actor, order):
        raise PermissionDeniedError(gettext("只有接单的服务方可以反馈。"))
    text, hours = (report.text or "").strip()[:500], _hours(report.hours)
    if not text:
        raise DomainError("text_required", gettext("请写下服务情况。"), details={"field": "text"})
    photos = clean_photos(report.photos or [])
    if not photos:
        raise DomainError("photo_required", gettext("请上传至少一张服务照片。"), details={"field": "photos"})
    done = transition(order, to=S.REPORTED, actor=actor, table=ORDER_TRANSITIONS, expected=S.ACCEPTED,
                      kind="order.reported", payload={"hours": str(hours), "photos": len(photos)},
                      changes={"report": text, "hours": hours, "reported_at": timezone.now()})
    for photo in photos:
        OrderPhoto.objects.create(order=done, content_type=photo.content_type, sha256=photo.sha256,
                                  image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"),
                                  thumbnail=thumbnail_file(photo))
    notify_many(people=[done.resident], link=_link(done), subject=done,
                text=gettext("您点的“%(title)s”已服务完成，请确认并评价。") % {"title": done.title})
    return done


@transaction.atomic
def order_rate(*, actor, order: ServiceOrder, stars: int, comment: str = "") -> ServiceOrder:
    """待确认 → 已评价: the resident confirms and rates (1–5). The service shows on the showcase; a registered
    party member who served gets a service record (their unit's report lists it); the provider person earns
    (`participation.service_rated`, the contract ledgers reads)."""
    if not may_rate(actor, order):
        raise PermissionDeniedError(gettext("只有点单居民可以确认评价。"))
    if stars not in range(1, 6):
        raise DomainError("invalid_rating", gettext("请选择 1 到 5 星。"), details={"field": "stars"})
    done = transition(order, to=S.RATED, actor=actor, table=ORDER_TRANSITIONS, expected=S.REPORTED,
                      kind="order.rated", payload={"stars": stars},
                      changes={"rating": stars, "rating_comment": (comment or "").strip()[:300], "rated_at": timezone.now()})
    member = MemberRegistration.objects.filter(person_id=done.served_by_id, is_active=True).first()
    if member is not None:
        ServiceRecord.objects.create(member=member, community=done.community, path=done.path, what=done.title,
                                     served_on=timezone.localdate(done.reported_at), hours=done.hours,
                                     served_person=done.resident, order=done, rating=stars)
    earner = done.served_by_id or (done.provider.person_id if done.provider else None)
    service_rated(subject=done, actor=actor, area=done.community_id, person_id=earner, hours=done.hours, rating=stars)
    return done


def service_rated(*, subject, actor, area: int, person_id: int | None, hours, rating: int) -> None:
    """The contract's event (docs/participation.md): the provider person earned recognition for a rated
    service. Organisations earn nothing here (their members do)."""
    earners = [{"person": person_id, "hours": str(hours), "rating": rating}] if person_id else []
    event_append(subject=subject, kind="participation.service_rated", actor=actor,
                 payload={"area": area, "earners": earners})


@transaction.atomic
def order_cancel(*, actor, order: ServiceOrder) -> ServiceOrder:
    """→ 已取消: the resident (or the staff) withdraws an order nobody has accepted yet."""
    if not may_cancel(actor, order):
        if not (is_resident(actor, order) or has_perm(actor, "participation.dispatch", order)):
            raise PermissionDeniedError()
        raise _taken()
    return transition(order, to=S.CANCELLED, actor=actor, table=ORDER_TRANSITIONS, expected=order.status,
                      kind="order.cancelled")


@transaction.atomic
def order_escalate(*, order: ServiceOrder, now: datetime) -> ServiceOrder | None:
    """待接单 → 超时转社区 when nobody accepted within the menu's hours: the community's office staff are told
    to dispatch it again. None when it was accepted (or escalated) meanwhile."""
    locked = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != S.DISPATCHED or locked.accept_due is None or locked.accept_due > now:
        return None
    done = transition(locked, to=S.ESCALATED, actor=None, table=ORDER_TRANSITIONS, expected=S.DISPATCHED,
                      kind="order.escalated", payload={"accept_due": locked.accept_due.isoformat()})
    _tell_office(done, gettext("订单“%(title)s”超时无人接单，已退回社区，请重新派单。") % {"title": done.title})
    return done


def orders_escalate_due(*, now: datetime) -> int:
    """Every dispatched order past its time to accept; safe to run again (each is re-checked under its lock)."""
    due = ServiceOrder.objects.filter(status=S.DISPATCHED, accept_due__lte=now).order_by("pk")
    return sum(1 for order in list(due) if order_escalate(order=order, now=now))


def participation_tick(today) -> tuple[str, set[str]]:
    """`yishiting tick` (common.ticks): orders nobody accepted in time go back to the community."""
    return f"超时无人接单的服务订单退回社区 {orders_escalate_due(now=timezone.now())} 件。", set()  # zh-only: the command prints Chinese


def kind_for_person(person: Person) -> str:
    """A person provider's kind from their roles: 在职党员 if they reported as one, else 志愿者."""
    if MemberRegistration.objects.filter(person=person, is_active=True).exists():
        return ProviderKind.PARTY_MEMBER
    return ProviderKind.VOLUNTEER


@transaction.atomic
def menu_save(*, actor, menu: ServiceMenu, title: str, accept_hours: int, is_published: bool) -> ServiceMenu:
    """A community's menu: its name, whether residents see it, and the hours an order may wait for a provider."""
    if actor is not None and not has_perm(actor, "participation.units", menu.community):
        raise PermissionDeniedError()
    if not 1 <= accept_hours <= 24 * 14:
        raise DomainError("accept_hours", gettext("接单时限应在 1 到 336 小时之间。"), details={"field": "accept_hours"})
    menu.title, menu.accept_hours, menu.is_published = (title or "").strip()[:60] or menu.title, accept_hours, is_published
    menu.path = menu.community.path
    menu.save()
    event_append(subject=menu, kind="menu.saved", actor=actor,
                 payload={"accept_hours": accept_hours, "published": is_published})
    return menu
