"""What a demand's events establish about its row, for `yishiting verify` (common.reconcile).

demand.submitted records the place (area code), the reporter, the household and a digest of the text (since
the reconciliation release; older events lack the last three: "cannot reconcile", never a silent pass), and the
category (by id; its name may be renamed later) and urgency (since the next release, likewise); every later state
change is a `transition()` event carrying its "to", and each screening event (demand.topic, demand.handling, …)
its outcome. Numbers are gapless per district and year, so a
demand deleted together with its event and chain head still leaves a hole `verify` names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import UNKNOWN, Finding, register, register_check, status_fold, text_digest

from .choices import Outcome, Status
from .models import Demand, DemandCounter

LABELS = {"status": "状态", "area": "发生地", "reporter": "诉求人", "household": "住户", "text": "内容",
          "category": "类别", "urgency": "紧急程度", "outcome": "筛选结果"}
SCREENED = {f"demand.{outcome}" for outcome in Outcome.values}


def outcome_fold(events: list[Event]) -> str:
    """Empty at intake; each screening event (demand.topic, …, demand.escalate) sets it; a merge leaves it."""
    outcome = ""
    for event in events:
        if event.kind in SCREENED and "outcome" in event.payload:
            outcome = event.payload["outcome"]
    return outcome


def expect(events: list[Event]) -> dict[str, Any]:
    first = events[0].payload if events[0].kind == "demand.submitted" else {}
    return {
        "status": status_fold(events, initial=Status.PENDING, statuses=Status.values),
        "area": first.get("area", UNKNOWN),
        "reporter": first.get("reporter", UNKNOWN),
        "household": first.get("household", UNKNOWN),
        "text": first.get("text_sha256", UNKNOWN),
        "category": first.get("category_id", UNKNOWN),
        "urgency": first.get("urgency", UNKNOWN),
        "outcome": outcome_fold(events),
    }


def actual(demand: Demand) -> dict[str, Any]:
    return {"status": demand.status, "area": demand.area.code, "reporter": demand.reporter_id,
            "household": demand.household_id, "text": text_digest(demand.text), "category": demand.category_id,
            "urgency": demand.urgency, "outcome": demand.outcome}


def number_gaps() -> Iterator[Finding]:
    """Every number up to each district's counter must still be a demand (numbers are issued without gaps)."""
    taken: dict[tuple[int, int], set[int]] = {}
    for district_id, number in Demand.objects.values_list("district_id", "number").iterator():
        year, _, serial = number.partition("-")
        if year.isdigit() and serial.isdigit():
            taken.setdefault((district_id, int(year)), set()).add(int(serial))
    for counter in DemandCounter.objects.order_by("district_id", "year"):
        have = taken.get((counter.district_id, counter.year), set())
        for serial in range(1, counter.last + 1):
            if serial not in have:
                number = f"{counter.year}-{serial:06d}"
                yield Finding("demands.demand", number, [
                    f"诉求编号 {number} 不见了：编号逐个发放（计数器已到 {counter.last}），该诉求连同它的事件被删除"])


def install() -> None:
    register("demands.demand", expect=expect, actual=actual, labels=LABELS,
             queryset=lambda: Demand.objects.select_related("area").only(
                 "pk", "status", "area__code", "reporter_id", "household_id", "text", "category_id", "urgency",
                 "outcome"))
    register_check("demands.numbers", number_gaps)
