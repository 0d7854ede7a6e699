"""What a case's events establish (`yishiting verify`): its status (`transition()`), its tier (mediation.opened,
moved by mediation.escalated), its outcome (the closing event), and each rating's value (rating.given)."""

from __future__ import annotations

from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import UNKNOWN, register_status

from .models import MediationCase

CLOSING = {"mediation.closed", "mediation.failed", "mediation.refused", "mediation.withdrawn"}


def case_expect(events: list[Event]) -> dict[str, Any]:
    tier, outcome, ratings = UNKNOWN, "", {}  # cases opened before this release recorded no tier
    for event in events:
        payload = event.payload or {}
        if event.kind in ("mediation.opened", "mediation.escalated") and "tier" in payload:
            tier = payload["tier"]
        elif event.kind in CLOSING:
            outcome = payload.get("outcome", "")
        elif event.kind == "rating.given":
            ratings[f"rating:{payload.get('rating')}"] = payload.get("value")
    return {"tier": tier, "outcome": outcome, **ratings}


def case_actual(case: MediationCase) -> dict[str, Any]:
    return {"tier": case.tier, "outcome": case.outcome, **{f"rating:{r.pk}": r.value for r in case.ratings.all()}}


def install() -> None:
    register_status(MediationCase, also=case_expect, also_actual=case_actual,
                    labels={"tier": "调解层级", "outcome": "调解结果", "rating:": "调解评价"})  # zh-only
