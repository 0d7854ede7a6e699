"""Reads of tasks (办) and supervision (督): a handler's own tasks, the tasks in a viewer's scope with one filter
for the API, the pages and the 任务台账 export, one task with everything on it, and a topic's public progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.choices import Role
from yishiting.areas.models import Person, RoleAssignment
from yishiting.areas.selectors import person_for_user
from yishiting.common.events import events_of
from yishiting.common.models import Event
from yishiting.common.rules import scope_for
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import URGENCY_RANK, Urgency
from yishiting.demands.models import Demand
from yishiting.demands.timeline import TimelineLine, actor_labels, when_text

from ..choices import ExtensionStatus, TaskStatus, WarningLevel
from ..models import Bulletin, Extension, SupervisionRecord, Task, Warning
from ..transitions import OPEN_TASK

# Highest warning first: the list shows one colour per task, the worst one for its current deadline.
LEVEL_ORDER = [WarningLevel.ESCALATED, WarningLevel.RED, WarningLevel.YELLOW]


def _with_figures(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Each task with its worst current warning (`warning_level`) and whether an extension waits."""
    current = Warning.objects.filter(task=OuterRef("pk"), deadline=OuterRef("deadline"))
    for level in LEVEL_ORDER:
        queryset = queryset.annotate(**{f"has_{level}": Exists(current.filter(level=level))})
    return (queryset.select_related("area", "handler", "organization", "topic", "supervisor")
            .annotate(extension_pending=Exists(Extension.objects.filter(task=OuterRef("pk"),
                                                                      status=ExtensionStatus.PENDING))))


def warning_level(task: Task) -> str:
    """The worst warning of a task annotated by `_with_figures` ('' when none)."""
    return next((level for level in LEVEL_ORDER if getattr(task, f"has_{level}", False)), "")


def my_tasks(user) -> QuerySet[Task]:
    """The tasks the user handles, open ones first, then by deadline."""
    person = person_for_user(user)
    if person is None:
        return Task.objects.none()
    # Open ones (no closed_at) first on every database: PostgreSQL sorts NULL last unless told.
    return (_with_figures(Task.objects.filter(handler=person))
            .order_by(F("closed_at").asc(nulls_first=True), "deadline", "pk"))


def unit_ids(person: Person | None) -> list[int]:
    """The responsible units (责任单位) a person is a handler of: their colleagues' tasks are their unit's too."""
    if person is None:
        return []
    return list(RoleAssignment.objects.filter(person=person, role=Role.HANDLER, is_active=True,
                                              organization__isnull=False).values_list("organization_id", flat=True))


def tasks_visible_to(user) -> QuerySet[Task]:
    """Tasks in the user's handling.view scope, plus those they handle or supervise by name, and (a unit's
    handler) those assigned to their unit."""
    scope = scope_for(user, "handling.view")
    person = person_for_user(user)
    own = Q(handler=person) | Q(supervisor=person) | Q(organization_id__in=unit_ids(person)) if person else None
    query = scope.q("path", own=own)
    if person is not None and not scope.everything:
        query |= own
    return _with_figures(Task.objects.filter(query)).order_by("deadline", "pk")


def unit_task_queue(user, *, today: date | None = None) -> QuerySet[Task]:
    """The open tasks waiting on a handler: their own and their unit's, overdue first, then the worst warning,
    the most urgent demand behind it (特急, 紧急), waiting for 签收, then by deadline (`overdue`, `rank`,
    `urgency_rank` annotated)."""
    person = person_for_user(user)
    if person is None:
        return Task.objects.none()
    today = today or timezone.localdate()
    mine = Q(handler=person) | Q(organization_id__in=unit_ids(person))
    warning_rank = Case(*[When(**{f"has_{level}": True}, then=Value(i)) for i, level in enumerate(LEVEL_ORDER)],
                        default=Value(len(LEVEL_ORDER)), output_field=IntegerField())
    urgency = (Demand.objects.filter(task_id=OuterRef("pk"))
               .annotate(r=Case(*[When(urgency=k, then=Value(v)) for k, v in URGENCY_RANK.items()],
                                output_field=IntegerField()))
               .order_by("r").values("r")[:1])
    return (_with_figures(Task.objects.filter(mine, status__in=OPEN_TASK))
            .annotate(overdue=Case(When(deadline__lt=today, then=Value(True)), default=Value(False),
                                   output_field=BooleanField()),
                      rank=warning_rank,
                      urgency_rank=Coalesce(Subquery(urgency, output_field=IntegerField()),
                                            Value(URGENCY_RANK[Urgency.NORMAL])),
                      waiting=Case(When(status=TaskStatus.ASSIGNED, then=Value(0)), default=Value(1),
                                   output_field=IntegerField()))
            .order_by("-overdue", "rank", "urgency_rank", "waiting", "deadline", "pk"))


