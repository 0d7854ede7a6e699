"""Handling (办): tasks from a resolution or a direct-handling demand, through docs/states/task.md.

assigned → in_progress (first progress report) → verifying (evidence submitted) → closed (销号, verified by the
supervisor) — or returned (退回, wrongly assigned) → assigned again (reassigned), and closed → in_progress (重办).
Deadline extensions are requests a supervisor decides (docs/states/extension.md); an approved one moves the
deadline and keeps the first deadline in `original_deadline`, so figures can tell an extended task.

The supervisor of a task is its named `supervisor`, else any office staff with `handling.tasks` over the task's
area. Everyone who must act next is told through `notify` (in-app, plus SMS after commit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.models import Area, Organization, Person
from yishiting.areas.selectors import person_for_user
from yishiting.common.calendar import add_working_days, working_days_between
from yishiting.common.dates import full_day, page_day
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Resolution, Topic
from yishiting.demands.photos import MAX_PHOTOS, clean_photo
from yishiting.handling.records_language import site_text
from yishiting.notifications.services import notify

from .. import rules  # noqa: F401  (registers handling.* even before the app config does)
from ..choices import ExtensionStatus, FileKind, SubjectKind, TaskStatus
from ..models import Extension, Milestone, ProgressReport, Task, TaskFile
from ..selectors import handler_candidates
from ..transitions import EXTENSION_TRANSITIONS, OPEN_TASK, TASK_TRANSITIONS

MAX_TITLE = 200
MAX_TEXT = 5000
MAX_DEADLINE_DAYS = 365
MAX_PDF = 20 * 1024 * 1024
WORKING = {TaskStatus.IN_PROGRESS}  # 签收 first: nothing is reported on a task not yet accepted

Upload = tuple[str, bytes]


# ---- checks ----

def required_text(value: str | None, field: str, message: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", message, details={"field": field})
    if len(value) > limit:
        raise DomainError("too_long", _("内容不能超过 %(limit)s 字。") % {"limit": limit}, details={"field": field})
    return value


def _require_assigner(actor, obj) -> None:
    if not has_perm(actor, "handling.tasks", obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以交办任务。"))


def _require_handler(actor, task: Task) -> Person:
    person = person_for_user(actor)
    if person is None or person.pk != task.handler_id or not has_perm(actor, "handling.work"):
        raise PermissionDeniedError(_("只有该任务的经办人可以办理。"))
    return person


def may_supervise(actor, task: Task) -> bool:
    """The named supervisor, or (none named) office staff with handling.tasks over the task's area — never the
    task's own handler: nobody signs off (销号) or extends their own work."""
    person = person_for_user(actor)
    if person is not None and person.pk == task.handler_id:
        return False
    if task.supervisor_id:
        return person is not None and person.pk == task.supervisor_id
    return has_perm(actor, "handling.tasks", task)


def _require_supervisor(actor, task: Task) -> None:
    if not may_supervise(actor, task):
        raise PermissionDeniedError(_("只有该任务的核验人（未指定时为交办层级的社区两委、街道和区级干部）可以审批和核验；"
                                    "经办人不能核验自己的任务。"))


def _check_handler(handler: Person | None, area: Area, within_path: str) -> Person:
    if handler is None:
        raise DomainError("required", _("请指定经办人。"), details={"field": "handler"})
    if not handler_candidates(area, within_path).filter(person=handler).exists():
        raise DomainError("invalid_handler", _("该人员不能承办此处的任务（须是本地或上级的网格、社区、街道、区级人员或承办单位经办人）。"),
                          details={"field": "handler"})
    return handler


def _deadline(deadline: date | None, days: int | None) -> tuple[date, list[str]]:
    """Exactly one of a date or a number of working days from today (calendar warnings passed on, never fatal)."""
    if (deadline is None) == (days is None):
        raise DomainError("deadline_required", _("请填写办理期限：一个日期，或若干个工作日（二选一）。"),
                          details={"field": "deadline"})
    if days is not None:
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            raise DomainError("invalid_deadline", _("工作日期限须在 1 到 %(MAX_DEADLINE_DAYS)s 之间。") % {"MAX_DEADLINE_DAYS": MAX_DEADLINE_DAYS},
                              details={"field": "deadline_days"})
        result = add_working_days(timezone.localdate(), days)
        return result.date, result.warnings
    if deadline < timezone.localdate():
        raise DomainError("invalid_deadline", _("办理期限不能早于今天。"), details={"field": "deadline"})
    return deadline, []


