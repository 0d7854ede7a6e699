"""A resident's matter followed to its end: their demand through screening, then a topic (opinions → meeting →
resolution → public notice → tasks and progress → done → evaluation → archive), a direct-handling task (签收 →
progress → 销号 → rating → archive), a mediation, an escalation or a merge into another demand.

One read serves both 我的诉求 (`matter_stages`: a label per demand, a fixed number of queries for a whole page)
and the demand page (`matter_path`: every step with its date and a link). A link is offered only when the reader
may open it: each is tested with the selector its page answers 404 by (topics_visible_to, public_notice,
rounds_visible_to / rateable_tasks, dossiers_visible_to, meetings_visible_to)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.selectors import person_for_user
from yishiting.common.dates import page_day
from yishiting.common.models import Event
from yishiting.common.text import list_clauses
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Meeting, Topic
from yishiting.deliberation.selectors.meetings import meetings_visible_to
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.timeline import _what as topic_event_text
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.models import Demand
from yishiting.demands.timeline import TimelineLine, actor_labels, timeline_lines, when_text

from ..choices import FileKind, RoundStatus, TaskStatus
from ..models import Dossier, EvaluationRound, Notice, Rating, Task, TaskFile
from .archive import dossiers_visible_to
from .evaluation import rounds_visible_to
from .notices import PUBLIC
from .tasks import event_text as task_event_text

TOPIC_ORDER = [TopicStatus.OPEN, TopicStatus.ANALYSING, TopicStatus.SCHEDULED, TopicStatus.DELIBERATING,
               TopicStatus.RESOLVED, TopicStatus.PUBLICISING, TopicStatus.HANDLING, TopicStatus.EVALUATING,
               TopicStatus.ARCHIVED]
TASK_LABELS = {TaskStatus.ASSIGNED: gettext_lazy("已交办，待签收"), TaskStatus.IN_PROGRESS: gettext_lazy("办理中"),
               TaskStatus.RETURNED: gettext_lazy("重新交办中"), TaskStatus.VERIFYING: gettext_lazy("待核验销号"), TaskStatus.CLOSED: gettext_lazy("已办结"),
               TaskStatus.CANCELLED: gettext_lazy("已撤销")}
# What of a topic's and a task's own logs the resident's timeline shows (the milestones, not every detail).
TOPIC_KINDS = {"topic.scheduled_in", "topic.resolution", "topic.deliberating", "topic.publicising",
               "topic.handling", "topic.evaluating", "topic.archived", "topic.dropped", "topic.closed",
               "bulletin.posted"}
TASK_KINDS = {"task.assigned", "task.accepted", "task.reported", "task.extended", "task.submitted", "task.closed",
              "task.reopened", "task.reassigned", "task.deadline_recomputed"}


@dataclass(frozen=True)
class MatterStage:
    """Where a demand's matter stands, as a list shows it: `key` (e.g. topic.archived, task.closed) and a label."""

    key: str
    label: str
    finished: bool = False


@dataclass
class Step:
    label: str
    state: str  # done | current | todo
    when: datetime | date | None = None
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url), only pages the reader may open


# ---- the list: one label per demand ----

def _topic_stage(topic: Topic) -> MatterStage:
    finished = topic.status in {TopicStatus.ARCHIVED, TopicStatus.DROPPED, TopicStatus.CLOSED}
    return MatterStage(f"topic.{topic.status}", _("议题%(status)s") % {"status": topic.get_status_display()}, finished)


def _task_stage(task: Task, archived: bool) -> MatterStage:
    if archived:
        return MatterStage("task.archived", _("已办结归档"), True)
    return MatterStage(f"task.{task.status}", TASK_LABELS.get(task.status, task.get_status_display()),
                       task.status in {TaskStatus.CLOSED, TaskStatus.CANCELLED})


