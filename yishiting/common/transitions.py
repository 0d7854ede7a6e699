"""One helper for every state change: check the transition table, lock the row, save, append an event.

A stateful model declares `TRANSITIONS: dict[from_status, set[to_status]]` (in its app's transitions.py) and its
services call `transition(obj, to=..., actor=..., table=...)`. Two concurrent transitions from the same state:
the second one waits on the row lock, then sees the new state and fails with a Conflict — exactly one wins.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext

from .errors import Conflict
from .events import event_append


def transition(obj: models.Model, *, to: str, actor, table: dict[str, set[str]], field: str = "status",
               kind: str | None = None, payload: dict[str, Any] | None = None,
               expected: str | None = None, changes: dict[str, Any] | None = None) -> models.Model:
    # No savepoint of its own (services call this inside theirs; a savepoint is two more round trips per state
    # change): a refusal is raised after the block, so it never spoils the caller's transaction.
    with transaction.atomic(savepoint=False):
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, field)
        refusal = _refusal(locked, field, current, to, table, expected)
        if refusal is None:
            setattr(locked, field, to)
            for name, value in (changes or {}).items():
                setattr(locked, name, value)
            locked.save(update_fields=[field, *(changes or {})])
            event_append(subject=locked, kind=kind or f"status.{to}", actor=actor,
                         payload={"from": current, "to": to, **(payload or {})})
    if refusal is not None:
        raise refusal
    for name in [field, *(changes or {})]:
        setattr(obj, name, getattr(locked, name))
    return locked


def _refusal(locked: models.Model, field: str, current: str, to: str, table: dict[str, set[str]],
             expected: str | None) -> Conflict | None:
    if expected is not None and current != expected:
        return Conflict("stale_state", gettext("该记录已被他人处理，请刷新后查看最新状态。"),
                        details={"expected": expected, "current": current})
    if to not in table.get(current, set()):
        return Conflict("invalid_transition",
                        gettext("当前状态“%(current)s”不能变为“%(target)s”。") % {"current": _label(locked, field, current),
                                                               "target": _label(locked, field, to)},
                        details={"from": current, "to": to})
    return None


def _label(obj: models.Model, field: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field).choices or [])
    return str(choices.get(value, value))