def _window(due: date) -> dict:
    """What a deadline set today stands for: the working days from today up to it on today's calendar, kept
    whole when holidays change later (services.deadlines). A date on a weekend counts to the Friday before."""
    today = timezone.localdate()
    return {"window_start": today, "window_days": max(working_days_between(today, due).days, 0)}


def _source_path(topic: Topic | None, resolution: Resolution | None, demand, area: Area) -> str:
    """Where handlers may come from; a topic's task waits until its publicity (and legality review) is done."""
    if resolution is not None and (topic is None or resolution.topic_id != topic.pk):
        raise DomainError("invalid_resolution", _("决议须属于该议题。"), details={"field": "resolution"})
    if topic is not None:
        if topic.status != TopicStatus.HANDLING:
            raise Conflict("topic_not_handling",
                           _("议题%(status)s，须公示期满（重大事项须经合法性审核）后才能交办任务。") % {"status": topic.get_status_display()})
        if not area.path.startswith(topic.path):
            raise DomainError("invalid_area", _("任务的区域须在议题的层级区域之内。"), details={"field": "area"})
        return topic.path
    if demand is not None:
        return demand.screening_path
    return area.path


def _milestones(items: Iterable[tuple[str, date]], deadline: date) -> list[tuple[str, date]]:
    cleaned = []
    for title, due_on in items or []:
        title = required_text(title, "milestones", _("办理节点须有名称。"), MAX_TITLE)
        if due_on is None or due_on > deadline:
            raise DomainError("invalid_milestone", _("节点“%(title)s”的计划完成日期须在办理期限之内。") % {"title": title},
                              details={"field": "milestones"})
        cleaned.append((title, due_on))
    return cleaned


def _assigner(task: Task) -> Person | None:
    return Person.objects.filter(user_id=task.created_by_id).first() if task.created_by_id else None


def _verifier(task: Task) -> Person | None:
    """Who is told that a task waits for a decision: the named supervisor, else whoever assigned it."""
    return task.supervisor if task.supervisor_id else _assigner(task)


def _link(task: Task) -> str:
    return f"/tasks/{task.pk}/"


# ---- assign ----

@transaction.atomic
def task_assign(*, actor, title: str, area: Area, handler: Person | None, subject_kind: str,
                deadline: date | None = None, deadline_days: int | None = None, topic: Topic | None = None,
                resolution: Resolution | None = None, demand=None, organization: Organization | None = None,
                supervisor: Person | None = None, standard: str = "",
                milestones: Iterable[tuple[str, date]] = ()) -> Task:
    """A new task (status `assigned`), event task.assigned; the handler is told. `task.calendar_warnings` lists
    years the working-day calendar does not cover yet (the deadline is then counted without holidays)."""
    _require_assigner(actor, area)
    title = required_text(title, "title", _("请填写任务名称。"), MAX_TITLE)
    if subject_kind not in SubjectKind.values:
        raise DomainError("invalid_choice", _("请选择责任主体。"), details={"field": "subject_kind"})
    if subject_kind == SubjectKind.UNIT and organization is None:
        raise DomainError("required", _("责任主体为责任单位时须选择单位。"), details={"field": "organization"})
    _check_handler(handler, area, _source_path(topic, resolution, demand, area))
    if supervisor is not None and supervisor.pk == handler.pk:
        raise DomainError("invalid_supervisor", _("核验人不能是经办人本人。"), details={"field": "supervisor"})
    due, warnings = _deadline(deadline, deadline_days)
    steps = _milestones(milestones, due)
    task = Task.objects.create(
        title=title, topic=topic, resolution=resolution, area=area, path=area.path, subject_kind=subject_kind,
        organization=organization, handler=handler, supervisor=supervisor, standard=(standard or "").strip(),
        deadline=due, deadline_days=deadline_days, created_by=actor, **_window(due))
    Milestone.objects.bulk_create([Milestone(task=task, title=t, due_on=d) for t, d in steps])
    event_append(subject=task, kind="task.assigned", actor=actor, new_subject=True, payload={
        "title": title, "handler": handler.pk, "deadline": due.isoformat(), "deadline_days": deadline_days,
        "topic": topic.pk if topic else None, "demand": demand.number if demand is not None else None,
        "subject_kind": subject_kind, "milestones": len(steps), "calendar_warnings": warnings})
    notify(person=handler, subject=task, link=_link(task),
           text=site_text(gettext_noop("您有新的办理任务“%(title)s”，请于 %(due)s 前办结。"), title=title[:40], due=full_day(due)))
    task.calendar_warnings = warnings
    return task