@dataclass
class TaskFilter:
    status: str = ""
    overdue: bool = False
    warning: str = ""
    area_path: str = ""
    topic_id: int | None = None
    text: str = ""
    extended: bool = False
    start: date | None = None  # assigned (交办) on or after, a local calendar day
    end: date | None = None  # assigned on or before


def task_search(queryset: QuerySet[Task], f: TaskFilter, *, today: date | None = None) -> QuerySet[Task]:
    """One filter for the API list, the staff page and both exports: status, overdue, warning level, area, topic,
    words, extended, and the period the task was assigned in (days in China's time zone)."""
    today = today or timezone.localdate()
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.overdue:
        queryset = queryset.filter(status__in=OPEN_TASK, deadline__lt=today)
    if f.warning in WarningLevel.values:
        queryset = queryset.filter(**{f"has_{f.warning}": True})
    if f.area_path:
        queryset = queryset.filter(path__startswith=f.area_path)
    if f.topic_id:
        queryset = queryset.filter(topic_id=f.topic_id)
    if f.text:
        queryset = queryset.filter(Q(title__icontains=f.text) | Q(standard__icontains=f.text))
    if f.extended:
        queryset = queryset.filter(original_deadline__isnull=False)
    if f.start:
        queryset = queryset.filter(created_at__date__gte=f.start)
    if f.end:
        queryset = queryset.filter(created_at__date__lte=f.end)
    return queryset


