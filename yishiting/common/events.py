"""The append-only, hash-chained event log.

`event_append` is the only writer. Each event's hash covers its subject, seq, kind, actor, time, payload and the
previous event's hash; `EventHead` keeps the last seq/hash per subject so a deleted tail is detected too.
`verify_chains` recomputes everything and reports each broken subject.

With EVENT_HMAC_KEY set (an environment setting, never stored in the database) each hash is an HMAC-SHA256
under that key instead of a plain SHA-256: someone who can write the database but does not hold the key cannot
rewrite an event and compute a hash that verifies (docs/integrity.md). On PostgreSQL the server computes the
same HMAC from its two SHA-256 passes (the key's inner and outer pads are bound as parameters).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import Event, EventHead


def subject_of(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def normalize_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so what is hashed is exactly what the database gives back."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash_body(
    *, subject_type: str, subject_id: str, seq: int, kind: str, actor_id: int | None, at: datetime,
    payload: dict[str, Any], prev_hash: str,
) -> str:
    return json.dumps(
        [subject_type, subject_id, seq, kind, actor_id, _timestamp(at), payload, prev_hash],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )


def event_key() -> bytes | None:
    """The HMAC key of the event log (setting EVENT_HMAC_KEY), or None: plain SHA-256 (development)."""
    key = getattr(settings, "EVENT_HMAC_KEY", "") or ""
    return key.encode("utf-8") if key else None


def key_id(key: bytes | None) -> str:
    """A name for a key that does not reveal it (anchors say which key signed them)."""
    return hashlib.sha256(b"yishiting-key-id:" + key).hexdigest()[:16] if key else ""


def _digest(body: str, key: bytes | None) -> str:
    data = body.encode("utf-8")
    return hmac.new(key, data, hashlib.sha256).hexdigest() if key else hashlib.sha256(data).hexdigest()


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer keys (RFC 2104): HMAC(k, m) = H(k ^ opad || H(k ^ ipad || m))."""
    block = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = block.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


def sql_digest(text_sql: str, params: dict[str, Any], prefix: str) -> str:
    """SQL for the hex hash of the text expression `text_sql`, the same as `_digest` with the current key
    (PostgreSQL's sha256() twice over the pads, which are bound as params `<prefix>ipad`/`<prefix>opad`)."""
    key = event_key()
    if key is None:
        return f"encode(sha256(convert_to({text_sql}, 'UTF8')), 'hex')"
    params[f"{prefix}ipad"], params[f"{prefix}opad"] = _pads(key)
    return (f"encode(sha256(%({prefix}opad)s::bytea || sha256(%({prefix}ipad)s::bytea || "
            f"convert_to({text_sql}, 'UTF8'))), 'hex')")


_CURRENT: Any = object()


def compute_hash(
    *, subject_type: str, subject_id: str, seq: int, kind: str, actor_id: int | None, at: datetime,
    payload: dict[str, Any], prev_hash: str, key: bytes | None = _CURRENT,
) -> str:
    """The event's hash: HMAC-SHA256 under `key` (by default the configured EVENT_HMAC_KEY), SHA-256 without."""
    body = _hash_body(subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind, actor_id=actor_id,
                      at=at, payload=payload, prev_hash=prev_hash)
    return _digest(body, event_key() if key is _CURRENT else key)


def _hash_of(event: Event, key: bytes | None = _CURRENT) -> str:
    return compute_hash(
        subject_type=event.subject_type, subject_id=event.subject_id, seq=event.seq, kind=event.kind,
        actor_id=event.actor_id, at=event.at, payload=event.payload, prev_hash=event.prev_hash, key=key,
    )


_AFTER_COMMIT: dict[str, list[Callable[[int], None]]] = {}


def after_commit_of(kinds: Iterable[str], run: Callable[[int], None]) -> None:
    """Have `run(event_id)` called after the commit of each event of `kinds` appended by `event_append`: how a
    domain above reacts at once to what a lower one recorded (ledgers credits points) without that domain
    importing it. Registered in AppConfig.ready(); a listener must tolerate being called for an event twice."""
    for kind in kinds:
        if run not in _AFTER_COMMIT.setdefault(kind, []):
            _AFTER_COMMIT[kind].append(run)


