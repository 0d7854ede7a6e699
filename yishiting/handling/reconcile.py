"""What the events of tasks, notices, reviews, evaluation rounds and dossiers establish (`yishiting verify`).

A task's events record its handler (task.assigned, task.reassigned), its deadline (task.assigned, moved by
task.extended) and its status (`transition()`); a rating's value is recorded by the rating.given event of its
round or task, a party's score by party_rating.given. A dossier proves itself: its content hash, and the chain
head it sealed must still be in the matter's chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import Finding, register_check, register_status

from .models import Dossier, EvaluationRound, LegalReview, Notice, Task
from .selectors.archive import verify_dossiers

RATING_LABELS = {"rating:": "群众评价", "party_rating:": "五方互评"}


def ratings_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        if event.kind == "rating.given":
            found[f"rating:{event.payload.get('rating')}"] = event.payload.get("value")
        elif event.kind == "party_rating.given":
            found[f"party_rating:{event.payload.get('party_rating')}"] = event.payload.get("score")
    return found


def ratings_actual(row: Task | EvaluationRound) -> dict[str, Any]:
    found: dict[str, Any] = {f"rating:{r.pk}": r.value for r in row.ratings.all()}
    if isinstance(row, EvaluationRound):
        found.update({f"party_rating:{r.pk}": r.score for r in row.party_ratings.all()})
    return found


def task_expect(events: list[Event]) -> dict[str, Any]:
    handler = deadline = None
    for event in events:
        if event.kind == "task.assigned":
            handler, deadline = event.payload.get("handler"), event.payload.get("deadline")
        elif event.kind == "task.reassigned":
            handler = event.payload.get("handler", handler)
        elif event.kind == "task.extended":
            deadline = event.payload.get("to", deadline)
    return {"handler": handler, "deadline": deadline, **ratings_expect(events)}


def task_actual(task: Task) -> dict[str, Any]:
    return {"handler": task.handler_id, "deadline": task.deadline, **ratings_actual(task)}


def dossier_findings() -> Iterator[Finding]:
    for dossier, problems in verify_dossiers():
        yield Finding("handling.dossier", str(dossier.pk), [f"档案 {dossier.number}（{dossier.title}）", *problems])


def install() -> None:
    register_status(Task, also=task_expect, also_actual=task_actual,
                    labels={"handler": "经办人", "deadline": "办理期限", **RATING_LABELS},
                    queryset=lambda: Task.objects.prefetch_related("ratings"))
    register_status(EvaluationRound, also=ratings_expect, also_actual=ratings_actual, labels=RATING_LABELS,
                    queryset=lambda: EvaluationRound.objects.prefetch_related("ratings", "party_ratings"))
    register_status(Notice)
    register_status(LegalReview)
    register_check("handling.dossiers", dossier_findings, count=Dossier.objects.count, unit="份档案")
