"""整改清单 (docs/states/rectificationitem.md): an official issues a list of items to a community or unit; each
item: issued → acknowledged (签收) → submitted (提交销号, with evidence) → accepted (销号) or returned (退回) and
submitted again; withdrawn (撤销) by the issuing level while not submitted. Progress reports with photos come
between. Deadlines are working days on the project's calendar (common.calendar)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.models import Area, Organization, Person
from yishiting.areas.selectors import community_depth, person_for_user
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import full_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition
from yishiting.demands.photos import clean_photos
from yishiting.handling.records_language import site_text
from yishiting.handling.services.tasks import required_text
from yishiting.notifications.services import notify, notify_many

from ..choices import ItemStatus, ReportKind
from ..models import RectificationItem, RectificationList, RectificationPhoto, RectificationReport
from ..rules import issuer_area_for, may_decide, may_work
from ..selectors import handlers_of
from ..transitions import ITEM_TRANSITIONS, WORKING

MAX_TITLE, MAX_TEXT, MAX_ITEMS, MAX_DAYS = 200, 2000, 50, 250
S = ItemStatus


@dataclass(frozen=True)
class ItemInput:
    description: str
    deadline_days: int
    organization: Organization | None = None


def _link(item_or_list) -> str:
    rect = getattr(item_or_list, "list", item_or_list)
    return f"/oversight/rectifications/{rect.pk}/"


def _check_target(target_area: Area | None, target_org: Organization | None) -> None:
    if (target_area is None) == (target_org is None):
        raise DomainError("target_required", _("请选择整改对象：一个社区或一个单位。"), details={"field": "target"})
    if target_area is not None and target_area.depth != community_depth():
        raise DomainError("not_a_community", _("整改对象须是社区（村）。"), details={"field": "target"})


def _item_org(entry: ItemInput, target_area: Area | None, target_org: Organization | None) -> Organization | None:
    org = entry.organization or target_org
    if org is not None and target_org is not None and org.pk != target_org.pk:
        raise DomainError("item_unit", _("下发给单位的清单，每项的责任单位都是该单位。"), details={"field": "items"})
    if org is not None and target_area is not None and not org.path.startswith(target_area.path):
        raise DomainError("item_unit", _("责任单位须在该社区服务范围内。"), details={"field": "items"})
    return org


def _items(entries: Iterable[ItemInput]) -> list[ItemInput]:
    entries = [e for e in entries if (e.description or "").strip()]
    if not entries:
        raise DomainError("items_required", _("请至少填写一项整改事项。"), details={"field": "items"})
    if len(entries) > MAX_ITEMS:
        raise DomainError("too_many_items", _("一份清单最多 %(n)s 项。") % {"n": MAX_ITEMS}, details={"field": "items"})
    for entry in entries:
        if isinstance(entry.deadline_days, bool) or not isinstance(entry.deadline_days, int) \
                or not 1 <= entry.deadline_days <= MAX_DAYS:
            raise DomainError("invalid_days", _("整改期限须是 1 到 %(n)s 个工作日。") % {"n": MAX_DAYS},
                              details={"field": "items"})
    return entries


@transaction.atomic
def rectification_issue(*, actor, title: str, items: Iterable[ItemInput], target_area: Area | None = None,
                        target_organization: Organization | None = None, basis: str = "",
                        today: date | None = None) -> RectificationList:
    """Issue a 整改清单: every item starts 待签收 with its deadline in working days from today. Events
    rectification.issued on the list and rectification.item_issued on each item; the unit's handlers are told."""
    title = required_text(title, "title", _("请填写清单名称。"), MAX_TITLE)
    _check_target(target_area, target_organization)
    issuer_area = issuer_area_for(actor, target_area=target_area, target_org=target_organization)
    if issuer_area is None:
        raise PermissionDeniedError(_("只能向本级管辖范围内的社区或单位下发整改清单（社区书记只能向本社区的共建单位下发）。"))
    entries, today = _items(items), today or timezone.localdate()
    target_path = (target_organization or target_area).path
    rect = RectificationList.objects.create(
        number=uuid.uuid4().hex[:20], title=title, basis=(basis or "").strip()[:MAX_TEXT], issuer_area=issuer_area,
        issuer_path=issuer_area.path, target_area=target_area, target_organization=target_organization,
        path=target_path, issued_by=actor)
    rect.number = f"ZG{today:%Y}-{rect.pk:05d}"
    rect.save(update_fields=["number"])
    made = [_item_create(actor, rect, seq, entry, target_area, target_organization, today)
            for seq, entry in enumerate(entries, start=1)]
    event_append(subject=rect, kind="rectification.issued", actor=actor, new_subject=True, payload={
        "number": rect.number, "issuer_area": issuer_area.pk, "path": target_path, "items": [i.pk for i in made]})
    return rect


