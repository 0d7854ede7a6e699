"""Messages that really arrive: the outbox of deliveries and the processor that sends them.

A notification that should reach a phone gets one `Delivery` per channel the person chose (SMS, WeChat), written
in the same transaction as the notification (`deliveries_queue`). Nothing is sent from the request that caused
it, unless the backend is a development one (console/e-mail/memory), which is sent right after commit.
`deliver_pending()` sends what is due: it is idempotent and safe to run in several processes at once (each
delivery is claimed by one of them: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE
everywhere), so cron's `yishiting tick`, `yishiting deliver` and a queue's job may all call it.

Rules (docs/messaging.md): transient errors are retried with exponential backoff and jitter up to
MESSAGING_MAX_ATTEMPTS, permanent ones fail at once with the provider's code; a provider that cannot be reached
is left alone for the rest of the run (its deliveries wait, the others go on); at most MESSAGING_DAILY_CAP
messages a person a day (urgent ones are exempt, and counted); no SMS in the person's quiet hours unless urgent
(deferred to their end); people who chose the daily digest (staff, by default) get one message a day listing
the day's notifications instead of one per event (urgent ones still go at once).
"""

from __future__ import annotations

import random
import time as clock
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import Person, RoleAssignment

from .models import Delivery, MessagePreference, Notification
from .providers import Outcome, Outgoing, provider_for, sends_in_process

STAFF_ROLES = {Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY,
               Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.HANDLER, Role.ADMIN}
State = Delivery.State


def _setting(name: str, default):
    return getattr(settings, name, default)


def is_staff_person(person_id: int) -> bool:
    return RoleAssignment.objects.filter(person_id=person_id, is_active=True, role__in=STAFF_ROLES).exists()


def default_quiet() -> tuple[time, time] | None:
    """MESSAGING_QUIET_HOURS ("22:00-07:00", or "" for none) for people who never set their own."""
    value = _setting("MESSAGING_QUIET_HOURS", "22:00-07:00")
    if not value:
        return None
    start, end = value.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def preference_of(person: Person, *, staff: bool | None = None) -> MessagePreference:
    """The person's saved preferences, or the defaults (unsaved) when they never chose."""
    saved = MessagePreference.objects.filter(person=person).first()
    return saved or _default_preference(person, staff=staff)


def _default_preference(person: Person, *, staff: bool | None = None) -> MessagePreference:
    quiet = default_quiet()
    if staff is None:
        staff = _setting("MESSAGING_STAFF_DIGEST", True) and is_staff_person(person.pk)
    pref = MessagePreference(person=person, quiet=quiet is not None, digest=bool(staff))
    if quiet:
        pref.quiet_start, pref.quiet_end = quiet
    return pref