def task_ledger(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks as the 任务台账 lists them: with the topic, who verified the 销号 (`verifier_name`, the person
    behind the last task.closed event; '' while not closed) and the hours it waited for its 签收
    (`accept_hours`, text, from the task.accepted event) — one statement for the whole sheet."""
    closed_by = (Event.objects.filter(subject_type=Task._meta.label_lower, kind="task.closed",
                                      subject_id=Cast(OuterRef(OuterRef("pk")), CharField()))
                 .order_by("-seq").values("actor_id")[:1])
    verifier = Person.objects.filter(user_id=Subquery(closed_by)).values("name")[:1]
    accepted = (Event.objects.filter(subject_type=Task._meta.label_lower, kind="task.accepted",
                                     subject_id=Cast(OuterRef("pk"), CharField()))
                .order_by("-seq").annotate(hours=KeyTextTransform("hours", "payload")).values("hours")[:1])
    return queryset.select_related("topic", "area", "organization", "handler", "supervisor").annotate(
        verifier_name=Subquery(verifier), accept_hours=Subquery(accepted, output_field=CharField()))


def task_detail(task: Task) -> Task:
    """Attach the milestones, reports with their photos, files, extensions, warnings and records (a few queries)."""
    task.milestone_list = list(task.milestones.all())
    task.report_list = list(task.reports.select_related("reporter", "milestone").prefetch_related("files"))
    task.file_list = list(task.files.all())
    task.evidence_files = [f for f in task.file_list if f.report_id is None]
    task.extension_list = list(task.extensions.select_related("requested_by", "decided_by"))
    task.warning_list = list(task.warnings.all())
    task.record_list = list(task.supervision_records.select_related("supervisor"))
    task.pending_extension = next((e for e in task.extension_list if e.status == ExtensionStatus.PENDING), None)
    task.demand_list = list(task.demands.only("pk", "number", "reporter_id"))
    task.accept_wait = accept_wait(task)
    return task


def accept_wait(task: Task) -> str:
    """How long the task waited for its 签收 ('2.5 小时'), from the task.accepted event; '' while not accepted."""
    if task.accepted_at is None:
        return ""
    payload = (events_of(task).filter(kind="task.accepted").order_by("-seq").values_list("payload", flat=True)
               .first() or {})
    return _hours_text(payload["hours"]) if payload.get("hours") is not None else ""


STATUS = dict(TaskStatus.choices)


def _hours_text(hours: float) -> str:
    """'12 分钟' under an hour, '2.5 小时' under two days, else '3 天 4 小时' — how long a task waited for 签收."""
    if hours < 1:
        return _("%(n)s 分钟") % {"n": max(1, round(hours * 60))}
    if hours < 48:
        return _("%(hours)s 小时") % {"hours": format(hours, '.1f')}
    return _("%(n)s 天 %(n2)s 小时") % {"n": int(hours // 24), "n2": format(round(hours % 24), 'g')}
LEVELS = dict(WarningLevel.choices)


def event_text(kind: str, p: dict) -> str:
    """One event of a task as a plain-Chinese sentence."""
    texts = {
        "task.assigned": lambda: _("交办任务，期限 %(deadline)s") % {"deadline": p.get('deadline', '')}
                                 + (_("（诉求 %(demand)s）") % {"demand": p["demand"]} if p.get("demand") else ""),
        "task.started": lambda: _("开始办理"),
        "task.accepted": lambda: _("签收任务") + (_("（交办后 %(hours_text)s）") % {"hours_text": _hours_text(p['hours'])} if p.get("hours") is not None else ""),
        "task.reported": lambda: _("报告进展，完成 %(percent)s%%") % {"percent": p.get('percent', 0)}
                                 + (_("，完成节点“%(milestone)s”") % {"milestone": p["milestone"]} if p.get("milestone") else "")
                                 + (_("，附照片 %(n)s 张") % {"n": len(p["photos"])} if p.get("photos") else ""),
        "task.returned": lambda: _("退回任务（理由：%(reason)s）") % {"reason": p.get('reason', '')},
        "task.reassigned": lambda: _("重新交办（理由：%(reason)s）") % {"reason": p.get('reason', '')},
        "task.extension_requested": lambda: _("申请延期至 %(to)s（理由：%(reason)s）") % {"to": p.get('to', ''), "reason": p.get('reason', '')},
        "task.extended": lambda: _("批准延期：期限由 %(from)s 延至 %(to)s") % {"from": p.get('from', ''), "to": p.get('to', '')},
        "task.deadline_recomputed": lambda: _("节假日安排有变，期限由 %(from)s 顺延至 %(to)s") % {"from": p.get("from", ""), "to": p.get("to", "")},
        "task.extension_refused": lambda: _("不批准延期（%(note)s）") % {"note": p.get('note', '')},
        "task.submitted": lambda: _("提交销号申请及佐证"),
        "task.closed": lambda: _("核验通过，已销号") + (_("（按期）") if p.get("on_time") else _("（逾期）")),
        "task.sent_back": lambda: _("核验未通过，退回继续办理（%(note)s）") % {"note": p.get('note', '')},
        "task.reopened": lambda: _("重办（理由：%(reason)s）") % {"reason": p.get('reason', '')},
        "task.warning": lambda: _("系统发出%(level)s") % {"level": LEVELS.get(p.get("level", ""), _("预警"))},
        "supervision.recorded": lambda: _("督办记录：%(text)s") % {"text": p.get('text', '')[:60]},
    }
    return texts[kind]() if kind in texts else _("更新了任务")


def task_timeline(task: Task) -> list[TimelineLine]:
    """The task's event log in plain Chinese (the actors masked, as on a demand's timeline)."""
    events = list(events_of(task).order_by("at", "seq"))
    actors = actor_labels(events, task)
    return [TimelineLine(at=e.at, when=when_text(e.at), who=actors.get(e.actor_id, _("系统")),
                         what=event_text(e.kind, e.payload or {})) for e in events]


@dataclass
class TopicProgress:
    topic: Topic
    tasks: list[Task]
    percent: int
    closed: int
    bulletins: list[Bulletin] = field(default_factory=list)
    records: list[SupervisionRecord] = field(default_factory=list)


def topic_progress(topic: Topic) -> TopicProgress:
    """The public progress of a topic: its tasks (cancelled ones left out), the mean percent (a closed task
    counts 100), bulletins newest first and supervision records by date."""
    tasks = list(_with_figures(topic.tasks.exclude(status=TaskStatus.CANCELLED)).order_by("deadline", "pk"))
    done = [100 if t.status == TaskStatus.CLOSED else t.percent for t in tasks]
    return TopicProgress(
        topic=topic, tasks=tasks, percent=round(sum(done) / len(done)) if done else 0,
        closed=sum(1 for t in tasks if t.status == TaskStatus.CLOSED),
        bulletins=list(topic.bulletins.all()),
        records=list(SupervisionRecord.objects.filter(Q(topic=topic) | Q(task__topic=topic))
                     .select_related("supervisor", "task").order_by("-happened_on", "-pk")))


def supervision_members(topic: Topic) -> QuerySet:
    return topic.supervisors.select_related("person")


def supervision_records(*, topic: Topic | None = None, task: Task | None = None) -> QuerySet[SupervisionRecord]:
    queryset = SupervisionRecord.objects.select_related("supervisor", "task", "topic").order_by("-happened_on", "-pk")
    if task is not None:
        return queryset.filter(task=task)
    return queryset.filter(Q(topic=topic) | Q(task__topic=topic))