def _item_create(actor, rect, seq: int, entry: ItemInput, target_area, target_org, today: date) -> RectificationItem:
    org = _item_org(entry, target_area, target_org)
    due = add_working_days(today, entry.deadline_days)
    area = org.area if org is not None else target_area
    item = RectificationItem.objects.create(
        list=rect, seq=seq, description=required_text(entry.description, "items", _("请填写整改事项。"), MAX_TEXT), organization=org,
        area=area, path=org.path if org is not None else target_area.path, deadline_days=entry.deadline_days,
        deadline=due.date)
    event_append(subject=item, kind="rectification.item_issued", actor=actor, new_subject=True, payload={
        "list": rect.pk, "deadline": due.date.isoformat(), "days": entry.deadline_days,
        "organization": org.pk if org else None, "calendar_warnings": due.warnings})
    text = site_text(gettext_noop("收到整改清单“%(title)s”第 %(seq)s 项，请于 %(deadline)s 前整改到位。"),
                     title=rect.title[:40], seq=seq, deadline=full_day(due.date))
    notify_many(people=handlers_of(item), text=text, link=_link(rect), subject=item)
    return item


def _worker(actor, item: RectificationItem) -> Person:
    person = person_for_user(actor)
    if person is None or not may_work(actor, item):
        raise PermissionDeniedError(_("只有责任单位的经办人可以办理该整改事项。"))
    return person


def _decider(actor, item: RectificationItem) -> None:
    if not may_decide(actor, item):
        raise PermissionDeniedError(_("只有下发层级（或上级）的干部可以验收、退回或撤销整改事项。"))


@transaction.atomic
def rectification_acknowledge(*, actor, item: RectificationItem) -> RectificationItem:
    """签收: issued → acknowledged. Event rectification.acknowledged."""
    _worker(actor, item)
    return transition(item, to=S.ACKNOWLEDGED, actor=actor, table=ITEM_TRANSITIONS, kind="rectification.acknowledged",
                      changes={"acknowledged_at": timezone.now()})


def _report(actor, person: Person, item: RectificationItem, text: str, photos: list[bytes], kind: str) -> RectificationReport:
    cleaned = clean_photos(photos)
    report = RectificationReport.objects.create(item=item, kind=kind, text=text, reporter=person)
    for photo in cleaned:
        RectificationPhoto.objects.create(
            report=report, content_type=photo.content_type, size=len(photo.data), sha256=photo.sha256,
            image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"),
            thumbnail=ContentFile(photo.thumbnail, name=f"{photo.sha256[:16]}.jpg") if photo.thumbnail else "")
    return report


@transaction.atomic
def rectification_report(*, actor, item: RectificationItem, text: str, photos: Iterable[bytes] = ()) -> RectificationReport:
    """A progress report with photos while the unit works on the item (acknowledged or returned); no state
    change. Event rectification.reported with the photos' SHA-256."""
    person = _worker(actor, item)
    text = required_text(text, "text", _("请填写整改进展。"), MAX_TEXT)
    locked = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if locked.status not in WORKING:
        raise Conflict("item_not_working", _("整改事项%(status)s，不能报告进展。") % {"status": locked.get_status_display()})
    report = _report(actor, person, locked, text, list(photos), ReportKind.PROGRESS)
    event_append(subject=locked, kind="rectification.reported", actor=actor, payload={
        "report": report.pk, "photos": [p.sha256 for p in report.photos.all()]})
    return report


