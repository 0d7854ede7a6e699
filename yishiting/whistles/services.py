"""Writes of 吹哨·应哨. Each service is one transaction; status changes go through common.transitions
(WHISTLE_TRANSITIONS, RESPONSE_TRANSITIONS) and append an event; notifications are recorded with them and their
text messages leave after commit (notifications.services)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yishiting.areas.models import Area, Organization, Person, RoleAssignment
from yishiting.areas.selectors import office_staff_nearest, person_for_user
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import full_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.handling.records_language import site_text
from yishiting.notifications.services import notify, notify_many

from .choices import ClosedHow, ResponseStatus, WhistleStatus
from .matter import matter_done, matter_place
from .models import ResponsePhoto, Whistle, WhistleResponse
from .rules import RESPONDERS, blower_role, may_add_unit, may_cancel, may_close, responder_org_ids
from .selectors import unit_pool
from .transitions import RESPONSE_TRANSITIONS, WAITING, WHISTLE_TRANSITIONS

W, R = WhistleStatus, ResponseStatus
TEXT_MAX, NOTE_MAX, SUMMARY_MAX, MAX_UNITS, MAX_DAYS = 1000, 1000, 300, 8, 20


def link(whistle: Whistle) -> str:
    return f"/whistles/{whistle.pk}/"


def _text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("text_required", gettext("请填写内容。"), details={"field": field})
    if len(text) > limit:
        raise DomainError("text_too_long", gettext("内容不能超过 %(limit)s 字。") % {"limit": limit},
                          details={"field": field})
    return text


def responders_of(organization_ids: list[int]) -> list[Person]:
    """Who is told to answer for a unit: its handlers and 单位代表."""
    rows = (RoleAssignment.objects.filter(organization_id__in=organization_ids, role__in=RESPONDERS, is_active=True)
            .select_related("person"))
    return list({r.person.pk: r.person for r in rows}.values())


def _check_units(units: list[Organization], area: Area) -> list[Organization]:
    unique = list({u.pk: u for u in units}.values())
    if not unique:
        raise DomainError("units_required", gettext("请至少选择一个应哨单位。"), details={"field": "unit_1"})
    if len(unique) > MAX_UNITS:
        raise DomainError("too_many_units", gettext("一次吹哨最多召集 %(n)s 个单位。") % {"n": MAX_UNITS},
                          details={"field": "unit_1"})
    allowed = set(unit_pool([area.path]).filter(pk__in=[u.pk for u in unique]).values_list("pk", flat=True))
    if len(allowed) != len(unique):
        raise DomainError("invalid_unit", gettext("所选单位不能应哨（须为本区的职能部门、街道、物业、警务室或驻区单位）。"),
                          details={"field": "unit_1"})
    return unique


def _deadline(days: int) -> tuple:
    if not 1 <= int(days) <= MAX_DAYS:
        raise DomainError("invalid_days", gettext("应哨期限须为 1 至 %(n)s 个工作日。") % {"n": MAX_DAYS},
                          details={"field": "days"})
    return add_working_days(timezone.localdate(), int(days))


def _new_demand(actor, text: str, area: Area):
    """A whistle blown on a matter nobody had reported yet becomes a demand (channel 吹哨), so the loop screens
    and handles it like any other and the whistle closes when it is handled."""
    from yishiting.demands.choices import Channel
    from yishiting.demands.services import Submission, demand_submit

    return demand_submit(actor=actor, submission=Submission(text=text, area=area, channel=Channel.WHISTLE))


@transaction.atomic
def whistle_blow(*, actor, text: str, units: list[Organization], days: int, demand=None, topic=None, task=None,
                 area: Area | None = None) -> Whistle:
    """A new whistle (应哨中) on a demand, topic or task — or at a place, which files a demand (channel 吹哨) —
    naming the units that must respond within `days` working days; each unit's responders are told."""
    person = person_for_user(actor)
    text = _text(text, TEXT_MAX, "text")
    place = matter_place(demand=demand, topic=topic, task=task) or area
    if person is None or place is None or not has_perm(actor, "whistles.blow", place):
        raise PermissionDeniedError(gettext("该事项不在您可以吹哨的范围内。"))
    units = _check_units(units, place)
    due = _deadline(days)
    if demand is None and topic is None and task is None:
        demand = _new_demand(actor, text, place)
    whistle = Whistle.objects.create(
        number=f"CS{timezone.now():%Y%m%d%H%M%S%f}"[:20], area=place, path=place.path, title=text[:60],
        text=text, demand=demand, topic=topic, task=task, blown_by=person, blower_role=blower_role(actor),
        deadline=due.date, deadline_warning="；".join(due.warnings)[:200])  # zh-only: calendar notes kept with the record
    whistle.number = f"CS{timezone.localdate():%Y}-{whistle.pk:06d}"
    whistle.save(update_fields=["number"])
    event_append(subject=whistle, kind="whistle.blown", actor=actor, new_subject=True,
                 payload={"title": whistle.title, "units": [u.name for u in units], "deadline": due.date.isoformat(),
                          "demand": getattr(demand, "pk", None), "topic": getattr(topic, "pk", None),
                          "task": getattr(task, "pk", None)})
    for unit in units:  # each call has its own chain: `yishiting verify` reconciles every response's status
        response = WhistleResponse.objects.create(whistle=whistle, organization=unit, called_at=whistle.blown_at,
                                                  deadline=due.date)
        event_append(subject=response, kind="whistle_response.called", actor=actor, new_subject=True,
                     payload={"unit": unit.name, "whistle": whistle.pk})
    notify_many(people=responders_of([u.pk for u in units]), link=link(whistle), subject=whistle,
                text=site_text(gettext_noop("【吹哨】%(place)s：%(title)s。请于 %(deadline)s 前报到并反馈处置情况。"),
                               place=place.name, title=whistle.title[:40], deadline=full_day(due.date)))
    return whistle