def _announce(event: Event) -> Event:
    for run in _AFTER_COMMIT.get(event.kind, ()):
        transaction.on_commit(lambda run=run, pk=event.pk: run(pk))
    return event


def event_append(*, subject: models.Model | tuple[str, str], kind: str, actor=None,
                 payload: dict[str, Any] | None = None, new_subject: bool = False) -> Event:
    """The event, appended (`_event_append`), and announced to whoever listens for its kind after commit."""
    event = _event_append(subject=subject, kind=kind, actor=actor, payload=payload, new_subject=new_subject)
    return _announce(event) if kind in _AFTER_COMMIT else event


def _event_append(*, subject: models.Model | tuple[str, str], kind: str, actor=None,
                  payload: dict[str, Any] | None = None, new_subject: bool = False) -> Event:
    """Append one event to the subject's chain (locks the chain head so concurrent appends serialize).

    `new_subject=True` says the subject was created in the caller's transaction, so its chain is empty: the
    event is written as seq 1 without looking for a head (two statements instead of five — submitting a demand
    does this). Said of a subject that has a chain already, the head's unique constraint refuses it and the
    transaction fails; nothing is written out of order."""
    subject_type, subject_id = subject if isinstance(subject, tuple) else subject_of(subject)
    if new_subject:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("event_append(new_subject=True) must run inside the transaction that created it")
        return _append(subject_type, subject_id, kind, actor, payload, head=None)
    if transaction.get_connection().vendor == "postgresql":
        event = _append_on_server(subject_type, subject_id, kind, actor, payload)
        if event is not None:
            return event
    with transaction.atomic():
        head = (EventHead.objects.select_for_update().filter(subject_type=subject_type, subject_id=subject_id)
                .first())
        return _append(subject_type, subject_id, kind, actor, payload, head=head)


_SEQ_MARK, _PREV_MARK = "<<seq>>", "<<prev-hash>>"


def _append_on_server(subject_type: str, subject_id: str, kind: str, actor,
                      payload: dict[str, Any] | None) -> Event | None:
    """PostgreSQL: the next event of a chain that has a head, in one statement instead of five (savepoint,
    lock the head, insert, move the head, release) — every state change appends one, so this is the hottest
    write there is. The head row is locked (FOR UPDATE) and moved in the same statement, so concurrent appends
    still serialize; the hash is `compute_hash`'s (SHA-256, or HMAC under EVENT_HMAC_KEY) over the same JSON
    body, with the new seq and the previous hash spliced in by the server (digits and hex, which JSON writes
    unchanged).
    Returns None when the subject has no chain yet (or the payload holds a mark): the caller takes the slow path."""
    at = timezone.now()
    data = normalize_payload(payload)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    body = _hash_body(subject_type=subject_type, subject_id=subject_id, seq=_SEQ_MARK, kind=kind,  # type: ignore[arg-type]
                      actor_id=actor_id, at=at, payload=data, prev_hash=_PREV_MARK)
    before, seq_mark, rest = body.partition(json.dumps(_SEQ_MARK))
    middle, prev_mark, after = rest.partition(_PREV_MARK)
    if not seq_mark or not prev_mark or _SEQ_MARK in before + after or _PREV_MARK in before + after:
        return None
    event, head = Event._meta.db_table, EventHead._meta.db_table
    params: dict[str, Any] = {}
    digest_sql = sql_digest("%(before)s || (old.seq + 1)::text || %(middle)s || old.hash || %(after)s", params, "")
    sql = (f"WITH old AS (SELECT id, seq, hash FROM {head} WHERE subject_type = %(type)s AND subject_id = %(id)s "
           f"FOR UPDATE), moved AS (UPDATE {head} h SET seq = old.seq + 1, hash = {digest_sql} "
           f"FROM old WHERE h.id = old.id RETURNING h.seq, h.hash, old.hash AS prev_hash) "
           f"INSERT INTO {event} (subject_type, subject_id, seq, kind, actor_id, at, payload, prev_hash, hash) "
           f"SELECT %(type)s, %(id)s, seq, %(kind)s, %(actor)s, %(at)s, %(payload)s::jsonb, prev_hash, hash "
           f"FROM moved RETURNING id, seq, prev_hash, hash")
    params.update({"type": subject_type, "id": subject_id, "kind": kind, "actor": actor_id, "at": at,
                   "payload": json.dumps(data, ensure_ascii=False), "before": before, "middle": middle,
                   "after": after})
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, seq, prev_hash, digest = row
    appended = Event(pk=pk, subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind,
                     actor_id=actor_id, at=at, payload=data, prev_hash=prev_hash, hash=digest)
    appended._state.adding, appended._state.db = False, transaction.get_connection().alias
    return appended