@transaction.atomic
def rectification_submit(*, actor, item: RectificationItem, text: str, photos: Iterable[bytes] = ()) -> RectificationItem:
    """提交销号 with what was done (and photos): acknowledged or returned → submitted. The issuer is told.
    Event rectification.submitted. Two handlers submitting at once: the row lock lets exactly one through."""
    person = _worker(actor, item)
    text = required_text(text, "text", _("请说明整改完成情况。"), MAX_TEXT)
    current = item.status
    locked = transition(item, to=S.SUBMITTED, actor=actor, table=ITEM_TRANSITIONS, kind="rectification.submitted",
                        expected=current if current in WORKING else None, changes={"submitted_at": timezone.now()})
    report = _report(actor, person, locked, text, list(photos), ReportKind.SUBMISSION)
    event_append(subject=locked, kind="rectification.evidence", actor=actor, payload={
        "report": report.pk, "photos": [p.sha256 for p in report.photos.all()]})
    issuer = Person.objects.filter(user_id=locked.list.issued_by_id).first()
    notify(person=issuer, subject=locked, link=_link(locked), text=site_text(
        gettext_noop("整改清单“%(title)s”第 %(seq)s 项已提交销号，请验收。"), title=locked.list.title[:40], seq=locked.seq))
    return locked


@transaction.atomic
def rectification_accept(*, actor, item: RectificationItem, note: str = "") -> RectificationItem:
    """验收销号: submitted → accepted. Event rectification.accepted."""
    _decider(actor, item)
    locked = transition(item, to=S.ACCEPTED, actor=actor, table=ITEM_TRANSITIONS, kind="rectification.accepted",
                        payload={"note": (note or "").strip()[:MAX_TEXT]},
                        changes={"accepted_at": timezone.now(), "last_note": (note or "").strip()[:MAX_TEXT]})
    notify_many(people=handlers_of(locked), subject=locked, link=_link(locked), text=site_text(
        gettext_noop("整改清单“%(title)s”第 %(seq)s 项已验收销号。"), title=locked.list.title[:40], seq=locked.seq))
    return locked


@transaction.atomic
def rectification_return(*, actor, item: RectificationItem, reason: str) -> RectificationItem:
    """退回: submitted → returned, with the reason the unit must address; the deadline stays. Event
    rectification.returned."""
    _decider(actor, item)
    reason = required_text(reason, "reason", _("请写明退回理由。"), MAX_TEXT)
    locked = transition(item, to=S.RETURNED, actor=actor, table=ITEM_TRANSITIONS, kind="rectification.returned",
                        payload={"reason": reason}, changes={"returns": F("returns") + 1, "last_note": reason})
    locked.refresh_from_db(fields=["returns"])
    item.returns = locked.returns
    notify_many(people=handlers_of(locked), subject=locked, link=_link(locked), text=site_text(
        gettext_noop("整改清单“%(title)s”第 %(seq)s 项被退回：%(reason)s"), title=locked.list.title[:40],
        seq=locked.seq, reason=reason[:60]))
    return locked


@transaction.atomic
def rectification_cancel(*, actor, item: RectificationItem, reason: str) -> RectificationItem:
    """撤销 an item not yet submitted (issued wrongly or no longer needed). Event rectification.cancelled."""
    _decider(actor, item)
    reason = required_text(reason, "reason", _("请写明撤销理由。"), MAX_TEXT)
    return transition(item, to=S.CANCELLED, actor=actor, table=ITEM_TRANSITIONS, kind="rectification.cancelled",
                      payload={"reason": reason}, changes={"last_note": reason})
