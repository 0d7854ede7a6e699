"""Scheduled work of the domains above handling, run by `yishiting tick` after the handling stages.

common imports no domain: a domain registers its tick in AppConfig.ready() (`register_tick("mediation", fn)`);
`fn(today)` does its idempotent work and returns (summary line, calendar warnings met)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Tick = Callable[[date], tuple[str, set[str]]]
_TICKS: dict[str, Tick] = {}


def register_tick(name: str, tick: Tick) -> None:
    _TICKS[name] = tick


def registered_ticks() -> dict[str, Tick]:
    return dict(sorted(_TICKS.items()))
