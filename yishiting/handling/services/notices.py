"""Publicity (公). Placeholder: filled by the notices work."""

from __future__ import annotations

from datetime import date


def notices_tick(*, today: date) -> int:
    """Complete the notices whose window has ended and whose objections are all answered; return how many."""
    return 0
