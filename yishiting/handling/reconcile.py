"""What the events of tasks, notices, reviews, evaluation rounds and dossiers establish (`yishiting verify`).

A task's events record its handler (task.assigned, task.reassigned), its deadline (task.assigned, moved by
task.extended) and its status (`transition()`); a rating's value is recorded by the rating.given event of its
round or task, a party's score by party_rating.given, a round's stored result by evaluation.closed. A task's
extension requests (no creation event of their own) by task.extension_requested and task.extended /
task.extension_refused: dates, reason, status, note. A notice's objections by objection.raised (person and a
digest of the text, since this release) and objection.answered (whether substantial; a digest of the answer
since this release). A dossier proves itself: its content hash, and the chain head it sealed must still be in
the matter's chain. A task's progress reports by task.reported (percent, photos' SHA-256), a round's
organisation assessment (组织考评) by org.assessed (score).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yishiting.common.models import Event
from yishiting.common.reconcile import (
    UNKNOWN,
    Finding,
    json_digest,
    register_check,
    register_status,
    text_digest,
)

from .choices import ExtensionStatus
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


def round_expect(events: list[Event]) -> dict[str, Any]:
    """Ratings and party scores, the organisation's assessment, and the result stored at closing
    (evaluation.closed carries all of it)."""
    closed = [e.payload["result"] for e in events if e.kind == "evaluation.closed" and "result" in e.payload]
    assessed = [e.payload.get("score") for e in events if e.kind == "org.assessed"]
    return {**ratings_expect(events), **({"result": json_digest(closed[-1])} if closed else {}),
            **({"org_score": assessed[-1]} if assessed else {})}


def round_actual(round_: EvaluationRound) -> dict[str, Any]:
    assessment = getattr(round_, "org_assessment", None)
    return {**ratings_actual(round_), **({"result": json_digest(round_.result)} if round_.result else {}),
            **({"org_score": assessment.score} if assessment is not None else {})}


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
    reports = {f"report_{key}:{e.payload.get('report')}": value for e in events if e.kind == "task.reported"
               for key, value in (("percent", e.payload.get("percent")), ("photos", ",".join(e.payload.get("photos", []))))}
    return {"handler": handler, "deadline": deadline, **ratings_expect(events), **extensions_expect(events), **reports}


def task_actual(task: Task) -> dict[str, Any]:
    reports: dict[str, Any] = {}
    for r in task.reports.all():
        photos = ",".join(f.sha256 for f in sorted(r.files.all(), key=lambda f: f.pk))
        reports.update({f"report_percent:{r.pk}": r.percent, f"report_photos:{r.pk}": photos})
    return {"handler": task.handler_id, "deadline": task.deadline, **ratings_actual(task),
            **extensions_actual(task), **reports}


EXTENSION_LABELS = {"extension_status:": "延期申请（状态）", "extension_from:": "延期申请（原期限）",
                    "extension_to:": "延期申请（申请延至）", "extension_reason:": "延期申请（理由）",
                    "extension_note:": "延期申请（审批意见）"}
EXTENSION_DECIDED = {"task.extended": ExtensionStatus.APPROVED, "task.extension_refused": ExtensionStatus.REFUSED}


def extensions_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        p, pk = event.payload, event.payload.get("extension")
        if event.kind == "task.extension_requested":
            found.update({f"extension_status:{pk}": ExtensionStatus.PENDING, f"extension_from:{pk}": p.get("from"),
                          f"extension_to:{pk}": p.get("to"), f"extension_reason:{pk}": text_digest(p.get("reason")),
                          f"extension_note:{pk}": text_digest("")})
        elif event.kind in EXTENSION_DECIDED and pk is not None:
            found.update({f"extension_status:{pk}": EXTENSION_DECIDED[event.kind],
                          f"extension_note:{pk}": text_digest(p.get("note"))})
    return found


def extensions_actual(task: Task) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for x in task.extensions.all():
        found.update({f"extension_status:{x.pk}": x.status, f"extension_from:{x.pk}": x.old_deadline,
                      f"extension_to:{x.pk}": x.new_deadline, f"extension_reason:{x.pk}": text_digest(x.reason),
                      f"extension_note:{x.pk}": text_digest(x.decision_note)})
    return found


OBJECTION_LABELS = {"objection_person:": "异议（提出人）", "objection_text:": "异议（内容）",
                    "objection_answer:": "异议（答复）", "objection_substantial:": "异议（实质性）"}


def notice_expect(events: list[Event]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        p, pk = event.payload, event.payload.get("objection")
        if event.kind == "objection.raised":
            found.update({f"objection_person:{pk}": p.get("person", UNKNOWN),
                          f"objection_text:{pk}": p.get("text_sha256", UNKNOWN),
                          f"objection_answer:{pk}": text_digest(""), f"objection_substantial:{pk}": None})
        elif event.kind == "objection.answered":
            found.update({f"objection_answer:{pk}": p.get("answer_sha256", UNKNOWN),
                          f"objection_substantial:{pk}": p.get("substantial")})
    return found


def notice_actual(notice: Notice) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for o in notice.objections.all():
        found.update({f"objection_person:{o.pk}": o.person_id, f"objection_text:{o.pk}": text_digest(o.text),
                      f"objection_answer:{o.pk}": text_digest(o.answer),
                      f"objection_substantial:{o.pk}": o.substantial})
    return found


def dossier_findings() -> Iterator[Finding]:
    for dossier, problems in verify_dossiers():
        yield Finding("handling.dossier", str(dossier.pk), [f"档案 {dossier.number}（{dossier.title}）", *problems])


def install() -> None:
    from . import reconcile_supervision

    reconcile_supervision.install()
    register_status(Task, also=task_expect, also_actual=task_actual,
                    labels={"handler": "经办人", "deadline": "办理期限", **RATING_LABELS, **EXTENSION_LABELS,
                            "report_percent:": "进展报告（进度）", "report_photos:": "进展报告（照片 SHA-256）"},
                    queryset=lambda: Task.objects.prefetch_related("ratings", "extensions", "reports__files"))
    register_status(EvaluationRound, also=round_expect, also_actual=round_actual,
                    labels={"result": "评价结果", "org_score": "组织考评得分", **RATING_LABELS},
                    queryset=lambda: EvaluationRound.objects.prefetch_related("ratings", "party_ratings")
                    .select_related("org_assessment"))
    register_status(Notice, also=notice_expect, also_actual=notice_actual, labels=OBJECTION_LABELS,
                    queryset=lambda: Notice.objects.prefetch_related("objections"))
    register_status(LegalReview)
    register_check("handling.dossiers", dossier_findings, count=Dossier.objects.count, unit="份档案")