def _stage(demand: Demand, archived_tasks: set[int]) -> MatterStage:
    if demand.status == DemandStatus.MERGED and demand.merged_into_id:
        primary = _stage(demand.merged_into, archived_tasks) if demand.merged_into.status != DemandStatus.MERGED \
            else MatterStage("merged", _("已合并"))
        return MatterStage(primary.key, _("已合并 · %(label)s") % {"label": primary.label}, primary.finished)
    if demand.topic_id and demand.status == DemandStatus.TOPIC:
        return _topic_stage(demand.topic)
    if demand.task_id and demand.status == DemandStatus.HANDLING:
        return _task_stage(demand.task, demand.task_id in archived_tasks)
    if demand.mediation_id and demand.status == DemandStatus.MEDIATION:
        case = demand.mediation
        closed = case.status in {case.Status.CLOSED, case.Status.ARCHIVED}
        label = _("调解已结案") if closed else (_("待受理调解") if case.status == case.Status.OPEN else _("调解中"))
        return MatterStage(f"mediation.{case.status}", label, closed)
    return MatterStage(demand.status, demand.get_status_display(), demand.status == DemandStatus.REJECTED)


def with_matter(queryset):
    """The demands with what their stage is read from, joined (one query for a page of them)."""
    return queryset.select_related("topic", "task", "mediation", "merged_into", "merged_into__topic",
                                   "merged_into__task", "merged_into__mediation")


def matter_stages(demands: list[Demand]) -> dict[int, MatterStage]:
    """Each demand's stage (demands read through `with_matter`); one more query for archived direct tasks."""
    task_ids = {d.task_id for d in demands if d.task_id} | {
        d.merged_into.task_id for d in demands if d.merged_into_id and d.merged_into.task_id}
    archived = set(Dossier.objects.filter(task_id__in=task_ids).values_list("task_id", flat=True)) \
        if task_ids else set()
    return {d.pk: _stage(d, archived) for d in demands}


# ---- the page: every step with a link ----

def _state(reached: bool, current: bool) -> str:
    return "current" if current else "done" if reached else "todo"


def _topic_link(user, topic: Topic) -> list[tuple[str, str]]:
    if topics_visible_to(user).filter(pk=topic.pk).exists():
        return [(_("查看议题"), reverse("web:topic_detail", args=[topic.pk]))]
    return []


def _dossier_link(user, dossier: Dossier | None) -> list[tuple[str, str]]:
    if dossier is not None and dossiers_visible_to(user).filter(pk=dossier.pk).exists():
        return [(_("一事一档 %(number)s") % {"number": dossier.number}, reverse("web:dossier_page", args=[dossier.pk]))]
    return []


