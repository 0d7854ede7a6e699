"""What the supervision events establish (`yishiting verify`): a topic's supervision group
(supervision.member_added / member_removed: role, and the person since this release), its supervision records
and bulletins (supervision.recorded, bulletin.posted: kind, date, text, and the supervisor since this release),
and a task's records and automatic warnings (task.warning: level and the deadline warned about).

These rows have no chain of their own: the topic's or task's chain describes them, so they are reconciled as
parts of that row (common.reconcile.register_part) and named by their own ids under it.
"""

from __future__ import annotations

from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import UNKNOWN, register_part, text_digest

from .models import Task

TOPIC_LABELS = {"member_role:": "监督小组成员（身份）", "member_person:": "监督小组成员（人员）",
                "bulletin_text:": "进度通报（内容）"}
RECORD_LABELS = {"record_kind:": "督办记录（类别）", "record_date:": "督办记录（日期）",
                 "record_text:": "督办记录（内容）", "record_supervisor:": "督办记录（督办人）"}
WARNING_LABELS = {"warning_level:": "预警（级别）", "warning_deadline:": "预警（针对的期限）"}


def records_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        if event.kind == "supervision.recorded":
            p, pk = event.payload, event.payload.get("record")
            found.update({f"record_kind:{pk}": p.get("kind"), f"record_date:{pk}": p.get("happened_on"),
                          f"record_text:{pk}": text_digest(p.get("text")),
                          f"record_supervisor:{pk}": p.get("supervisor", UNKNOWN)})
    return found


def _records_actual(records) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for r in records:
        # the event keeps the first 500 characters of the text, so that is what can be compared
        found.update({f"record_kind:{r.pk}": r.kind, f"record_date:{r.pk}": r.happened_on,
                      f"record_text:{r.pk}": text_digest(r.text[:500]), f"record_supervisor:{r.pk}": r.supervisor_id})
    return found


def topic_expect(events: list[Event]) -> dict[str, Any]:
    found = records_expect(events)
    for event in events:
        p = event.payload
        if event.kind == "supervision.member_added":
            found.update({f"member_role:{p.get('member')}": p.get("role"),
                          f"member_person:{p.get('member')}": p.get("person", UNKNOWN)})
        elif event.kind == "supervision.member_removed":
            found.pop(f"member_role:{p.get('member')}", None)
            found.pop(f"member_person:{p.get('member')}", None)
        elif event.kind == "bulletin.posted":
            found[f"bulletin_text:{p.get('bulletin')}"] = text_digest(p.get("text"))
    return found


def topic_actual(topic) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for m in topic.supervisors.all():
        found.update({f"member_role:{m.pk}": m.role, f"member_person:{m.pk}": m.person_id})
    for b in topic.bulletins.all():
        found[f"bulletin_text:{b.pk}"] = text_digest(b.text[:500])
    # a record on one of the topic's tasks is on the task's chain, not the topic's
    return {**found, **_records_actual(r for r in topic.supervision_records.all() if r.task_id is None)}


def task_expect(events: list[Event]) -> dict[str, Any]:
    found = records_expect(events)
    for event in events:
        if event.kind == "task.warning":
            p = event.payload
            if "warning" not in p:  # written before warnings were numbered in the event
                found.update({"warning_level:*": UNKNOWN, "warning_deadline:*": UNKNOWN})
                continue
            found.update({f"warning_level:{p['warning']}": p.get("level"),
                          f"warning_deadline:{p['warning']}": p.get("deadline")})
    return found


def task_actual(task: Task) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for w in task.warnings.all():
        found.update({f"warning_level:{w.pk}": w.level, f"warning_deadline:{w.pk}": w.deadline})
    return {**found, **_records_actual(task.supervision_records.all())}


def install() -> None:
    register_part("deliberation.topic", "handling.supervision", expect=topic_expect, actual=topic_actual,
                  labels={**TOPIC_LABELS, **RECORD_LABELS},
                  prefetch=("supervisors", "bulletins", "supervision_records"))
    register_part("handling.task", "handling.supervision", expect=task_expect, actual=task_actual,
                  labels={**RECORD_LABELS, **WARNING_LABELS}, prefetch=("warnings", "supervision_records"))
