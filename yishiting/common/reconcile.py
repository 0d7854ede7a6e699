"""Reconciliation: the rows the events describe must say what their events say.

The hash chains prove the event log was not edited; they prove nothing about the tables beside it. A domain
registers, per model, what its events establish about each row (`register`): a function that folds a row's
events into the values they claim (`expect`), and one that reads the same values from the row (`actual`).
`verify` compares the two for every row, and checks that every row of a registered model has its chain and
every chain (of any model) its row. Domains register in their AppConfig.ready(); common imports no domain.

Values the events of older versions did not record are reported as `UNKNOWN` findings ("cannot reconcile"),
never silently passed. Other checks that are not per row (the dossiers' seals, gapless demand numbers) register
with `register_check`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from .models import Event, EventHead

UNKNOWN = object()  # "the events of this row do not record this value" (written before they did)

Expect = Callable[[list[Event]], dict[str, Any]]
Actual = Callable[[models.Model], dict[str, Any]]


@dataclass(frozen=True)
class Spec:
    label: str  # "demands.demand"
    expect: Expect
    actual: Actual
    queryset: Callable[[], models.QuerySet] | None = None
    labels: dict[str, str] = field(default_factory=dict)  # value key (or "prefix:") -> Chinese name on screen


@dataclass
class Finding:
    """One object that does not reconcile. `unknown`: only values the events never recorded (older events)."""

    subject_type: str
    subject_id: str
    problems: list[str]
    unknown: bool = False
    source: str = ""  # the registered check that found it ("" for rows and chains)

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}: " + "；".join(self.problems)


_SPECS: dict[str, Spec] = {}
_CHECKS: dict[str, Check] = {}
_PARTS: dict[str, dict[str, Part]] = {}


@dataclass(frozen=True)
class Part:
    """More values of a registered row, established by events another app appends to its chain (a topic's
    supervision group, recorded by handling): folded in with the row's own `expect`/`actual`."""

    expect: Expect
    actual: Actual
    labels: dict[str, str] = field(default_factory=dict)
    prefetch: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    run: Callable[[], Iterable[Finding]]
    count: Callable[[], int] | None = None  # how many things it checked, for the summary ("2 份档案")
    unit: str = ""


def register(label: str, *, expect: Expect, actual: Actual, queryset: Callable[[], models.QuerySet] | None = None,
             labels: dict[str, str] | None = None) -> None:
    """Declare what the events of `label`'s rows establish. Registering a label twice replaces it (reloads)."""
    _SPECS[label] = Spec(label, expect, actual, queryset, labels or {})


def register_part(label: str, name: str, *, expect: Expect, actual: Actual, labels: dict[str, str] | None = None,
                  prefetch: tuple[str, ...] = ()) -> None:
    """Values of `label`'s rows that `name`'s events (appended by another app) establish; compared with the
    row's own. Kept apart from `register` so the owning app re-registering its spec does not drop them."""
    _PARTS.setdefault(label, {})[name] = Part(expect, actual, labels or {}, prefetch)


def register_check(name: str, check: Callable[[], Iterable[Finding]], *, count: Callable[[], int] | None = None,
                   unit: str = "") -> None:
    """A check over the whole database that is not one row against its chain (dossier seals, gaps). With
    `count` and `unit` ("份档案") the summary says how many were checked and how many failed."""
    _CHECKS[name] = Check(check, count, unit)


def registered_checks() -> dict[str, Check]:
    return dict(_CHECKS)


def registered() -> dict[str, Spec]:
    return dict(_SPECS)


def text_digest(text: str | None) -> str:
    """What an event records of a free text it must not copy (personal data): its SHA-256."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def json_digest(value: Any) -> str:
    """The SHA-256 of a JSON value (a stored result list) in one canonical spelling: keys sorted, no spaces."""
    return text_digest(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def plain(value: Any) -> Any:
    """Values compared as the JSON payload holds them: ids and numbers as they are, dates as ISO text."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def status_fold(events: list[Event], *, initial: str, statuses: Iterable[str]) -> str:
    """The status a chain of `transition()` events ends in: the default at creation, then each event's "to"
    (only values that are statuses: an extension's "to" is a date)."""
    allowed, status = set(statuses), initial
    for event in events:
        to = event.payload.get("to") if isinstance(event.payload, dict) else None
        if "from" in event.payload and to in allowed:
            status = to
    return status