def _topic_steps(user, topic: Topic) -> list[Step]:
    if topic.status in {TopicStatus.DROPPED, TopicStatus.CLOSED}:
        said = _("经研究，该议题不再推进") if topic.status == TopicStatus.DROPPED else _("该议题已结束")
        return [Step(_("议题%(status)s") % {"status": topic.get_status_display()}, "done", None, said, _topic_link(user, topic))]
    reached = TOPIC_ORDER.index(topic.status) if topic.status in TOPIC_ORDER else -1
    at = lambda status: reached >= TOPIC_ORDER.index(status)  # noqa: E731
    opinions = topic.opinions.count()
    meetings = list(Meeting.objects.filter(agenda__topic=topic).distinct().order_by("starts_at"))
    visible_meetings = set(meetings_visible_to(user).filter(pk__in=[m.pk for m in meetings])
                           .values_list("pk", flat=True))
    resolution = topic.resolutions.order_by("-pk").first()
    notice = Notice.objects.filter(topic=topic, status__in=PUBLIC).order_by("-pk").first()
    tasks = list(topic.tasks.exclude(status=TaskStatus.CANCELLED).select_related("organization")
                 .order_by("deadline", "pk"))
    round_ = EvaluationRound.objects.filter(topic=topic).order_by("-pk").first()
    dossier = Dossier.objects.filter(topic=topic).first()
    steps = [
        Step(_("征求意见"), _state(at(TopicStatus.SCHEDULED), topic.status in {TopicStatus.OPEN, TopicStatus.ANALYSING}),
             topic.created_at, _("已收到居民意见 %(opinions)s 条") % {"opinions": opinions}, _topic_link(user, topic)),
        Step(_("协商会议"), _state(at(TopicStatus.RESOLVED), topic.status in {TopicStatus.SCHEDULED,
                                                                           TopicStatus.DELIBERATING}),
             meetings[-1].starts_at if meetings else None,
             list_clauses(_("%(title)s（%(form)s，%(status)s）") % {"title": m.title, "form": m.get_form_display(),
                                                                     "status": m.get_status_display()} for m in meetings),
             [(m.title, reverse("web:meeting_detail", args=[m.pk])) for m in meetings if m.pk in visible_meetings]),
        Step(_("形成决议"), _state(resolution is not None, False), resolution.created_at if resolution else None,
             resolution.text[:200] if resolution else ""),
        Step(_("结果公示"), _state(at(TopicStatus.HANDLING), topic.status == TopicStatus.PUBLICISING),
             notice.starts_on if notice else None,
             _notice_text(notice), [(_("查看公示"), reverse("web:notice_public", args=[notice.pk]))] if notice else []),
        Step(_("落实办理"), _state(at(TopicStatus.EVALUATING), topic.status == TopicStatus.HANDLING),
             None, list_clauses(_task_text(t) for t in tasks), _progress_link(user, topic, tasks)),
        Step(_("办结"), _state(at(TopicStatus.EVALUATING), False),
             max((t.closed_at for t in tasks if t.closed_at), default=None),
             _("%(n)s 项任务已销号") % {"n": sum(t.status == TaskStatus.CLOSED for t in tasks)} if tasks else ""),
        Step(_("群众评价"), _state(at(TopicStatus.ARCHIVED), topic.status == TopicStatus.EVALUATING),
             round_.opened_at if round_ else None, _round_text(round_), _round_link(user, round_)),
        Step(_("归档"), _state(topic.status == TopicStatus.ARCHIVED, False),
             dossier.archived_at if dossier else None, _("一事一档已封存") if dossier else "",
             _dossier_link(user, dossier)),
    ]
    return steps


def _notice_text(notice: Notice | None) -> str:
    if notice is None:
        return ""
    period = _("%(starts_on)s 至 %(ends_on)s") % {"starts_on": page_day(notice.starts_on), "ends_on": page_day(notice.ends_on)} if notice.starts_on and notice.ends_on else ""
    text = _("%(title)s：%(status)s") % {"title": notice.title, "status": notice.get_status_display()}
    return text + (_("（%(text)s）") % {"text": period} if period else "")


def _task_text(task: Task) -> str:
    org = _("%(org)s：") % {"org": task.organization.name} if task.organization_id else ""
    done = 100 if task.status == TaskStatus.CLOSED else task.percent
    return _("%(org)s%(title)s（%(status)s，进度 %(done)s%%，期限 %(deadline)s）") % {"org": org, "title": task.title, "status": TASK_LABELS.get(task.status, ''), "done": done, "deadline": page_day(task.deadline)}


def _progress_link(user, topic: Topic, tasks: list[Task]) -> list[tuple[str, str]]:
    if tasks and topics_visible_to(user).filter(pk=topic.pk).exists():
        return [(_("办理进度"), reverse("web:topic_progress", args=[topic.pk]))]
    return []


def _round_text(round_: EvaluationRound | None) -> str:
    if round_ is None:
        return ""
    if round_.status == RoundStatus.CLOSED:
        sat = (round_.result or {}).get("satisfaction") or ""
        rate = sat.get("percent") or "" if isinstance(sat, dict) else str(sat)
        return _("评价已结束，满意率 %(rate)s") % {"rate": rate} if rate else _("评价已结束")
    return _("评价进行中，%(closes_on)s截止") % {"closes_on": page_day(round_.closes_on)}


def _round_link(user, round_: EvaluationRound | None) -> list[tuple[str, str]]:
    if round_ is not None and rounds_visible_to(user).filter(pk=round_.pk).exists():
        label = _("去评价") if round_.status == RoundStatus.OPEN else _("评价结果")
        return [(label, reverse("web:evaluation_rate", args=[round_.pk]))]
    return []