@transaction.atomic
def whistle_add_unit(*, actor, whistle: Whistle, unit: Organization, days: int) -> WhistleResponse:
    """增加应哨单位: the blower, or the office staff of the area, names one more unit on a whistle still open (up to
    MAX_UNITS in all), with its own deadline of `days` working days from today; the unit's responders are told.
    A whistle every unit had answered is open again (应哨中) until the new one answers too."""
    if not may_add_unit(actor, whistle):
        raise PermissionDeniedError(gettext("只有吹哨人或辖区工作人员可以增加应哨单位。"))
    locked = Whistle.objects.select_for_update().get(pk=whistle.pk)  # orders two additions to one whistle
    if not locked.is_open:
        raise Conflict("whistle_closed", gettext("这次吹哨已办结或撤回，不能再增加单位。"))
    if locked.responses.filter(organization=unit).exists():
        raise Conflict("unit_already_called", gettext("该单位已在应哨名单中。"), details={"field": "unit"})
    if locked.responses.count() >= MAX_UNITS:
        raise DomainError("too_many_units", gettext("一次吹哨最多召集 %(n)s 个单位。") % {"n": MAX_UNITS},
                          details={"field": "unit"})
    if not unit_pool([locked.path]).filter(pk=unit.pk).exists():
        raise DomainError("invalid_unit", gettext("所选单位不能应哨（须为本区的职能部门、街道、物业、警务室或驻区单位）。"),
                          details={"field": "unit"})
    due = _deadline(days)
    response = WhistleResponse.objects.create(whistle=locked, organization=unit, deadline=due.date, added=True)
    event_append(subject=response, kind="whistle_response.called", actor=actor, new_subject=True,
                 payload={"unit": unit.name, "whistle": locked.pk, "added": True, "deadline": due.date.isoformat()})
    payload = {"unit": unit.name, "deadline": due.date.isoformat()}
    if locked.status == W.ANSWERED:  # the units all answered, one more is needed: open again
        transition(locked, to=W.OPEN, actor=actor, table=WHISTLE_TRANSITIONS, expected=W.ANSWERED,
                   kind="whistle.unit_added", payload=payload)
    else:
        event_append(subject=locked, kind="whistle.unit_added", actor=actor, payload=payload)
    notify_many(people=responders_of([unit.pk]), link=link(locked), subject=locked,
                text=site_text(gettext_noop("【吹哨】%(place)s：%(title)s。请于 %(deadline)s 前报到并反馈处置情况。"),
                               place=locked.area.name, title=locked.title[:40], deadline=full_day(due.date)))
    return response


def _response(actor, response: WhistleResponse) -> Person:
    person = person_for_user(actor)
    if person is None or response.organization_id not in responder_org_ids(actor):
        raise PermissionDeniedError(gettext("只有被召集单位的经办人或单位代表可以应哨。"))
    if not response.whistle.is_open:
        raise Conflict("whistle_closed", gettext("这次吹哨已办结或撤回，不能再应哨。"))
    return person


def _answered() -> Conflict:
    return Conflict("already_responded", gettext("本单位已应哨，请刷新后查看。"))


@transaction.atomic
def response_arrive(*, actor, response: WhistleResponse) -> WhistleResponse:
    """待报到 → 已报到: the unit's handler or representative reports (on the spot or acknowledged), with the time."""
    person = _response(actor, response)
    now = timezone.now()
    try:
        return transition(response, to=R.ARRIVED, actor=actor, table=RESPONSE_TRANSITIONS, expected=R.PENDING,
                          kind="whistle_response.arrived", payload={"unit": response.organization.name},
                          changes={"arrived_at": now, "arrived_by": person})
    except DomainError as exc:
        if exc.code == "stale_state":
            raise Conflict("already_arrived", gettext("本单位已报到，请刷新后查看。")) from None
        raise