def _append(subject_type: str, subject_id: str, kind: str, actor, payload: dict[str, Any] | None, *,
            head: EventHead | None) -> Event:
    seq = head.seq + 1 if head else 1
    prev_hash = head.hash if head else ""
    at = timezone.now()
    data = normalize_payload(payload)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    digest = compute_hash(subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind,
                          actor_id=actor_id, at=at, payload=data, prev_hash=prev_hash)
    event = Event.objects.create(subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind,
                                 actor_id=actor_id, at=at, payload=data, prev_hash=prev_hash, hash=digest)
    if head:
        EventHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
    else:
        EventHead.objects.create(subject_type=subject_type, subject_id=subject_id, seq=seq, hash=digest)
    return event


_SUBJECT_MARK = "<<subject-id>>"


@dataclass(frozen=True)
class Column:
    """An integer only the statement knows (a column of the `source` rows of `first_event_sql`): the caller
    writing an event in the same statement that finds who acted or for what (the fast paths in `api.fast`).
    `text=True`: a string instead, whose characters JSON writes unchanged (digits, ASCII letters, '-'; a demand
    number such as 2026-000123)."""

    name: str
    text: bool = False


def _spliced(text: str, marks: dict[str, str], prefix: str, params: dict[str, Any]) -> str:
    """SQL for `text` with each mark replaced by its SQL expression cast to text: literal pieces become named
    params. Each mark must occur exactly once (user text that happens to contain one is refused)."""
    pattern = "|".join(re.escape(mark) for mark in marks)
    pieces = re.split(f"({pattern})", text)
    if sorted(pieces[1::2]) != sorted(marks):
        raise ValueError("first_event_sql: each mark must occur exactly once in the hashed body")
    parts = []
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append(f"{marks[piece]}::text")
        else:
            params[f"{prefix}{index}"] = piece
            parts.append(f"%({prefix}{index})s")
    return " || ".join(parts)


def first_event_sql(*, source: str, subject_type: str, kind: str, actor=None,
                    payload: dict[str, Any] | None = None, at: datetime | None = None) -> tuple[str, dict[str, Any]]:
    """PostgreSQL only: two data-modifying CTEs (`event_rows`, `event_heads`) for a statement that inserts a
    subject and its first event in one round trip — what `event_append(new_subject=True)` writes, for each row
    of the CTE `source` (its `id` column is the subject id). Returns (SQL for the WITH list, its named params).

    The hash is `compute_hash`'s (SHA-256, or HMAC under EVENT_HMAC_KEY) over the same JSON body: Python
    renders the body with a mark where the subject id goes and the server splices the id in (an id is digits,
    which JSON writes unchanged), so `verify_chains` checks these events like any other. `actor` and top-level payload values may also be a
    `Column` of `source` (integers, spliced the same way)."""
    at = at or timezone.now()
    columns: dict[str, str] = {}  # mark (a number no row has) -> SQL expression

    def mark(value: Any) -> Any:
        if not isinstance(value, Column):
            return value
        if value.text:  # JSON quotes the mark; the server puts the value between those quotes
            columns[f"<<column-{value.name}>>"] = f"src.{value.name}"
            return f"<<column-{value.name}>>"
        number = -(10**15) - len(columns)
        columns[str(number)] = f"src.{value.name}"
        return number

    actor_id = mark(actor) if isinstance(actor, Column) else \
        actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    data = normalize_payload({key: mark(value) for key, value in (payload or {}).items()})
    body = _hash_body(subject_type=subject_type, subject_id=_SUBJECT_MARK, seq=1, kind=kind, actor_id=actor_id,
                      at=at, payload=data, prev_hash="")
    params: dict[str, Any] = {"ev_type": subject_type, "ev_kind": kind, "ev_at": at}
    payload_columns = {m: sql for m, sql in columns.items() if m != str(actor_id)}
    hashed = _spliced(body, {_SUBJECT_MARK: "src.id", **columns}, "ev_h", params)
    payload_sql = _spliced(json.dumps(data, ensure_ascii=False), payload_columns, "ev_p", params) \
        if payload_columns else "%(ev_payload)s"
    params["ev_payload"] = json.dumps(data, ensure_ascii=False)
    params["ev_actor"] = None if isinstance(actor, Column) else actor_id
    actor_sql = f"src.{actor.name}" if isinstance(actor, Column) else "%(ev_actor)s"
    event, head = Event._meta.db_table, EventHead._meta.db_table
    digest_sql = sql_digest(hashed, params, "ev_")
    sql = (f"event_rows AS (INSERT INTO {event} (subject_type, subject_id, seq, kind, actor_id, at, payload, "
           f"prev_hash, hash) SELECT %(ev_type)s, src.id::text, 1, %(ev_kind)s, {actor_sql}, %(ev_at)s, "
           f"({payload_sql})::jsonb, '', {digest_sql} "
           f"FROM {source} src RETURNING subject_id, hash), "
           f"event_heads AS (INSERT INTO {head} (subject_type, subject_id, seq, hash) "
           f"SELECT %(ev_type)s, subject_id, 1, hash FROM event_rows)")
    return sql, params