def _task_steps(user, task: Task) -> list[Step]:
    person = person_for_user(user)
    dossier = Dossier.objects.filter(task=task).first()
    last = task.reports.order_by("-pk").first()
    rated = person is not None and Rating.objects.filter(task=task, person=person).exists()
    rate_link = [(_("评价") if not rated else _("我的评价"), reverse("web:evaluation_task_rate", args=[task.pk]))] \
        if person is not None and task.status == TaskStatus.CLOSED and task.demands.filter(reporter=person).exists() \
        else []
    closed = task.status == TaskStatus.CLOSED
    org = f"{task.organization.name} " if task.organization_id else ""
    return [
        Step(_("签收"), _state(task.accepted_at is not None, task.status == TaskStatus.ASSIGNED), task.accepted_at,
             _("%(org)s已签收") % {"org": org} if task.accepted_at else _("已交由%(org)s办理，%(deadline)s前办结") % {"org": org, "deadline": page_day(task.deadline)}),
        Step(_("办理进展"), _state(closed or task.status == TaskStatus.VERIFYING, task.status == TaskStatus.IN_PROGRESS),
             last.created_at if last else None,
             _("进度 %(value)s%%") % {"value": 100 if closed else task.percent}
             + (_("：%(text)s") % {"text": last.text[:120]} if last else "")),
        Step(_("办结"), _state(closed, task.status == TaskStatus.VERIFYING), task.closed_at,
             _("已核验销号") if closed else (_("已提交销号，等候核验") if task.status == TaskStatus.VERIFYING else "")),
        Step(_("评价"), _state(rated or dossier is not None, closed and not rated and dossier is None), None,
             _("您已评价") if rated else "", rate_link),
        Step(_("归档"), _state(dossier is not None, False), dossier.archived_at if dossier else None,
             _("一事一档已封存") if dossier else "", _dossier_link(user, dossier)),
    ]


def matter_path(user, demand: Demand) -> list[Step]:
    """The steps after screening of the demand's matter (of its primary, when merged), each with what the
    reader may open. Empty while pending or when the matter ends at screening (rejected)."""
    if demand.status == DemandStatus.MERGED and demand.merged_into_id:
        demand = demand.merged_into
    if demand.status == DemandStatus.TOPIC and demand.topic_id:
        return _topic_steps(user, demand.topic)
    if demand.status == DemandStatus.HANDLING and demand.task_id:
        return _task_steps(user, demand.task)
    if demand.status == DemandStatus.MEDIATION and demand.mediation_id:
        # mediation imports handling (its dossier, its ratings): read it here, not at import time
        from yishiting.mediation.page_selectors import case_steps

        return [Step(s.label, s.state, s.when, s.text, s.links) for s in case_steps(user, demand.mediation)]
    return []


# ---- the timeline: the demand's events, then its matter's milestones ----

OTHER_TEXTS = {
    "notice.published": lambda p: _("发布公示“%(title)s”") % {"title": p.get('title', '')},
    "notice.window_recomputed": lambda p: _("节假日安排有变，公示截止日顺延至 %(to)s") % {"to": p.get("to", "")},
    "notice.completed": lambda p: _("公示期满"),
    "notice.withdrawn": lambda p: _("撤回公示，退回协商"),
    "evaluation.opened": lambda p: _("开始群众评价"),
    "evaluation.window_recomputed": lambda p: _("节假日安排有变，群众评价截止日顺延至 %(to)s") % {"to": p.get("to", "")},
    "evaluation.closed": lambda p: _("群众评价结束"),
    "dossier.archived": lambda p: _("一事一档归档"),
}


def _subjects(primary: Demand) -> Q:
    """The records of the matter whose events the resident's timeline shows (published notices only)."""
    def of(model, ids) -> Q:
        return Q(subject_type=model._meta.label_lower, subject_id__in=[str(pk) for pk in ids])

    if primary.topic_id:
        topic = primary.topic_id
        return (of(Topic, [topic]) & Q(kind__in=TOPIC_KINDS)
                | of(Task, Task.objects.filter(topic_id=topic).values_list("pk", flat=True)) & Q(kind__in=TASK_KINDS)
                | of(Notice, Notice.objects.filter(topic_id=topic, status__in=PUBLIC).values_list("pk", flat=True))
                | of(EvaluationRound, EvaluationRound.objects.filter(topic_id=topic).values_list("pk", flat=True))
                | of(Dossier, Dossier.objects.filter(topic_id=topic).values_list("pk", flat=True)))
    if primary.task_id:
        return (of(Task, [primary.task_id]) & Q(kind__in=TASK_KINDS)
                | of(Dossier, Dossier.objects.filter(task_id=primary.task_id).values_list("pk", flat=True)))
    return Q(pk__in=[])