def _assigned_at(task: Task):
    """When the task last reached its handler: the last reassignment, else the assignment."""
    from yishiting.common.events import events_of

    last = events_of(task).filter(kind="task.reassigned").order_by("-seq").values_list("at", flat=True).first()
    return last or task.created_at


def accept_hours(task: Task, assigned_at=None) -> float | None:
    """Hours from assignment to 签收 (None while not accepted), two decimals."""
    if task.accepted_at is None:
        return None
    start = assigned_at or task.created_at
    return round(max((task.accepted_at - start).total_seconds(), 0) / 3600, 2)


@transaction.atomic
def task_accept(*, actor, task: Task) -> Task:
    """签收: the handler accepts an assigned task (assigned → in_progress), event task.accepted with the hours it
    waited; `accepted_at` is kept. Reports, extensions and 销号 come after it. A retry once accepted returns the
    task as it is; an accept racing a return (退回) waits on the row lock and exactly one of them wins."""
    _require_handler(actor, task)
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.accepted_at is not None and locked.status != TaskStatus.ASSIGNED:
        task.status, task.accepted_at = locked.status, locked.accepted_at
        return locked
    now = timezone.now()
    locked.accepted_at = now
    hours = accept_hours(locked, _assigned_at(locked))
    return transition(task, to=TaskStatus.IN_PROGRESS, actor=actor, table=TASK_TRANSITIONS, kind="task.accepted",
                      expected=TaskStatus.ASSIGNED, payload={"hours": hours}, changes={"accepted_at": now})


def _require_accepted(task: Task, doing: str) -> None:
    if task.status == TaskStatus.ASSIGNED:
        raise Conflict("task_not_accepted", _("请先签收任务，再%(doing)s。") % {"doing": doing})


# ---- files ----

@dataclass(frozen=True)
class _File:
    name: str
    data: bytes
    content_type: str
    sha256: str
    thumbnail: bytes = b""  # photos only


def _clean_file(name: str, data: bytes, index: int, *, pdf: bool) -> _File:
    """A photo, resized and re-encoded without EXIF with a thumbnail (as demand photos are); for evidence also a
    PDF, told by its bytes."""
    name = (name or site_text(gettext_noop("附件%(index)s"), index=index)).strip().replace("/", "_")[:150]
    if pdf and data.startswith(b"%PDF-"):
        if len(data) > MAX_PDF:
            raise DomainError("too_large", _("第 %(index)s 个文件超过 20 MB。") % {"index": index}, details={"field": "files"}, status=413)
        return _File(name, data, "application/pdf", hashlib.sha256(data).hexdigest())
    photo = clean_photo(data, index)
    stem = name.rsplit(".", 1)[0] or site_text(gettext_noop("照片%(index)s"), index=index)
    return _File(f"{stem}.{photo.extension}", photo.data, photo.content_type, photo.sha256, photo.thumbnail)


def _clean_files(uploads: Iterable[Upload], *, pdf: bool = False) -> list[_File]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS:
        raise DomainError("too_many_photos", _("一次最多上传 %(MAX_PHOTOS)s 个文件。") % {"MAX_PHOTOS": MAX_PHOTOS}, details={"field": "photos"})
    return [_clean_file(name, data, i, pdf=pdf) for i, (name, data) in enumerate(uploads, start=1)]


def _store(task: Task, files: list[_File], kind: str, actor, report: ProgressReport | None = None) -> list[TaskFile]:
    return [TaskFile.objects.create(task=task, report=report, kind=kind, name=f.name, content_type=f.content_type,
                                    size=len(f.data), sha256=f.sha256, uploaded_by=actor,
                                    file=ContentFile(f.data, name=f"{f.sha256[:16]}-{f.name}"[-100:]),
                                    thumbnail=ContentFile(f.thumbnail, name=f"{f.sha256[:16]}.jpg") if f.thumbnail else "")
            for f in files]


