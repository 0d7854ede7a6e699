"""Writes of the grid's field work. Each service is one transaction and appends an event.

A field record is written from the phone, often on a weak connection: with an Idempotency-Key a retry hands
back the first record (the same key with other content is refused, 409), as the demand intake does. A finding
becomes a demand through the demands intake (`demand_submit`, channel 民情家访 or 网格巡查) — once: a second tap
hands back the same demand."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Household, Organization, Person, RoleAssignment
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.demands.choices import ReporterKind
from yishiting.demands.models import Demand
from yishiting.demands.photos import clean_photos, stored_photo_fields
from yishiting.demands.services import Submission, demand_submit

from .choices import ESTATE_KINDS, FINDING_CHANNEL, RecordKind
from .models import Assignment, FieldRecord, Finding, Plaque, RecordPhoto
from .selectors import building_of, estate_depth, estate_of, keeper_pool

SUMMARY_MAX, FINDING_MAX, FINDINGS_MAX, KEY_MAX = 1000, 500, 10, 100


def _text(value: str, limit: int, field_name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", message, details={"field": field_name})
    if len(value) > limit:
        raise DomainError("too_long", gettext("内容不能超过 %(limit)s 字。") % {"limit": limit},
                          details={"field": field_name})
    return value


# ---- 包联 ----------------------------------------------------------------------------------------------------------

@transaction.atomic
def assignment_create(*, actor, keeper: Person, household: Household | None = None,
                      building: Area | None = None) -> Assignment:
    """Give `keeper` one household or one building of an estate to keep in touch with (event grid.assigned)."""
    if (household is None) == (building is None):
        raise DomainError("target_required", gettext("请选择一户或一栋楼。"), details={"field": "household"})
    place = household.unit if household is not None else building
    estate = estate_of(place)
    if building is not None and (estate is None or building.depth != estate_depth() + 1):
        raise DomainError("not_a_building", gettext("请选择小区里的一栋楼。"), details={"field": "building"})
    if estate is None or not has_perm(actor, "grid.assign", estate):
        raise PermissionDeniedError(gettext("只有社区工作人员和网格长可以在辖区内安排包联。"))
    if not keeper_pool(estate).filter(pk=keeper.pk).exists():
        raise DomainError("not_a_keeper", gettext("包联人须是本社区的干部、网格员或党员。"), details={"field": "keeper"})
    path = household.path if household is not None else building.path
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(keeper=keeper, estate=estate, household=household,
                                                   building=building, path=path,
                                                   assigned_by=person_of_user(actor))
    except IntegrityError:
        raise Conflict("already_assigned", gettext("该包联人已在联系这一户（或这栋楼）。")) from None
    event_append(subject=assignment, kind="grid.assigned", actor=actor, new_subject=True,
                 payload={"keeper": keeper.pk, "household": getattr(household, "pk", None),
                          "building": getattr(building, "pk", None)})
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: Assignment) -> Assignment:
    """End a 包联 (event grid.assignment_ended); ending an ended one changes nothing."""
    if not has_perm(actor, "grid.assign", assignment):
        raise PermissionDeniedError(gettext("只有社区工作人员和网格长可以调整包联。"))
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.is_active:
        locked.is_active, locked.ended_at = False, timezone.now()
        locked.save(update_fields=["is_active", "ended_at"])
        event_append(subject=locked, kind="grid.assignment_ended", actor=actor)
    return locked


# ---- visits and patrols ------------------------------------------------------------------------------------------

@dataclass
class RecordEntry:
    """What the phone sends for one visit, patrol, joint patrol or 三方对话会."""

    kind: str
    place: Area  # the building, or the estate itself
    summary: str
    household: Household | None = None
    occurred_at: datetime | None = None
    position: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    findings: list[str] = field(default_factory=list)
    participants: str = ""
    organizations: list[Organization] = field(default_factory=list)
    photos: list[bytes] = field(default_factory=list)

    def fingerprint(self) -> str:
        body = [self.kind, self.place.pk, self.summary, getattr(self.household, "pk", None),
                self.occurred_at.isoformat() if self.occurred_at else None, self.position, str(self.latitude),
                str(self.longitude), self.findings, self.participants, sorted(o.pk for o in self.organizations),
                [hashlib.sha256(p).hexdigest() for p in self.photos]]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _check_entry(actor, entry: RecordEntry) -> Area:
    if entry.kind not in RecordKind.values:
        raise DomainError("invalid_choice", gettext("请选择记录类型。"), details={"field": "kind"})
    estate = estate_of(entry.place)
    if estate is None or entry.place.depth > estate_depth() + 1:
        raise DomainError("invalid_place", gettext("地点请选择小区或其中的一栋楼。"), details={"field": "place"})
    permission = "grid.estate_record" if entry.kind in ESTATE_KINDS else "grid.record"
    if not has_perm(actor, permission, entry.place):
        raise PermissionDeniedError(gettext("该地点不在您可以记录走访巡查的范围内。"))
    if entry.kind == RecordKind.VISIT and entry.household is None:
        raise DomainError("household_required", gettext("走访请选择住户。"), details={"field": "household"})
    if entry.household is not None and not entry.household.path.startswith(entry.place.path):
        raise DomainError("invalid_household", gettext("住户不在所选楼栋内。"), details={"field": "household"})
    if entry.household is not None and entry.place.depth == estate_depth():
        entry.place = building_of(entry.household.unit)  # a visit happens at the household's building
    if entry.occurred_at is not None and entry.occurred_at > timezone.now() + timedelta(minutes=5):
        raise DomainError("future_time", gettext("时间不能晚于现在。"), details={"field": "occurred_at"})
    for name, value, bound in (("latitude", entry.latitude, 90), ("longitude", entry.longitude, 180)):
        if value is not None and not (-bound <= value <= bound):
            raise DomainError("invalid_point", gettext("地图坐标不正确。"), details={"field": name})
    if len(entry.findings) > FINDINGS_MAX:
        raise DomainError("too_many_findings", gettext("一次最多记录 %(n)s 个问题。") % {"n": FINDINGS_MAX},
                          details={"field": "findings"})
    return estate


def record_create(*, actor, entry: RecordEntry, idempotency_key: str | None = None) -> FieldRecord:
    """Record a visit, patrol, joint patrol or 三方对话会 with its photos and findings (event grid.recorded).
    Photos are checked before the transaction; with an Idempotency-Key a retry returns the first record."""
    entry.summary = _text(entry.summary, SUMMARY_MAX, "summary", gettext("请填写情况记录。"))
    entry.findings = [_text(f, FINDING_MAX, "findings", gettext("请填写发现的问题。"))
                      for f in entry.findings if (f or "").strip()]
    estate = _check_entry(actor, entry)
    recorder = person_of_user(actor)
    if recorder is None:
        raise PermissionDeniedError(gettext("请先登记人员信息后再记录。"))
    if idempotency_key and len(idempotency_key) > KEY_MAX:
        raise DomainError("invalid_idempotency_key", gettext("Idempotency-Key 过长。"),
                          details={"field": "Idempotency-Key"})
    photos = clean_photos(entry.photos)
    fingerprint = entry.fingerprint() if idempotency_key else ""
    if idempotency_key and (existing := _replay(actor, idempotency_key, fingerprint)):
        return existing
    try:
        return _create(actor, entry, estate, recorder, photos, idempotency_key or "", fingerprint)
    except IntegrityError:
        if idempotency_key and (existing := _replay(actor, idempotency_key, fingerprint)):
            return existing  # a concurrent retry won the race
        raise


def _replay(actor, key: str, fingerprint: str) -> FieldRecord | None:
    record = FieldRecord.objects.filter(created_by=actor, idempotency_key=key).first()
    if record is not None and record.fingerprint != fingerprint:
        raise Conflict("idempotency_key_reused", gettext("该 Idempotency-Key 已用于另一条不同内容的记录。"))
    return record


@transaction.atomic
def _create(actor, entry: RecordEntry, estate: Area, recorder: Person, photos, key: str,
            fingerprint: str) -> FieldRecord:
    record = FieldRecord.objects.create(
        kind=entry.kind, estate=estate, place=entry.place, household=entry.household,
        path=entry.household.path if entry.household else entry.place.path, position=entry.position.strip()[:100],
        latitude=entry.latitude, longitude=entry.longitude, occurred_at=entry.occurred_at or timezone.now(),
        recorder=recorder, summary=entry.summary, participants=entry.participants.strip()[:300],
        created_by=actor, idempotency_key=key, fingerprint=fingerprint)
    if entry.organizations:
        record.organizations.set(entry.organizations)
    Finding.objects.bulk_create([Finding(record=record, text=text) for text in entry.findings])
    for photo in photos:
        RecordPhoto.objects.create(record=record, **stored_photo_fields(photo))
    event_append(subject=record, kind="grid.recorded", actor=actor, new_subject=True,
                 payload={"kind": entry.kind, "estate": estate.pk, "place": entry.place.pk,
                          "findings": len(entry.findings), "photos": [p.sha256 for p in photos]})
    return record


def finding_report(*, actor, finding: Finding) -> Demand:
    """One tap: the finding becomes a demand at the record's place (channel 民情家访 or 网格巡查, the record's
    photos attached), linked both ways (event grid.finding_reported). Tapped twice, the same demand."""
    with transaction.atomic():
        # Lock the finding's row alone (PostgreSQL refuses FOR UPDATE across the nullable joins).
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.demand_id:
            return locked.demand
        record = locked.record
        if not (has_perm(actor, "grid.view", record) or record.recorder.user_id == actor.pk):
            raise PermissionDeniedError(gettext("只有记录人和网格、社区工作人员可以把问题转为诉求。"))
        demand = demand_submit(actor=actor, submission=_submission(locked))
        locked.demand = demand
        locked.save(update_fields=["demand"])
        event_append(subject=record, kind="grid.finding_reported", actor=actor,
                     payload={"finding": locked.pk, "demand": demand.pk, "number": demand.number})
    return demand


def _submission(finding: Finding) -> Submission:
    record = finding.record
    photos = [p.image.open("rb").read() for p in record.photos.all()]
    for photo in record.photos.all():
        photo.image.close()
    where = record.position or record.place.name
    return Submission(text=finding.text, area=record.household.unit if record.household else record.place,
                      channel=FINDING_CHANNEL[record.kind], address=where[:200], latitude=record.latitude,
                      longitude=record.longitude, reporter_kind=ReporterKind.SELF, photos=photos)


# ---- 挂牌 ----------------------------------------------------------------------------------------------------------

@transaction.atomic
def plaque_hang(*, actor, role: RoleAssignment, hung_on: date | None = None) -> Plaque:
    """Hang (or re-date) the plaque of a 党员中心户 (event grid.plaque_hung)."""
    if role.role != Role.CENTRAL_HOUSEHOLD or not role.is_active:
        raise DomainError("not_central_household", gettext("只有在任的党员中心户可以挂牌。"), details={"field": "role"})
    if actor is not None and not has_perm(actor, "grid.assign", role.area):
        raise PermissionDeniedError(gettext("只有社区工作人员可以登记中心户挂牌。"))
    plaque, _created = Plaque.objects.update_or_create(role=role, defaults={"hung_on": hung_on or timezone.localdate()})
    event_append(subject=plaque, kind="grid.plaque_hung", actor=actor, new_subject=_created,
                 payload={"role": role.pk, "hung_on": plaque.hung_on.isoformat()})
    return plaque