def _text(event: Event) -> str:
    p = event.payload or {}
    if event.kind in OTHER_TEXTS:
        return OTHER_TEXTS[event.kind](p)
    if event.subject_type == Task._meta.label_lower:
        return _("办理任务：") + task_event_text(event.kind, p)
    return topic_event_text(event.kind, p)


def matter_timeline(demand: Demand, *, caller=None) -> list[TimelineLine]:
    """The demand's timeline (timeline_lines) with the milestones of its matter — the topic's steps, the
    public notice, the tasks (签收, progress, 销号), the evaluation and the archive — oldest first."""
    lines = timeline_lines(demand, caller=caller)
    primary = demand.merged_into if demand.status == DemandStatus.MERGED and demand.merged_into_id else demand
    if not (primary.topic_id or primary.task_id):
        return lines
    events = list(Event.objects.filter(_subjects(primary)).exclude(kind="topic.formed").order_by("at", "seq"))
    actors = actor_labels(events, primary)
    lines += [TimelineLine(at=e.at, when=when_text(e.at), who=actors.get(e.actor_id, "") if e.actor_id else "",
                           what=_text(e)) for e in events]
    return sorted(lines, key=lambda line: line.at)


# ---- the 责任清单: who answers for each matter, by when, and where it stands ----

def matter_duties(demands: list[Demand]) -> list[Demand]:
    """Attach to each demand (read through `with_matter`) its `stage`, the tasks carrying it out (`duty_tasks`,
    a topic's or its own, cancelled left out) and their latest deadline (`duty_deadline`): two queries."""
    stages = matter_stages(demands)
    topic_ids = {d.topic_id for d in demands if d.status == DemandStatus.TOPIC and d.topic_id}
    by_topic: dict[int, list[Task]] = {}
    for task in (Task.objects.filter(topic_id__in=topic_ids).exclude(status=TaskStatus.CANCELLED)
                 .select_related("handler", "organization").order_by("deadline", "pk") if topic_ids else []):
        by_topic.setdefault(task.topic_id, []).append(task)
    for d in demands:
        d.stage = stages[d.pk]
        if d.status == DemandStatus.HANDLING and d.task_id:
            d.duty_tasks = [d.task]
        else:
            d.duty_tasks = by_topic.get(d.topic_id, []) if d.status == DemandStatus.TOPIC else []
        d.duty_deadline = max((t.deadline for t in d.duty_tasks), default=None)
    return demands


# ---- what was done: shown beside the rating form ----

@dataclass
class DoneTask:
    task: Task
    evidence: str
    closed_at: datetime | None
    photos: list = field(default_factory=list)  # TaskFile rows that are images, evidence first


def what_was_done(*, topic: Topic | None = None, task: Task | None = None) -> dict:
    """The result a resident rates: the resolution (for a topic), and each task's closing report (销号佐证)
    with its photos (evidence, else progress photos). A few queries whatever the number of tasks."""
    tasks = [task] if task is not None else list(
        topic.tasks.filter(status=TaskStatus.CLOSED).select_related("organization").order_by("closed_at", "pk"))
    resolution = topic.resolutions.order_by("-pk").first() if topic is not None else None
    files: dict[int, list] = {}
    for f in (TaskFile.objects.filter(task__in=tasks, content_type__startswith="image/")
              .order_by("pk") if tasks else []):
        files.setdefault(f.task_id, []).append(f)
    done = []
    for t in tasks:
        photos = files.get(t.pk, [])
        evidence = [f for f in photos if f.kind == FileKind.EVIDENCE]
        done.append(DoneTask(t, t.evidence, t.closed_at, (evidence or photos)[-6:]))
    return {"resolution": resolution, "tasks": done}