def _compare(spec: Spec, row: models.Model, events: list[Event]) -> Finding | None:
    expected, actual = spec.expect(events), spec.actual(row)
    for part in _PARTS.get(spec.label, {}).values():
        expected.update(part.expect(events))
        actual.update(part.actual(row))
    # "prefix:*" = UNKNOWN: the events do not list these children at all (an older release did not), so a
    # child row the events do not name is "cannot reconcile", not a row slipped in.
    unlisted = tuple(k[:-1] for k, v in expected.items() if k.endswith(":*") and v is UNKNOWN)
    problems, unknown = [], []
    for key in sorted((set(expected) | set(actual)) - {f"{p}*" for p in unlisted}):
        want, have = expected.get(key, UNKNOWN if key.startswith(unlisted) else None), plain(actual.get(key))
        name = _name(spec, key)
        if want is UNKNOWN:
            unknown.append(name)
        elif plain(want) != have:
            problems.append(f"{name} 与事件记录不符（事件：{_show(want)}，表中：{_show(have)}）")
    if unknown:
        problems.append(f"无法核对 {'、'.join(unknown)}：该对象的事件写于记录这些值的版本之前")
    if not problems:
        return None
    return Finding(spec.label, str(row.pk), problems, unknown=not any("不符" in p for p in problems))


def _name(spec: Spec, key: str) -> str:
    """The value's name on screen: "状态"; a child row's key "rating:12" as "群众评价#12" (labels "rating:")."""
    labels = {**spec.labels}
    for part in _PARTS.get(spec.label, {}).values():
        labels.update(part.labels)
    if key in labels:
        return labels[key]
    prefix, _, pk = key.partition(":")
    return f"{labels[prefix + ':']}#{pk}" if pk and f"{prefix}:" in labels else key


def _show(value: Any) -> str:
    text = "空" if value in (None, "") else str(plain(value))
    return text if len(text) <= 24 else text[:12] + "…"


def _events_by_subject(label: str, ids: list[str]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = {}
    for event in Event.objects.filter(subject_type=label, subject_id__in=ids).order_by("subject_id", "seq"):
        grouped.setdefault(event.subject_id, []).append(event)
    return grouped


def reconcile_rows(batch: int = 500) -> Iterator[Finding]:
    """Each row of each registered model against its events; a row without a chain is a finding too."""
    for label, spec in sorted(_SPECS.items()):
        model = apps.get_model(label)
        queryset = (spec.queryset() if spec.queryset else model._base_manager.all()).order_by("pk")
        if prefetch := [p for part in _PARTS.get(label, {}).values() for p in part.prefetch]:
            queryset = queryset.prefetch_related(*prefetch)
        last = None
        while chunk := list(queryset.filter(pk__gt=last)[:batch] if last is not None else queryset[:batch]):
            last = chunk[-1].pk  # keyset pages: memory stays flat however many rows there are
            grouped = _events_by_subject(label, [str(r.pk) for r in chunk])
            for row in chunk:
                events = grouped.get(str(row.pk))
                if not events:
                    yield Finding(label, str(row.pk), ["该对象没有事件链（创建它的事件和链头都不见了）"])
                elif found := _compare(spec, row, events):
                    yield found


def orphan_chains() -> Iterator[Finding]:
    """Every chain must have its object: a chain whose row was deleted is reported by model and id."""
    ids_by_type: dict[str, set[str]] = {}
    for subject_type, subject_id in EventHead.objects.values_list("subject_type", "subject_id").iterator():
        ids_by_type.setdefault(subject_type, set()).add(subject_id)
    for subject_type, ids in sorted(ids_by_type.items()):
        try:
            model = apps.get_model(subject_type)
        except (LookupError, ValueError):
            for subject_id in sorted(ids):
                yield Finding(subject_type, subject_id, ["事件链所属的对象类型不存在"])
            continue
        present: set[str] = set()
        listed = sorted(ids)
        for start in range(0, len(listed), 1000):
            wanted = [i for i in listed[start:start + 1000] if _is_pk(model, i)]
            present.update(str(pk) for pk in model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for subject_id in listed:
            if subject_id not in present:
                yield Finding(subject_type, subject_id, ["有事件链，但对象本身已被删除"])


def _is_pk(model: type[models.Model], value: str) -> bool:
    try:
        model._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 - any value the key field refuses is simply not a row
        return False
    return True


def run_checks() -> Iterator[Finding]:
    for name, check in sorted(_CHECKS.items()):
        for finding in check.run():
            finding.source = name
            yield finding


def reconcile() -> Iterator[Finding]:
    """Everything `verify` checks besides the hash chains themselves."""
    yield from reconcile_rows()
    yield from orphan_chains()
    yield from run_checks()


def register_status(model: type[models.Model], *, also: Expect | None = None, also_actual: Actual | None = None,
                    labels: dict[str, str] | None = None,
                    queryset: Callable[[], models.QuerySet] | None = None) -> None:
    """A stateful model whose status moves only by `transition()`: the status its events end in, from the
    field's default at creation. `also`/`also_actual`: further values the same events establish."""
    status = model._meta.get_field("status")
    initial, values = status.default, [value for value, _ in status.choices]

    def expect(events: list[Event]) -> dict[str, Any]:
        return {"status": status_fold(events, initial=initial, statuses=values), **(also(events) if also else {})}

    def actual(row: models.Model) -> dict[str, Any]:
        return {"status": row.status, **(also_actual(row) if also_actual else {})}

    register(model._meta.label_lower, expect=expect, actual=actual, queryset=queryset,
             labels={"status": "状态", **(labels or {})})