# ---- progress ----

def _percent(value, current: int) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise DomainError("invalid_percent", _("进度须是 0 到 100 之间的整数。"), details={"field": "percent"})
    if percent < current:
        raise DomainError("percent_backwards", _("进度不能低于上次报告的 %(current)s%%。") % {"current": current}, details={"field": "percent"})
    return percent


def _same_as_last(task: Task, text: str, percent: int, files: list[_File]) -> ProgressReport | None:
    """A retried report (same words, percent and photos as the last one) is answered with the first."""
    last = task.reports.order_by("-pk").first()
    if last is None or (last.text, last.percent) != (text, percent):
        return None
    return last if sorted(f.sha256 for f in files) == sorted(last.files.values_list("sha256", flat=True)) else None


@transaction.atomic
def task_report(*, actor, task: Task, text: str, percent: int, photos: Iterable[Upload] = (),
                milestone: Milestone | None = None) -> ProgressReport:
    """A progress report with photos (percent never goes back, at most 100) on an accepted task (签收 first).
    Event task.reported with the photos' SHA-256."""
    person = _require_handler(actor, task)
    text = required_text(text, "text", _("请填写进展情况。"))
    files = _clean_files(photos)
    locked = Task.objects.select_for_update().get(pk=task.pk)
    _require_accepted(locked, _("报告进展"))
    if locked.status not in WORKING:
        raise Conflict("task_not_working", _("任务%(status)s，不能报告进展。") % {"status": locked.get_status_display()})
    percent = _percent(percent, locked.percent)
    if (again := _same_as_last(locked, text, percent, files)) is not None:
        return again
    if milestone is not None and (milestone.task_id != locked.pk or milestone.done_at is not None):
        raise DomainError("invalid_milestone", _("该节点不属于此任务，或已经完成。"), details={"field": "milestone"})
    report = ProgressReport.objects.create(task=locked, text=text, percent=percent, milestone=milestone,
                                           reporter=person)
    _store(locked, files, FileKind.PROGRESS, actor, report)
    if milestone is not None:
        Milestone.objects.filter(pk=milestone.pk).update(done_at=timezone.now())
    locked.percent = percent
    locked.save(update_fields=["percent"])
    task.percent, task.status = locked.percent, locked.status
    event_append(subject=locked, kind="task.reported", actor=actor, payload={
        "report": report.pk, "percent": percent, "milestone": milestone.title if milestone else None,
        "photos": [f.sha256 for f in files]})
    return report


# ---- return and reassign ----

@transaction.atomic
def task_return(*, actor, task: Task, reason: str) -> Task:
    """退回: the handler gives back a wrongly assigned task with a reason, before 签收 (assigned → returned);
    the assigner is told. Once accepted a task is not returned (it may ask for an extension)."""
    _require_handler(actor, task)
    reason = required_text(reason, "reason", _("退回须说明理由。"))
    if Task.objects.filter(pk=task.pk, accepted_at__isnull=False, status=TaskStatus.IN_PROGRESS).exists():
        raise Conflict("task_accepted", _("任务已签收，不能再退回；如确需调整，请联系交办人撤销或申请延期。"))
    locked = transition(task, to=TaskStatus.RETURNED, actor=actor, table=TASK_TRANSITIONS, kind="task.returned",
                        expected=TaskStatus.ASSIGNED, payload={"reason": reason})
    notify(person=_assigner(locked), subject=locked, link=_link(locked),
           text=site_text(gettext_noop("任务“%(title)s”被经办人退回：%(reason)s，请重新交办。"), title=locked.title[:40], reason=reason[:100]))
    return locked