@transaction.atomic
def event_append_many(*, entries: list[tuple[models.Model, str, dict[str, Any] | None]], actor=None,
                      batch_size: int = 1000) -> int:
    """Append one event to each of many subjects in a few queries (bulk imports): the same hash chain as
    `event_append`, with the chain heads locked. Each subject may appear only once. Returns the count."""
    keyed = [(subject_of(obj), kind, normalize_payload(payload)) for obj, kind, payload in entries]
    if len({subject for subject, _, _ in keyed}) != len(keyed):
        raise ValueError("event_append_many: a subject is listed twice")
    heads: dict[tuple[str, str], EventHead] = {}
    by_type: dict[str, list[str]] = {}
    for (subject_type, subject_id), _, _ in keyed:
        by_type.setdefault(subject_type, []).append(subject_id)
    for subject_type, ids in by_type.items():
        for start in range(0, len(ids), 500):
            for head in EventHead.objects.select_for_update().filter(subject_type=subject_type,
                                                                     subject_id__in=ids[start:start + 500]):
                heads[(head.subject_type, head.subject_id)] = head
    at = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    events, new_heads = [], []
    for (subject_type, subject_id), kind, data in keyed:
        head = heads.get((subject_type, subject_id))
        seq, prev_hash = (head.seq + 1, head.hash) if head else (1, "")
        digest = compute_hash(subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind,
                              actor_id=actor_id, at=at, payload=data, prev_hash=prev_hash)
        events.append(Event(subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind,
                            actor_id=actor_id, at=at, payload=data, prev_hash=prev_hash, hash=digest))
        if head:
            EventHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
        else:
            new_heads.append(EventHead(subject_type=subject_type, subject_id=subject_id, seq=seq, hash=digest))
    Event.objects.bulk_create(events, batch_size=batch_size)
    EventHead.objects.bulk_create(new_heads, batch_size=batch_size)
    return len(events)


def events_of(obj: models.Model) -> models.QuerySet[Event]:
    subject_type, subject_id = subject_of(obj)
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related("actor")


@dataclass
class ChainProblem:
    subject_type: str
    subject_id: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}: " + "；".join(self.problems)


@dataclass
class ChainCheck:
    """How to check: the key events are signed with (None: plain SHA-256), and an anchor's chain heads
    ({(type, id): (seq, hash)}) vouching for everything up to them — unkeyed events among them too."""

    key: bytes | None = None
    anchored: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    adopt: bool = False  # accept consistent unkeyed events (writing the first anchor after setting a key)
    unkeyed: int = 0  # unkeyed events accepted because an anchor vouches for them (or adopted)


def _event_problem(event: Event, check: ChainCheck, vouched: bool) -> str | None:
    """None when the event's hash verifies; else what is wrong with it."""
    if _hash_of(event, check.key) == event.hash:
        return None
    if check.key is not None and _hash_of(event, None) == event.hash:
        if vouched:
            check.unkeyed += 1
            return None
        return (f"第 {event.seq} 条事件（{event.kind}）没有密钥签名：可能写于启用 EVENT_HMAC_KEY 之前，"
                f"也可能被没有密钥的人改写后重算了哈希（启用密钥前请用 --anchor-out 留存锚点）")
    return f"第 {event.seq} 条事件内容被修改（{event.kind}）"


