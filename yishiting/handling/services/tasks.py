"""Handling (办). Placeholder: filled by the tasks work."""

from __future__ import annotations

from ..models import Task


def task_reopen(*, actor, task: Task, reason: str) -> Task:
    """重办: a closed task goes back to in progress with a reason (closed → in_progress)."""
    raise NotImplementedError