@transaction.atomic
def task_reassign(*, actor, task: Task, handler: Person | None, reason: str) -> Task:
    """A returned task goes to a new (or the same) handler (returned → assigned); the handler is told."""
    _require_assigner(actor, task)
    reason = required_text(reason, "reason", _("重新交办须说明理由。"))
    within = task.topic.path if task.topic_id else (task.demands.values_list("screening_path", flat=True).first()
                                                    or task.path)
    _check_handler(handler, task.area, within)
    locked = transition(task, to=TaskStatus.ASSIGNED, actor=actor, table=TASK_TRANSITIONS, kind="task.reassigned",
                        payload={"reason": reason, "handler": handler.pk, "from_handler": task.handler_id},
                        changes={"handler": handler})
    notify(person=handler, subject=locked, link=_link(locked),
           text=site_text(gettext_noop("您有重新交办的任务“%(title)s”，请于 %(deadline)s 前办结。"), title=locked.title[:40], deadline=full_day(locked.deadline)))
    return locked


# ---- extensions ----

@transaction.atomic
def extension_request(*, actor, task: Task, new_deadline: date | None, reason: str) -> Extension:
    """The handler asks to move the deadline (one request waits at a time); the supervisor is told."""
    _require_handler(actor, task)
    reason = required_text(reason, "reason", _("申请延期须说明理由。"))
    locked = Task.objects.select_for_update().get(pk=task.pk)
    _require_accepted(locked, _("申请延期"))
    if locked.status not in WORKING:
        raise Conflict("task_not_working", _("任务%(status)s，不能申请延期。") % {"status": locked.get_status_display()})
    if new_deadline is None or new_deadline <= locked.deadline:
        raise DomainError("invalid_deadline", _("申请的期限须晚于现在的期限 %(deadline)s。") % {"deadline": page_day(locked.deadline)},
                          details={"field": "new_deadline"})
    if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict("extension_pending", _("已有一份延期申请在等候审批，审批后才能再申请。"))
    try:
        with transaction.atomic():
            extension = Extension.objects.create(task=locked, reason=reason, old_deadline=locked.deadline,
                                                 new_deadline=new_deadline, requested_by=actor)
    except IntegrityError:  # the constraint behind the check above
        raise Conflict("extension_pending", _("已有一份延期申请在等候审批，审批后才能再申请。")) from None
    event_append(subject=locked, kind="task.extension_requested", actor=actor, payload={
        "extension": extension.pk, "from": locked.deadline.isoformat(), "to": new_deadline.isoformat(),
        "reason": reason})
    notify(person=_verifier(locked), subject=locked, link=_link(locked),
           text=site_text(gettext_noop("任务“%(title)s”申请延期至 %(new_deadline)s，请审批。"), title=locked.title[:40], new_deadline=full_day(new_deadline)))
    return extension


@transaction.atomic
def extension_decide(*, actor, extension: Extension, approve: bool, note: str = "") -> Extension:
    """The supervisor approves (the deadline moves; the first deadline is kept) or refuses (a note is needed):
    pending → approved | refused, event task.extended or task.extension_refused; the handler is told."""
    task = extension.task
    _require_supervisor(actor, task)
    note = (note or "").strip()
    if not approve:
        note = required_text(note, "note", _("不批准延期须说明理由。"))
    decided = transition(extension, to=ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED,
                         actor=actor, table=EXTENSION_TRANSITIONS, expected=ExtensionStatus.PENDING,
                         changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note})
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if approve:
        locked.original_deadline = locked.original_deadline or locked.deadline
        locked.deadline = decided.new_deadline
        window = _window(decided.new_deadline)  # the new date keeps its working days from today on
        locked.window_start, locked.window_days = window["window_start"], window["window_days"]
        locked.save(update_fields=["original_deadline", "deadline", "window_start", "window_days"])
    event_append(subject=locked, kind="task.extended" if approve else "task.extension_refused", actor=actor,
                 payload={"extension": decided.pk, "from": decided.old_deadline.isoformat(),
                          "to": decided.new_deadline.isoformat(), "note": note})
    verdict = site_text(gettext_noop("任务“%(title)s”的延期申请已批准，新期限 %(deadline)s。"), title=locked.title[:40],
                        deadline=full_day(decided.new_deadline)) if approve else \
        site_text(gettext_noop("任务“%(title)s”的延期申请未批准：%(note)s。"), title=locked.title[:40], note=note[:100])
    notify(person=locked.handler, subject=locked, link=_link(locked),
           text=verdict)
    return decided


# ---- 销号 ----

