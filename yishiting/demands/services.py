"""Writes to demands: submit (集) and screen (定). Each is one transaction and appends events."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area, Household, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.calendar import add_working_days
from yishiting.common.dates import day_text
from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append, first_event_rows
from yishiting.common.inserts import insert_together
from yishiting.common.reconcile import text_digest
from yishiting.common.rules import has_perm
from yishiting.notifications.delivery import outbox_after_commit
from yishiting.notifications.services import notification_new, notification_row, sms_after_commit

from . import intake, submit_sql
from .choices import Channel, ReporterKind, Urgency
from .models import Category, ConsultationRule, Demand, DemandKey, DemandPhoto, IdempotencyRecord
from .photos import CleanPhoto, clean_photos, thumbnail_file
from .suggest import SIGNATURE_VERSION

MAX_TEXT = 2000


@dataclass
class Submission:
    """What a person submits; validated by `demand_submit` (the edge) before anything is written."""

    text: str
    area: Area
    channel: str = Channel.ONLINE
    category: Category | None = None
    urgency: str = Urgency.NORMAL
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    reporter_kind: str = ReporterKind.SELF
    reporter: Person | None = None
    consent_recorded: bool = False
    household: Household | None = None
    photos: list[bytes] = field(default_factory=list)

    def fingerprint(self) -> str:
        body = [self.text, self.area.pk, self.channel, self.category.pk if self.category else None, self.urgency,
                self.address, str(self.latitude), str(self.longitude), self.reporter_kind,
                self.reporter.pk if self.reporter else None,
                [hashlib.sha256(p).hexdigest() for p in self.photos]]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("required", gettext("请填写诉求内容。"), details={"field": "text"})
    if len(text) > MAX_TEXT:
        raise DomainError("too_long", gettext('诉求内容不能超过 %(max_text)s 字（现在 %(len)s 字）。') % {"max_text": MAX_TEXT, "len": len(text)},
                          details={"field": "text"})
    return text


def _check_submission(actor, sub: Submission) -> None:
    if sub.channel not in Channel.values:
        raise DomainError("invalid_choice", gettext("渠道不正确。"), details={"field": "channel"})
    if sub.urgency not in Urgency.values:
        raise DomainError("invalid_choice", gettext("紧急程度不正确。"), details={"field": "urgency"})
    if sub.reporter_kind not in ReporterKind.values:
        raise DomainError("invalid_choice", gettext("提交方式不正确。"), details={"field": "reporter_kind"})
    if not has_perm(actor, "demands.submit", sub.area):
        raise PermissionDeniedError(gettext("该地点不在您可以提交诉求的范围内。"))
    if sub.reporter_kind == ReporterKind.ON_BEHALF:
        if not has_perm(actor, "demands.enter_on_behalf", sub.area):
            raise PermissionDeniedError(gettext("只有网格员、楼栋长和社区工作人员可以代居民录入。"))
        if not sub.consent_recorded:
            raise DomainError("consent_required", gettext("代居民录入须先取得本人同意，并勾选“已取得本人同意”。"),
                              details={"field": "consent_recorded"})
    if sub.category is not None and not sub.category.is_active:
        raise DomainError("invalid_choice", gettext("该类别已停用。"), details={"field": "category"})
    for name, value, bound in (("latitude", sub.latitude, 90), ("longitude", sub.longitude, 180)):
        if value is not None and not (-bound <= value <= bound):
            raise DomainError("invalid_point", gettext("地图坐标不正确。"), details={"field": name})


def _reporter_for(actor, sub: Submission) -> Person | None:
    if sub.reporter_kind == ReporterKind.ANONYMOUS:
        return None
    if sub.reporter_kind == ReporterKind.ON_BEHALF:
        return sub.reporter
    return person_of_user(actor)


def demand_submit(*, actor, submission: Submission, idempotency_key: str | None = None) -> Demand:
    """Create a demand in status `pending` (event demand.submitted) and tell the reporter its number.

    With an Idempotency-Key, a retry by the same user returns the first demand; the same key with different
    content is refused. Photos are checked and cleaned before the transaction starts. The key is not looked up
    first (unless photos would be stored): the (user, key) unique constraint refuses a second record, the whole
    insert rolls back, and the first demand is handed back — one query less for every submission that is not a
    retry.

    The returned demand carries what the response needs without reading it back: `submitted_event` (its one
    event) and `photos_created`.
    """
    sub = submission
    sub.text = _clean_text(sub.text)
    _check_submission(actor, sub)
    photos = clean_photos(sub.photos)
    fingerprint = sub.fingerprint() if idempotency_key else ""
    # With photos, look first: a retry must not store the files again only to roll the rows back.
    if idempotency_key and photos and (existing := _replay(actor, idempotency_key, fingerprint)):
        return existing
    reporter = _reporter_for(actor, sub)
    try:
        return _create(actor, sub, reporter, photos, idempotency_key, fingerprint)
    except IntegrityError:
        if idempotency_key and (existing := _replay(actor, idempotency_key, fingerprint)):
            return existing  # a retry, or a concurrent retry that won the race: hand back its demand
        raise


def _replay(actor, key: str, fingerprint: str) -> Demand | None:
    record = IdempotencyRecord.objects.filter(user=actor, key=key).select_related("demand").first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise Conflict("idempotency_key_reused", gettext("该 Idempotency-Key 已用于另一条不同内容的诉求。"))
    return record.demand


def _create(actor, sub: Submission, reporter: Person | None, photos: list[CleanPhoto], key: str | None,
            fingerprint: str) -> Demand:
    suggested, confidence, _ = intake.suggest_category(sub.text)
    category = sub.category or suggested or next(iter(intake.active_categories()), None)
    if category is None:
        raise DomainError("no_category", gettext("尚未配置诉求类别，请联系管理员。"))
    place = intake.placement(sub.area)
    deadline = add_working_days(timezone.localdate(), category.screening_days)
    demand = Demand(
        district=place.district, text=sub.text, category=category, suggested_category=suggested,
        suggested_confidence=confidence, channel=sub.channel, urgency=sub.urgency, area=sub.area,
        household=sub.household, path=sub.area.path, address=sub.address.strip()[:200], latitude=sub.latitude,
        longitude=sub.longitude, reporter_kind=sub.reporter_kind, reporter=reporter,
        entered_by=actor if actor.is_authenticated else None, consent_recorded=sub.consent_recorded,
        screening_area=place.community, screening_path=place.community.path, level_area=place.level,
        screening_deadline=deadline.date, deadline_warning="；".join(deadline.warnings)[:200],
    )
    payload = {"channel": demand.channel, "category": category.name,
               "suggested": suggested.name if suggested else None, "reporter_kind": demand.reporter_kind,
               "area": sub.area.code, "photos": [p.sha256 for p in photos],
               # what `yishiting verify` reconciles the row against (demands.reconcile); the text as a digest
               "reporter": reporter.pk if reporter else None, "household": demand.household_id,
               "text_sha256": text_digest(demand.text), "category_id": category.pk, "urgency": demand.urgency}
    notice = ("已收到您的诉求（编号 ", f"），社区将在 {day_text(deadline.date)} 前答复。")  # zh-only: the resident's SMS
    if connection.vendor == "postgresql" and not photos:
        return _insert_in_one_statement(actor, demand, payload, notice, key, fingerprint)
    with transaction.atomic():
        # SQLite, or photos to store: the district's number counter is locked from here to commit, everything
        # above stays outside. On PostgreSQL the same statement reserves the demand's id, and the demand, its
        # idempotency record, index rows, event and notification then go in one more statement
        # (common.inserts); on SQLite one by one.
        demand.number, demand.pk = intake.next_number_and_id(place.district)
        demand.reporter_notification = None

        def first_event() -> list:
            demand.submitted_event, head = first_event_rows(
                subject=demand, kind="demand.submitted", actor=actor, payload={"number": demand.number, **payload})
            notification = notification_new(person=demand.reporter, subject=demand, link=f"/demands/{demand.pk}/",
                                            text=f"{notice[0]}{demand.number}{notice[1]}")
            demand.reporter_notification = notification
            return [demand.submitted_event, head, *([notification] if notification else [])]

        insert_together([
            demand,  # first: the rows below use its id (SQLite) and creation time
            lambda: [IdempotencyRecord(user=actor, key=key, fingerprint=fingerprint, demand=demand)] if key else [],
            lambda: intake.index_rows(demand, community=place.community),
            first_event,
        ])
        sms_after_commit_of(demand)  # the reporter's deliveries, in this transaction (notifications.delivery)
        demand.photos_created = [
            DemandPhoto.objects.create(demand=demand, content_type=photo.content_type, sha256=photo.sha256,
                                       width=photo.width, height=photo.height, size=len(photo.data),
                                       image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"),
                                       thumbnail=thumbnail_file(photo))
            for photo in photos]
    return demand


def _insert_in_one_statement(actor, demand: Demand, payload: dict, notice: tuple[str, str], key: str | None,
                             fingerprint: str) -> Demand:
    """PostgreSQL without photos: the same rows in one statement that also takes the number (submit_sql)."""
    notification = notification_row(person=demand.reporter, text="", subject=demand)  # text, link, id: the statement
    rows = submit_sql.NewRows(
        demand=demand, record=IdempotencyRecord(user=actor, key=key, fingerprint=fingerprint) if key else None,
        keys=DemandKey(key="", community=demand.screening_area, version=SIGNATURE_VERSION),
        key_values=intake.index_keys(demand.text), event_kind="demand.submitted", event_actor=actor,
        event_payload=payload, notification=notification, notice=notice)
    if notification is not None and notification.sent_by_sms:
        notification.outbox = True  # the notification row is the SMS's outbox: still one statement
    submit_sql.insert_demand(rows)
    if notification is not None and notification.outbox:
        outbox_after_commit()
    demand.photos_created = []
    return demand


def sms_after_commit_of(demand: Demand) -> None:
    notification = getattr(demand, "reporter_notification", None)
    if notification is not None and notification.sent_by_sms:
        sms_after_commit(notification)


def screening_deadline(category: Category, start: date | None = None) -> date:
    return add_working_days(start or timezone.localdate(), category.screening_days).date


def demand_for_screening(actor, demand_id: int) -> Demand:
    demand = Demand.objects.select_related("area", "screening_area", "category").filter(pk=demand_id).first()
    if demand is None or not has_perm(actor, "demands.view", demand):
        raise NotFound()
    if not has_perm(actor, "demands.screen", _ScreeningScope(demand)):
        raise PermissionDeniedError(gettext("该诉求不在您的筛选范围内。"))
    return demand


@dataclass
class _ScreeningScope:
    demand: Demand

    @property
    def scope_path(self) -> str:
        return self.demand.screening_path


def check_can_screen(actor, demand: Demand) -> None:
    if not has_perm(actor, "demands.screen", _ScreeningScope(demand)):
        raise PermissionDeniedError(gettext("该诉求不在您的筛选范围内。"))


# ---- the editable catalogues (category list, 协商目录), written from the back office ----

CATEGORY_FIELDS = ("name", "code", "description", "screening_days", "list_kind", "sort_order", "is_active")
RULE_FIELDS = ("kind", "text", "is_example", "sort_order", "is_active")


def _check_catalogue(actor) -> None:
    if not (getattr(actor, "is_superuser", False) or has_perm(actor, "demands.catalogue")):
        raise PermissionDeniedError(gettext("只有系统管理员可以修改诉求类别和协商目录。"))


def _apply_fields(obj, allowed: tuple[str, ...], fields: dict) -> list[str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError("unknown_fields", gettext("包含不能修改的字段。"), details={"fields": sorted(unknown)})
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    return changed


@transaction.atomic
def category_save(*, actor, category: Category | None = None, **fields) -> Category:
    """Create a catalogue category (category=None) or change one; events category.created / category.changed.

    Renaming one of the nine defaults loses its automatic suggestion (the engine knows them by name)."""
    _check_catalogue(actor)
    category = Category() if category is None else Category.objects.select_for_update().get(pk=category.pk)
    creating = category.pk is None
    changed = _apply_fields(category, CATEGORY_FIELDS, fields)
    category.name = (category.name or "").strip()
    if not category.name:
        raise DomainError("required", gettext("请填写类别名称。"), details={"field": "name"})
    for name, label in (("name", gettext("名称")), ("code", gettext("代码"))):
        if Category.objects.filter(**{name: getattr(category, name)}).exclude(pk=category.pk).exists():
            raise DomainError("duplicate", gettext('已有相同%(label)s的类别。') % {"label": label}, details={"field": name})
    if category.list_kind not in Category.ListKind.values:
        raise DomainError("invalid_choice", gettext("清单类型不正确。"), details={"field": "list_kind"})
    category.save()
    event_append(subject=category, kind="category.created" if creating else "category.changed", actor=actor,
                 payload={"name": category.name, "fields": sorted(changed)})
    return category


@transaction.atomic
def consultation_rule_save(*, actor, rule: ConsultationRule | None = None, **fields) -> ConsultationRule:
    """Create or change an entry of the 协商目录 (议 / 不议); events rule.created / rule.changed."""
    _check_catalogue(actor)
    rule = ConsultationRule() if rule is None else ConsultationRule.objects.select_for_update().get(pk=rule.pk)
    creating = rule.pk is None
    changed = _apply_fields(rule, RULE_FIELDS, fields)
    rule.text = (rule.text or "").strip()
    if not rule.text:
        raise DomainError("required", gettext("请填写条目内容。"), details={"field": "text"})
    if rule.kind not in ConsultationRule.Kind.values:
        raise DomainError("invalid_choice", gettext("请选择“议”或“不议”。"), details={"field": "kind"})
    rule.save()
    event_append(subject=rule, kind="rule.created" if creating else "rule.changed", actor=actor,
                 payload={"kind": rule.kind, "text": rule.text, "fields": sorted(changed)})
    return rule


# What the mediation of a demand's dispute did, on the demand's own chain: the reporter's timeline shows it and
# the 响应率 counts "demand.mediation_accepted" as the response to a demand screened to mediation.
MEDIATION_EVENT_KINDS = ("demand.mediation_accepted", "demand.mediation_closed")


def demand_mediation_event(*, actor, demands, kind: str, payload: dict | None = None) -> None:
    """Append `kind` (one of MEDIATION_EVENT_KINDS) to each demand's chain, inside the caller's transaction.
    The mediation app calls it when a mediator accepts the case and when the case closes."""
    if kind not in MEDIATION_EVENT_KINDS:
        raise ValueError(f"unknown mediation event kind {kind}")
    for demand in demands:
        event_append(subject=demand, kind=kind, actor=actor, payload=payload or {})