def _check_chain(subject: tuple[str, str], events: list[Event], head: EventHead | None,
                 check: ChainCheck | None = None) -> ChainProblem | None:
    check = check or ChainCheck(key=event_key())
    problem = ChainProblem(*subject)
    anchor = check.anchored.get(subject)
    vouched = anchor is not None and any(e.seq == anchor[0] and e.hash == anchor[1] for e in events)
    prev_hash = ""
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problem.problems.append(f"第 {expected_seq} 条事件缺失或顺序被改动（实际序号 {event.seq}）")
            break
        if event.prev_hash != prev_hash:
            problem.problems.append(f"第 {event.seq} 条事件的前一哈希不符（被重排或前一条被删改）")
        if found := _event_problem(event, check, check.adopt or (vouched and event.seq <= anchor[0])):
            problem.problems.append(found)
        prev_hash = event.hash
    last = events[-1] if events else None
    if anchor is not None and not vouched:
        problem.problems.append(f"与锚点不符：锚点记录第 {anchor[0]} 条事件的哈希 {anchor[1][:12]}…，"
                                f"日志中的不同或已缺失（历史被改写或删除）")
    if head is None:
        problem.problems.append("缺少链头记录")
    elif last is None or head.seq != last.seq or head.hash != last.hash:
        problem.problems.append(f"链头记录第 {head.seq} 条，但日志只到第 {last.seq if last else 0} 条（末尾事件被删除）")
    return problem if problem.problems else None


def verify_chains(batch: int = 2000, check: ChainCheck | None = None) -> Iterator[ChainProblem]:
    """Yield one ChainProblem per subject whose chain does not verify. Streams; memory stays flat."""
    check = check or ChainCheck(key=event_key())
    heads = {(h.subject_type, h.subject_id): h for h in EventHead.objects.iterator(chunk_size=batch)}
    missing_anchored = dict(check.anchored)
    current: tuple[str, str] | None = None
    bucket: list[Event] = []
    for event in Event.objects.order_by("subject_type", "subject_id", "seq").iterator(chunk_size=batch):
        subject = (event.subject_type, event.subject_id)
        if subject != current:
            if current is not None and (found := _check_chain(current, bucket, heads.pop(current, None), check)):
                yield found
            missing_anchored.pop(current, None)
            current, bucket = subject, []
        bucket.append(event)
    if current is not None and (found := _check_chain(current, bucket, heads.pop(current, None), check)):
        yield found
    missing_anchored.pop(current, None)
    for subject, head in heads.items():
        missing_anchored.pop(subject, None)
        yield ChainProblem(*subject, problems=[f"链头记录第 {head.seq} 条，但日志中该对象的事件全部缺失"])
    for subject, (seq, _) in sorted(missing_anchored.items()):
        yield ChainProblem(*subject, problems=[f"锚点记录该对象的事件链到第 {seq} 条，数据库中整条链（及链头）都已被删除"])


def first_event_rows(*, subject: models.Model, kind: str, actor=None,
                     payload: dict[str, Any] | None = None) -> tuple[Event, EventHead]:
    """The first event of a subject created in the caller's transaction and its chain head, unsaved — what
    `event_append(new_subject=True)` writes, for callers that insert them with other rows in one statement
    (common.inserts). The subject's primary key must be known."""
    subject_type, subject_id = subject_of(subject)
    if subject.pk is None:
        raise ValueError("first_event_rows: the subject needs its primary key")
    at = timezone.now()
    data = normalize_payload(payload)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    digest = compute_hash(subject_type=subject_type, subject_id=subject_id, seq=1, kind=kind, actor_id=actor_id,
                          at=at, payload=data, prev_hash="")
    event = Event(subject_type=subject_type, subject_id=subject_id, seq=1, kind=kind, actor_id=actor_id, at=at,
                  payload=data, prev_hash="", hash=digest)
    return event, EventHead(subject_type=subject_type, subject_id=subject_id, seq=1, hash=digest)