def _photo(response: WhistleResponse, raw: bytes) -> ResponsePhoto:
    from yishiting.demands.photos import clean_photos, thumbnail_file

    photo = clean_photos([raw])[0]
    return ResponsePhoto.objects.create(
        response=response, content_type=photo.content_type, sha256=photo.sha256, thumbnail=thumbnail_file(photo),
        image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"))


@transaction.atomic
def response_record(*, actor, response: WhistleResponse, note: str, photos: list[bytes] | None = None
                    ) -> WhistleResponse:
    """待报到 / 已报到 → 已应哨: what the unit did (photos optional); the 报到 time is set now if it was not.
    After the deadline it is marked late (超期). Two at once for one unit: exactly one is recorded, the other is
    told it is answered (409 already_responded). The last unit to answer makes the whistle 已全部应哨, and it
    closes at once when its matter is already handled."""
    person = _response(actor, response)
    note = _text(note, NOTE_MAX, "note")
    # The whistle's row lock orders the units' answers: the last one sees every other and marks it answered.
    Whistle.objects.select_for_update().filter(pk=response.whistle_id).first()
    now = timezone.now()
    late = timezone.localdate() > response.deadline
    changes = {"responded_at": now, "responded_by": person, "note": note, "late": late}
    if response.arrived_at is None:
        changes |= {"arrived_at": now, "arrived_by": person}
    if response.status not in WAITING:
        raise _answered()
    try:
        done = transition(response, to=R.RESPONDED, actor=actor, table=RESPONSE_TRANSITIONS,
                          expected=response.status, kind="whistle_response.responded",
                          payload={"unit": response.organization.name, "late": late, "note": note[:200]},
                          changes=changes)
    except DomainError as exc:
        if exc.code in ("stale_state", "invalid_transition"):
            raise _answered() from None
        raise
    for raw in photos or []:
        _photo(done, raw)
    whistle = done.whistle
    notify(person=whistle.blown_by, link=link(whistle), subject=whistle, sms=False,
           text=site_text(gettext_noop("%(unit)s 已应哨：%(note)s"), unit=done.organization.name, note=note[:60]))
    _after_answer(whistle, actor)
    return done


def _after_answer(whistle: Whistle, actor) -> None:
    if whistle.responses.filter(status__in=WAITING).exists():
        return
    whistle = transition(whistle, to=W.ANSWERED, actor=actor, table=WHISTLE_TRANSITIONS, expected=W.OPEN,
                         kind="whistle.answered")
    whistle_close_if_handled(whistle)


def whistle_close_if_handled(whistle: Whistle) -> Whistle | None:
    """已全部应哨 → 已办结 when the matter it was blown on is handled (the tick also runs this)."""
    if whistle.status != W.ANSWERED or not matter_done(whistle):
        return None
    return transition(whistle, to=W.CLOSED, actor=None, table=WHISTLE_TRANSITIONS, expected=W.ANSWERED,
                      kind="whistle.closed", payload={"how": ClosedHow.HANDLED},
                      changes={"closed_at": timezone.now(), "closed_how": ClosedHow.HANDLED,
                               "summary": site_text(gettext_noop("各单位均已应哨，事项已办结。"))})


@transaction.atomic
def whistle_close(*, actor, whistle: Whistle, summary: str) -> Whistle:
    """应哨中 / 已全部应哨 → 已办结 by staff, with a summary; units that never answered are 未应哨 (late)."""
    if not may_close(actor, whistle):
        raise PermissionDeniedError(gettext("只有辖区的社区或街道工作人员可以办结吹哨。"))
    summary = _text(summary, SUMMARY_MAX, "summary")
    # No `expected`: closing is allowed from either open state, the table refuses a second close (409).
    done = transition(whistle, to=W.CLOSED, actor=actor, table=WHISTLE_TRANSITIONS,
                      kind="whistle.closed", payload={"how": ClosedHow.STAFF, "summary": summary},
                      changes={"closed_at": timezone.now(), "closed_by": person_for_user(actor),
                               "closed_how": ClosedHow.STAFF, "summary": summary})
    for response in done.responses.filter(status__in=WAITING).select_related("organization"):
        transition(response, to=R.MISSED, actor=actor, table=RESPONSE_TRANSITIONS,
                   kind="whistle_response.missed", payload={"unit": response.organization.name},
                   changes={"late": True})
    return done


@transaction.atomic
def whistle_cancel(*, actor, whistle: Whistle, reason: str) -> Whistle:
    """应哨中 → 已撤回 (blown by mistake, or solved before anyone came): the units are told; nothing is counted."""
    if not may_cancel(actor, whistle):
        raise PermissionDeniedError(gettext("只有吹哨人或辖区工作人员可以撤回应哨中的吹哨。"))
    reason = _text(reason, SUMMARY_MAX, "reason")
    done = transition(whistle, to=W.CANCELLED, actor=actor, table=WHISTLE_TRANSITIONS, expected=W.OPEN,
                      kind="whistle.cancelled", payload={"reason": reason},
                      changes={"closed_at": timezone.now(), "summary": reason})
    waiting = list(done.responses.filter(status__in=WAITING))
    for response in waiting:
        transition(response, to=R.CANCELLED, actor=actor, table=RESPONSE_TRANSITIONS,
                   kind="whistle_response.cancelled")
    notify_many(people=responders_of([r.organization_id for r in waiting]), link=link(done), subject=done,
                sms=False, text=site_text(gettext_noop("吹哨“%(title)s”已撤回：%(reason)s"), title=done.title[:40],
                                          reason=reason))
    return done


def office_of(whistle: Whistle) -> list[Person]:
    return office_staff_nearest(whistle.area)