def _preferences(person_ids: set[int]) -> dict[int, MessagePreference]:
    saved = {p.person_id: p for p in MessagePreference.objects.filter(person_id__in=person_ids)}
    missing = person_ids - saved.keys()
    staff = set(RoleAssignment.objects.filter(person_id__in=missing, is_active=True, role__in=STAFF_ROLES)
                .values_list("person_id", flat=True)) if missing and _setting("MESSAGING_STAFF_DIGEST", True) else set()
    for pk in missing:
        saved[pk] = _default_preference(Person(pk=pk), staff=pk in staff)
    return saved


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def quiet_until(pref: MessagePreference, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` falls inside them (local time); else None."""
    if not pref.quiet:
        return None
    local = timezone.localtime(now)
    start, end, at = _as_time(pref.quiet_start), _as_time(pref.quiet_end), local.time()
    inside = (start <= at or at < end) if start > end else (start <= at < end)
    if not inside:
        return None
    day = local.date() if at < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def next_digest_at(pref: MessagePreference, now: datetime) -> datetime:
    local = timezone.localtime(now)
    moment = timezone.make_aware(datetime.combine(local.date(), _as_time(pref.digest_at)), local.tzinfo)
    return moment if moment > now else moment + timedelta(days=1)


def _channels(person: Person, pref: MessagePreference) -> list[tuple[str, str]]:
    out = []
    if pref.sms and person.mobile:
        out.append((Delivery.Channel.SMS, person.mobile))
    if pref.wechat and pref.wechat_openid and provider_for("wechat") is not None:
        out.append((Delivery.Channel.WECHAT, pref.wechat_openid))
    return out


def deliveries_queue(notifications: list[Notification | None], *, urgent: bool = False) -> list[Delivery]:
    """The outbox rows of saved notifications that are to leave the app (`sent_by_sms`), in the caller's
    transaction; sent after commit only by a development backend, else by `deliver_pending`."""
    rows = [n for n in notifications if n is not None and n.sent_by_sms]
    if not rows:
        return []
    prefs = _preferences({n.person_id for n in rows})
    now = timezone.now()
    deliveries = []
    for n in rows:
        pref = prefs[n.person_id]
        held = pref.digest and not urgent
        for channel, to in _channels(n.person, pref):
            deliveries.append(Delivery(
                person_id=n.person_id, notification=n if n.pk else None, channel=channel, to=to, text=n.text,
                link=n.link, urgent=urgent, state=State.HELD if held else State.QUEUED,
                next_attempt_at=next_digest_at(pref, now) if held else now))
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        _send_after_commit(deliveries)
    return deliveries


def outbox_after_commit() -> None:
    """For a write that inserted a notification with `outbox` set (its deliveries not made yet): with a
    development backend, make and send them right after commit; a real provider waits for the processor."""
    if sends_in_process(Delivery.Channel.SMS) or sends_in_process(Delivery.Channel.WECHAT):
        transaction.on_commit(_materialize_outbox, robust=True)


def _materialize_outbox(limit: int = 500) -> int:
    """Make the deliveries of notifications inserted with `outbox` set, once each (rows another processor holds
    are skipped on PostgreSQL; the conditional UPDATE decides everywhere)."""
    with transaction.atomic():
        pending = Notification.objects.filter(outbox=True).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        pks = list(pending.values_list("pk", flat=True)[:limit])
        if not pks:
            return 0
        if Notification.objects.filter(pk__in=pks, outbox=True).update(outbox=False):
            deliveries_queue(list(Notification.objects.filter(pk__in=pks).select_related("person")))
    return len(pks)


def _send_after_commit(deliveries: list[Delivery]) -> None:
    ids = [d.pk for d in deliveries if d.state == State.QUEUED and d.pk and sends_in_process(d.channel)]
    if ids:
        transaction.on_commit(lambda: deliver_pending(ids=ids), robust=True)


@dataclass
class Counts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    capped: int = 0
    digests: int = 0
    waiting: int = 0  # left for later: their provider is down this run

    def summary(self) -> str:
        """The report line of `yishiting tick` / `yishiting deliver` (the command line stays Chinese)."""
        return (f"消息发送：成功 {self.sent} 条，稍后重试 {self.retried} 条，失败 {self.failed} 条，"  # zh-only: command line
                f"免打扰顺延 {self.deferred} 条，超出每日上限 {self.capped} 条，汇总 {self.digests} 份，"  # zh-only: command line
                f"服务商不可用待发 {self.waiting} 条。")  # zh-only: command line


def deliver_pending(*, now: datetime | None = None, limit: int | None = None, ids: list[int] | None = None) -> Counts:
    """Send the deliveries that are due (or only `ids`): see the module's docstring. Returns what happened."""
    now = now or timezone.now()
    counts = Counts()
    _recover_stale(now)
    if ids is None:
        _materialize_outbox()
        counts.digests = _make_digests(now)
    token = uuid.uuid4().hex
    claimed = _claim(now, token, limit or _setting("MESSAGING_BATCH", 200), ids)
    if not claimed:
        return counts
    prefs = _preferences({d.person_id for d in claimed if d.person_id})
    sent_today = _sent_today(now, {d.person_id for d in claimed if d.person_id})
    down: set[str] = set()
    pacer = _Pacer(_setting("MESSAGING_RATE_PER_SECOND", 50))
    for d in claimed:
        pref = prefs.get(d.person_id)
        provider = provider_for(d.channel)
        if provider is None:
            _finish(d, token, now, Outcome(ok=False, code="channel_off", message="渠道未启用"), counts)  # zh-only
        elif provider.name in down:
            _release(d, token, now + timedelta(seconds=60))
            counts.waiting += 1
        elif pref and d.channel == Delivery.Channel.SMS and not d.urgent and (end := quiet_until(pref, now)):
            _release(d, token, end)
            counts.deferred += 1
        elif not d.urgent and d.person_id and sent_today[d.person_id] >= _setting("MESSAGING_DAILY_CAP", 20):
            _update(d, token, state=State.CAPPED, finished_at=now)
            counts.capped += 1
        else:
            pacer.wait()
            outcome = provider.send(Outgoing(channel=d.channel, to=d.to, text=d.text, template=d.kind,
                                             params=_params(d), link=d.link, reference=str(d.pk)))
            d.provider = provider.name
            _finish(d, token, now, outcome, counts)
            if outcome.ok and d.person_id:
                sent_today[d.person_id] += 1
            if outcome.outage:
                down.add(provider.name)
    return counts


def _params(d: Delivery) -> dict:
    if d.kind == "digest":
        return {"count": str(d.parts.count())}
    return {"content": d.text[:_setting("MESSAGING_SMS_PARAM_MAX", 35)]}


class _Pacer:
    """At most `rate` sends a second from one processor (the providers' API rate limits)."""

    def __init__(self, rate: float) -> None:
        self.gap, self.last = (1.0 / rate if rate else 0.0), 0.0

    def wait(self) -> None:
        if self.gap:
            pause = self.last + self.gap - clock.monotonic()
            if pause > 0:
                clock.sleep(pause)
            self.last = clock.monotonic()


def _claim(now: datetime, token: str, limit: int, ids: list[int] | None) -> list[Delivery]:
    """Take up to `limit` due deliveries for this run: rows another processor holds are skipped (PostgreSQL),
    and the conditional UPDATE makes a row this run's only if it was still queued (everywhere)."""
    with transaction.atomic():
        due = Delivery.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        due = due.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        pks = list(due.values_list("pk", flat=True)[:limit])
        if pks:
            Delivery.objects.filter(pk__in=pks, state=State.QUEUED).update(state=State.SENDING, claim=token,
                                                                            claimed_at=now)
    if not pks:
        return []
    return list(Delivery.objects.filter(claim=token, state=State.SENDING).select_related("person").order_by("pk"))


def _recover_stale(now: datetime) -> None:
    """A processor that died while sending leaves its rows "sending": after MESSAGING_CLAIM_SECONDS they are
    queued again (so a crash may send a message twice, never lose it)."""
    limit = now - timedelta(seconds=_setting("MESSAGING_CLAIM_SECONDS", 600))
    Delivery.objects.filter(state=State.SENDING, claimed_at__lt=limit).update(state=State.QUEUED, claim="")


def _update(d: Delivery, token: str, **fields) -> bool:
    """Write the outcome only if the row is still this run's (not re-queued as stale and taken by another)."""
    return Delivery.objects.filter(pk=d.pk, claim=token, state=State.SENDING).update(**fields) == 1


def _release(d: Delivery, token: str, at: datetime) -> None:
    _update(d, token, state=State.QUEUED, next_attempt_at=at, claim="")


def backoff_seconds(attempts: int) -> float:
    """Exponential with jitter: base·2^(n−1), at most MESSAGING_RETRY_MAX_SECONDS, then a random half to whole."""
    base = _setting("MESSAGING_RETRY_BASE_SECONDS", 30)
    delay = min(base * 2 ** max(attempts - 1, 0), _setting("MESSAGING_RETRY_MAX_SECONDS", 3600))
    return delay / 2 + random.uniform(0, delay / 2)


def _finish(d: Delivery, token: str, now: datetime, outcome: Outcome, counts: Counts) -> None:
    attempts = d.attempts + (0 if outcome.code == "channel_off" else 1)
    common = {"attempts": attempts, "provider": d.provider, "provider_code": outcome.code[:64],
              "provider_message": outcome.message[:200]}
    if outcome.ok:
        _update(d, token, state=State.SENT, sent_at=now, provider_id=outcome.provider_id[:64], **common)
        counts.sent += 1
    elif outcome.transient and attempts < _setting("MESSAGING_MAX_ATTEMPTS", 6):
        wait = outcome.retry_after if outcome.retry_after is not None else backoff_seconds(attempts)
        _update(d, token, state=State.QUEUED, next_attempt_at=now + timedelta(seconds=wait), claim="", **common)
        counts.retried += 1
    else:
        _update(d, token, state=State.FAILED, finished_at=now, **common)
        counts.failed += 1


def _sent_today(now: datetime, person_ids: set) -> defaultdict:
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    counts = defaultdict(int)
    rows = (Delivery.objects.filter(person_id__in=person_ids, sent_at__gte=start)
            .filter(Q(state=State.SENT) | Q(state=State.DELIVERED)).values_list("person_id", flat=True))
    for pk in rows:
        counts[pk] += 1
    return counts


DIGEST_TEXT_MAX = 480


def digest_text(texts: list[str]) -> str:  # zh-only: the digest goes out in Chinese, like the other texts
    head = f"今日消息汇总（{len(texts)} 条）："  # zh-only: the SMS text
    tail = "详见议事厅“我的消息”。"  # zh-only: the SMS text
    body = ""
    for i, text in enumerate(texts, 1):
        item = f"{i}. {text}；"
        if len(head) + len(body) + len(item) + len(tail) > DIGEST_TEXT_MAX:
            body += f"等 {len(texts)} 条；"  # zh-only: the SMS text
            break
        body += item
    return head + body + tail


def _make_digests(now: datetime) -> int:
    """Fold each person's held deliveries whose digest time has come into one queued delivery per channel."""
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, person_id, channel in (Delivery.objects.filter(state=State.HELD, next_attempt_at__lte=now)
                                   .order_by("pk").values_list("pk", "person_id", "channel")):
        groups[(person_id, channel)].append(pk)
    made = 0
    for (person_id, channel), pks in groups.items():
        token = uuid.uuid4().hex
        with transaction.atomic():
            if not Delivery.objects.filter(pk__in=pks, state=State.HELD).update(state=State.DIGESTED, claim=token,
                                                                                finished_at=now):
                continue  # another processor folded them
            parts = list(Delivery.objects.filter(claim=token, state=State.DIGESTED).order_by("created_at", "pk"))
            digest = Delivery.objects.create(
                person_id=person_id, channel=channel, kind="digest", to=parts[-1].to, link="/messages/",
                text=digest_text([p.text for p in parts]), state=State.QUEUED, next_attempt_at=now)
            Delivery.objects.filter(claim=token, state=State.DIGESTED).update(digest=digest)
        made += 1
    return made


def code_send(*, mobile: str, code: str, text: str, person: Person | None = None) -> Delivery:
    """A login or registration code: sent at once from the request (the person is waiting for it), urgent
    (no quiet hours, no cap; the resend limit of accounts governs), not retried (they ask again). The record
    keeps the text with the code masked."""
    provider = provider_for(Delivery.Channel.SMS)
    now = timezone.now()
    record = Delivery.objects.create(person=person, channel=Delivery.Channel.SMS, kind="code", to=mobile,
                                     text=text.replace(code, "******"), urgent=True, state=State.SENDING,
                                     next_attempt_at=now, provider=provider.name, claimed_at=now)
    outcome = provider.send(Outgoing(channel="sms", to=mobile, text=text, template="code", params={"code": code},
                                     reference=str(record.pk)))
    Delivery.objects.filter(pk=record.pk).update(
        state=State.SENT if outcome.ok else State.FAILED, attempts=1, provider_code=outcome.code[:64],
        provider_message=outcome.message[:200], provider_id=outcome.provider_id[:64],
        sent_at=now if outcome.ok else None, finished_at=None if outcome.ok else now)
    record.refresh_from_db()
    return record