@transaction.atomic
def task_submit(*, actor, task: Task, evidence: str, files: Iterable[Upload] = ()) -> Task:
    """The handler asks for 销号 with evidence (text, and a photo or PDF — earlier progress photos count):
    in_progress → verifying (签收 first), event task.submitted; the supervisor is told."""
    _require_handler(actor, task)
    _require_accepted(Task.objects.get(pk=task.pk), _("提交销号"))
    evidence = required_text(evidence, "evidence", _("请填写销号佐证说明（做了什么、结果如何）。"))
    cleaned = _clean_files(files, pdf=True)
    if not cleaned and not task.files.exists():
        raise DomainError("evidence_required", _("销号须附至少一张现场照片或一份佐证文件。"), details={"field": "files"})
    locked = transition(task, to=TaskStatus.VERIFYING, actor=actor, table=TASK_TRANSITIONS, kind="task.submitted",
                        payload={"evidence": evidence[:500], "files": [f.sha256 for f in cleaned]},
                        changes={"evidence": evidence})
    _store(locked, cleaned, FileKind.EVIDENCE, actor)
    notify(person=_verifier(locked), subject=locked, link=_link(locked),
           text=site_text(gettext_noop("任务“%(title)s”已提交销号，请核验。"), title=locked.title[:40]))
    return locked


@transaction.atomic
def task_verify(*, actor, task: Task, approve: bool, note: str = "") -> Task:
    """The supervisor verifies: closed (销号, closed_at; the topic moves to evaluation when this was its last
    open task) or back to in_progress with a note. Two supervisors at once: the row lock lets exactly one win."""
    _require_supervisor(actor, task)
    note = (note or "").strip()
    if not approve:
        note = required_text(note, "note", _("不予销号须说明原因，以便经办人补充办理。"))
    # The topic first (fixed lock order), so two of its tasks closing at once still see each other.
    topic = Topic.objects.select_for_update().get(pk=task.topic_id) if task.topic_id else None
    if not approve:
        locked = transition(task, to=TaskStatus.IN_PROGRESS, actor=actor, table=TASK_TRANSITIONS,
                            kind="task.sent_back", expected=TaskStatus.VERIFYING, payload={"note": note})
        notify(person=locked.handler, subject=locked, link=_link(locked),
               text=site_text(gettext_noop("任务“%(title)s”未通过销号核验：%(note)s"), title=locked.title[:40], note=note[:100]))
        return locked
    locked = transition(task, to=TaskStatus.CLOSED, actor=actor, table=TASK_TRANSITIONS, kind="task.closed",
                        expected=TaskStatus.VERIFYING, payload={"note": note, "deadline": task.deadline.isoformat(),
                                                                "on_time": timezone.localdate() <= task.deadline},
                        changes={"closed_at": timezone.now()})
    _after_close(actor, locked, topic)
    return locked


def _after_close(actor, task: Task, topic: Topic | None) -> None:
    notify(person=task.handler, subject=task, link=_link(task), text=site_text(gettext_noop("任务“%(title)s”已核验销号。"), title=task.title[:40]))
    for demand in task.demands.select_related("reporter"):
        notify(person=demand.reporter, subject=demand, link=f"/demands/{demand.pk}/",
               text=site_text(gettext_noop("您的诉求（编号 %(number)s）已办结，欢迎对办理结果进行评价。"), number=demand.number))
    if topic is not None and topic.status == TopicStatus.HANDLING \
            and not topic.tasks.filter(status__in=OPEN_TASK).exists():
        from .evaluation import evaluation_start  # the evaluation stage opens its round there

        evaluation_start(actor=actor, topic=topic)


@transaction.atomic
def task_reopen(*, actor, task: Task, reason: str) -> Task:
    """重办: a closed task goes back to in progress with a reason (closed → in_progress); the handler is told.
    Called by the evaluation stage (actor None when the tick closes a round)."""
    if actor is not None:
        _require_assigner(actor, task)
    reason = required_text(reason, "reason", _("重办须说明理由。"))
    locked = transition(task, to=TaskStatus.IN_PROGRESS, actor=actor, table=TASK_TRANSITIONS, kind="task.reopened",
                        payload={"reason": reason}, changes={"closed_at": None})
    notify(person=locked.handler, subject=locked, link=_link(locked),
           text=site_text(gettext_noop("任务“%(title)s”须重办：%(reason)s"), title=locked.title[:40], reason=reason[:100]))
    return locked
