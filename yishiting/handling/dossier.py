"""一事一档: the dossier of one matter assembled from the event log (a pure read; `dossier_archive` stores it).

What the dossier says about people (decided here, shown in the dossier's own note):
- someone acting in an office (community staff and secretary, street and district officials, grid workers and
  leaders, handlers, administrators) is named in full with the office — the record says who answered for each
  step, as a signed paper file would;
- a resident is masked (张*); an anonymous demand never names its submitter;
- opinions, ballots and ratings are counted, never attributed (the timeline helpers already do so for opinions;
  rating and ballot events are left out and replaced by counts).

The matter is a topic (everything the loop did for it) or a direct-handling task (its demands and the task).
A bounded number of queries whatever the length: subjects are gathered first, then one query reads all events.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from yishiting.areas.choices import IN_OFFICE_ROLES
from yishiting.areas.models import Area, RoleAssignment
from yishiting.common.dates import full_moment
from yishiting.common.events import normalize_payload
from yishiting.common.masking import mask_name, official_label
from yishiting.common.models import Event
from yishiting.common.text import list_words
from yishiting.deliberation.choices import IN_OFFICE_PARTIES
from yishiting.deliberation.models import AgendaItem, Meeting, Participant, Topic, TopicAttachment, Vote
from yishiting.deliberation.timeline import _what as topic_what
from yishiting.demands.models import Demand, DemandPhoto
from yishiting.demands.timeline import ROLE_PRIORITY, _best_role, describe
from yishiting.handling.records_language import in_site_language

from .choices import Satisfaction, Stage
from .models import EvaluationRound, LegalReview, Notice, Objection, Rating, Task, TaskFile
from .selectors.tasks import event_text as task_text

CONTENT_VERSION = 1
PEOPLE_NOTE = ("署名说明：以公职身份办理的人员（社区两委、街道和区级干部、网格员、承办单位经办人）署全名；"
               "居民姓名脱敏；匿名诉求不显示提交人；居民意见、表决和满意度评价只计数，不记名。")
# Events that would say how one person voted or rated: counted in the summary instead.
UNATTRIBUTED = ("ballot.", "rating.", "party_rating.")

SUBJECT_STAGE = {
    "demands.demand": Stage.COLLECT, "deliberation.topic": Stage.DELIBERATE, "deliberation.meeting": Stage.DELIBERATE,
    "deliberation.vote": Stage.DELIBERATE, "handling.notice": Stage.PUBLICISE, "handling.objection": Stage.PUBLICISE,
    "handling.legalreview": Stage.PUBLICISE, "handling.task": Stage.HANDLE,
    "handling.evaluationround": Stage.EVALUATE, "handling.dossier": Stage.ARCHIVE,
}
KIND_STAGE = [  # first matching prefix wins
    ("demand.submitted", Stage.COLLECT), ("demand.", Stage.DECIDE), ("topic.proposed", Stage.DECIDE),
    ("topic.formed", Stage.DECIDE), ("topic.demand_added", Stage.DECIDE), ("topic.publicising", Stage.PUBLICISE),
    ("topic.handling", Stage.HANDLE), ("topic.evaluating", Stage.EVALUATE), ("topic.archived", Stage.ARCHIVE),
    ("notice.", Stage.PUBLICISE), ("objection.", Stage.PUBLICISE), ("legal_review.", Stage.PUBLICISE),
    ("task.warning", Stage.SUPERVISE), ("supervision.", Stage.SUPERVISE), ("bulletin.", Stage.SUPERVISE),
    ("warning.", Stage.SUPERVISE), ("evaluation.", Stage.EVALUATE), ("round.", Stage.EVALUATE),
    ("org.", Stage.EVALUATE),
    ("topic.reopened", Stage.EVALUATE),
]
OTHER_TEXT = {
    "meeting.planned": lambda p: f"安排会议“{p.get('title', '')}”",
    "meeting.notified": lambda p: f"发出会议通知（{p.get('count', 0)} 人）",
    "meeting.signed_in": lambda p: f"参会人 {p['name']} 签到" if p.get("name") else "一位参会人签到",
    "meeting.started": lambda p: "会议开始",
    "meeting.step": lambda p: "记录会议环节",
    "meeting.resolution": lambda p: "会议形成决议",
    "meeting.closed": lambda p: "会议结束",
    "meeting.cancelled": lambda p: f"会议取消（理由：{p.get('reason', '')}）",
    "vote.opened": lambda p: f"发起表决“{p.get('question', '')}”",
    "vote.hands_recorded": lambda p: "记录举手表决计数",
    "vote.closed": lambda p: "表决结束并计票",
    "proxy.recorded": lambda p: "登记一份表决委托",
    "supervision.member_added": lambda p: "加入监督小组成员",
    "supervision.member_removed": lambda p: "调整监督小组成员",
    "supervision.recorded": lambda p: f"记录督办：{p.get('text', '') or p.get('kind', '')}",
    "bulletin.posted": lambda p: f"发布进度通报：{p.get('text', '')}",
    "notice.drafted": lambda p: "拟写公示",
    "notice.marked_major": lambda p: f"列为重大事项（{p.get('reason', '')}）",
    "notice.published": lambda p: f"发布公示（{p.get('starts_on', '')} 至 {p.get('ends_on', '')}）",
    "notice.blocked": lambda p: f"公示期满，尚有 {p.get('unanswered', 0)} 条异议未答复",
    "notice.window_recomputed": lambda p: f"节假日安排有变，公示截止日由 {p.get('from', '')} 顺延至 {p.get('to', '')}",
    "notice.completed": lambda p: "公示期满",
    "notice.withdrawn": lambda p: "撤回公示，退回协商",
    "objection.raised": lambda p: "收到一条居民异议",
    "objection.answered": lambda p: ("答复异议（实质性异议，退回协商）：" if p.get("substantial") else "答复异议：")
    + p.get("answer", ""),
    "legal_review.requested": lambda p: "提请合法性审核",
    "legal_review.approved": lambda p: "合法性审核通过",
    "legal_review.rejected": lambda p: "合法性审核不通过",
    "evaluation.opened": lambda p: "开始群众评价",
    "evaluation.window_recomputed": lambda p: f"节假日安排有变，群众评价截止日顺延至 {p.get('to', '')}",
    "evaluation.closed": lambda p: "群众评价结束",
    "org.assessed": lambda p: f"组织考评 {p.get('score', '')} 分",
    "topic.reopened": lambda p: f"评价不满意，重新办理（理由：{p.get('reason', '')}）",
}
CONNECTOR_MEETING_KINDS = {"meeting.step", "meeting.resolution", "meeting.signed_in"}


@dataclass
class Matter:
    """Everything the dossier reads, gathered with a fixed number of queries."""

    title: str
    area: Area
    category: str
    template: Any
    topic: Topic | None = None
    task: Task | None = None
    demands: list[Demand] = field(default_factory=list)
    subjects: dict[str, set[str]] = field(default_factory=dict)
    meetings: set[str] = field(default_factory=set)

    @property
    def path(self) -> str:
        return self.area.path

    def add(self, subject_type: str, ids) -> None:
        self.subjects.setdefault(subject_type, set()).update(str(i) for i in ids)


# Records kept by apps beside the loop (吹哨·应哨 …): each adds its subjects to a matter; their events are placed
# and worded by what they register here (handling cannot import the apps above it).
RECORD_SOURCES: list[Callable[[Matter], None]] = []


def register_records(gather: Callable[[Matter], None], *, stages: dict[str, str], kinds: list[tuple[str, str]],
                     texts: dict[str, Callable[[dict], str]]) -> None:
    RECORD_SOURCES.append(gather)
    SUBJECT_STAGE.update(stages)
    KIND_STAGE.extend(kinds)
    OTHER_TEXT.update(texts)


def _gather_records(matter: Matter) -> Matter:
    for gather in RECORD_SOURCES:
        gather(matter)
    return matter


def _demands_of(q: Q) -> list[Demand]:
    """The demands turned into the matter and the ones merged into them (one query each level)."""
    related = ("category", "topic", "task__handler", "task__organization", "rejection_rule")
    direct = list(Demand.objects.filter(q).select_related(*related))
    merged = list(Demand.objects.filter(merged_into__in=direct).select_related(*related)) if direct else []
    return sorted(direct + merged, key=lambda d: d.pk)


def matter_of_topic(topic: Topic) -> Matter:
    topic = Topic.objects.select_related("level_area", "template").get(pk=topic.pk)
    demands = _demands_of(Q(topic=topic))
    tasks = list(Task.objects.filter(Q(topic=topic) | Q(pk__in=[d.task_id for d in demands if d.task_id]))
                 .values_list("pk", flat=True))
    category = Counter(d.category.name for d in demands).most_common(1)
    matter = Matter(title=topic.title, area=topic.level_area, category=category[0][0] if category else "",
                    template=topic.template, topic=topic, demands=demands)
    matter.add("deliberation.topic", [topic.pk])
    matter.add("demands.demand", [d.pk for d in demands])
    matter.meetings = {str(m) for m in AgendaItem.objects.filter(topic=topic).values_list("meeting_id", flat=True)}
    matter.add("deliberation.vote", Vote.objects.filter(topic=topic).values_list("pk", flat=True))
    matter.add("handling.notice", Notice.objects.filter(topic=topic).values_list("pk", flat=True))
    matter.add("handling.objection", Objection.objects.filter(notice__topic=topic).values_list("pk", flat=True))
    matter.add("handling.legalreview", LegalReview.objects.filter(topic=topic).values_list("pk", flat=True))
    matter.add("handling.task", tasks)
    matter.add("handling.evaluationround", EvaluationRound.objects.filter(topic=topic).values_list("pk", flat=True))
    return _gather_records(matter)


def matter_of_task(task: Task) -> Matter:
    task = Task.objects.select_related("area").get(pk=task.pk)
    demands = _demands_of(Q(task=task))
    category = demands[0].category.name if demands else ""
    matter = Matter(title=task.title, area=task.area, category=category, template=None, task=task, demands=demands)
    matter.add("handling.task", [task.pk])
    matter.add("demands.demand", [d.pk for d in demands])
    return _gather_records(matter)


def _events(matter: Matter) -> list[Event]:
    q = Q(pk__in=[])
    for subject_type, ids in matter.subjects.items():
        q |= Q(subject_type=subject_type, subject_id__in=sorted(ids))
    if matter.meetings:
        q |= Q(subject_type="deliberation.meeting", subject_id__in=sorted(matter.meetings))
    events = Event.objects.filter(q).exclude(kind__startswith="ballot.").order_by("at", "pk")
    topic_id = matter.topic.pk if matter.topic else None
    # A meeting may take several topics: keep its steps about this topic and those of the whole meeting.
    return [e for e in events if not (e.subject_type == "deliberation.meeting" and e.kind in CONNECTOR_MEETING_KINDS
                                      and (e.payload or {}).get("topic") not in (None, topic_id))
            and not e.kind.startswith(UNATTRIBUTED)]


def _actor_labels(events: list[Event], matter: Matter) -> dict[int, str]:
    """user id → "社区书记 王芳" (in office: full name) or "居民 张*" (one query)."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    roles: dict[int, list[RoleAssignment]] = {}
    names: dict[int, str] = {}
    for assignment in RoleAssignment.objects.filter(person__user_id__in=user_ids).select_related("person"):
        roles.setdefault(assignment.person.user_id, []).append(assignment)
        names[assignment.person.user_id] = assignment.person.name
    labels = {}
    for user_id in user_ids:
        role = _best_role(roles.get(user_id, []), matter)
        name = names.get(user_id, "")
        shown = name if role and role.role in IN_OFFICE_ROLES else mask_name(name)
        labels[user_id] = f"{role.get_role_display()} {shown}".strip() if role else (shown or "工作人员")
    return labels


def _stage_of(event: Event) -> str:
    for prefix, stage in KIND_STAGE:
        if event.kind.startswith(prefix):
            return stage
    return SUBJECT_STAGE.get(event.subject_type, Stage.DELIBERATE)


def _line(event: Event, who: str, demands: dict[str, Demand]) -> tuple[str, str]:
    p = event.payload or {}
    if event.subject_type == "demands.demand" and event.subject_id in demands:
        demand = demands[event.subject_id]
        who, what = describe(event, demand, who, {})
        return who, f"诉求 {demand.number}：{what}"
    if event.kind in OTHER_TEXT:
        return who, OTHER_TEXT[event.kind](p)
    if event.subject_type == "deliberation.topic":
        return ("" if event.kind.startswith("opinion.") else who), topic_what(event.kind, p)
    if event.kind.startswith("task."):
        return who, task_text(event.kind, p)
    return who, p.get("text") or p.get("title") or "更新了记录"


def _stage_heading(template, stage: Stage) -> str:
    """"议 · 征求意见、协商议事": the template's local step names for the stage, else what the stage does. 集 is
    about collecting demands: a local step the template also lists under 定 ("确定议题", "提议") is about choosing
    the topic and heads 定 only, so 集 reads "收集诉求"."""
    names = getattr(template, "stage_names", None) or {}
    chosen = set(names.get(Stage.DECIDE.value) or []) if stage == Stage.COLLECT else set()
    local = [name for name in names.get(stage.value) or []
             if name != stage.label and name not in chosen]  # a template naming 办 "办" adds nothing
    return f"{stage.label} · {list_words(local)}" if local else f"{stage.label} · {STAGE_WORDS[stage]}"


STAGE_WORDS = {Stage.COLLECT: "收集诉求", Stage.DECIDE: "确定议题", Stage.DELIBERATE: "协商议事",
               Stage.PUBLICISE: "结果公示", Stage.HANDLE: "落实办理", Stage.SUPERVISE: "跟踪督办",
               Stage.EVALUATE: "评价反馈", Stage.ARCHIVE: "归档备案"}


def _attachments(matter: Matter) -> list[dict[str, Any]]:
    rows = []
    for photo in DemandPhoto.objects.filter(demand__in=matter.demands).select_related("demand"):
        rows.append({"source": f"诉求 {photo.demand.number}", "name": photo.image.name.rsplit("/", 1)[-1],
                     "size": photo.size, "sha256": photo.sha256})
    if matter.topic:
        for att in TopicAttachment.objects.filter(topic=matter.topic):
            rows.append({"source": "议题附件", "name": att.name, "size": att.size, "sha256": att.sha256})
    task_ids = matter.subjects.get("handling.task", set())
    for file in TaskFile.objects.filter(task_id__in=task_ids).select_related("task"):
        rows.append({"source": f"任务“{file.task.title}”{file.get_kind_display()}", "name": file.name,
                     "size": file.size, "sha256": file.sha256})
    return rows


def _ratings(matter: Matter) -> dict[str, int]:
    """Residents' ratings counted by value (never who rated what)."""
    if matter.topic:
        ratings = Rating.objects.filter(round__topic=matter.topic)
    else:
        ratings = Rating.objects.filter(task=matter.task)
    counts = Counter(ratings.values_list("value", flat=True))
    return {str(label): counts.get(value, 0) for value, label in Satisfaction.choices}


def _resolutions(matter: Matter) -> list[dict[str, str]]:
    if matter.topic is None:
        return []
    return [{"text": r.text, "next_step": r.get_next_step_display(), "when": full_moment(r.created_at)}
            for r in matter.topic.resolutions.order_by("created_at", "pk")]


def _meetings_summary(matter: Matter) -> list[dict[str, str]]:
    meetings = Meeting.objects.filter(pk__in=matter.meetings).order_by("starts_at")
    return [{"title": m.title, "form": m.get_form_display(), "when": full_moment(m.starts_at)} for m in meetings]


@in_site_language
def dossier_assemble(*, topic: Topic | None = None, task: Task | None = None) -> dict[str, Any]:
    """The dossier content of a topic or of a direct-handling task: JSON-ready, every event in time order
    under the eight stage headings, attachments with SHA-256, counts for what is secret."""
    if (topic is None) == (task is None):
        raise ValueError("dossier_assemble: give exactly one of topic, task")
    matter = matter_of_topic(topic) if topic is not None else matter_of_task(task)
    events = _events(matter)
    _name_participants(events)
    actors = _actor_labels(events, matter)
    demands = {str(d.pk): d for d in matter.demands}
    stages: dict[str, list[dict[str, str]]] = {s.value: [] for s in Stage}
    for event in events:
        who, what = _line(event, actors.get(event.actor_id, "系统"), demands)
        stages[_stage_of(event)].append({"at": event.at.isoformat(), "when": _when(event), "who": who,
                                         "what": what, "kind": event.kind})
    return {
        "version": CONTENT_VERSION, "kind": "topic" if topic is not None else "task", "title": matter.title,
        "area": {"code": matter.area.code, "name": matter.area.name}, "category": matter.category,
        "template": getattr(matter.template, "name", ""), "people_note": PEOPLE_NOTE,
        "demands": [{"number": d.number, "category": d.category.name, "text": d.text} for d in matter.demands],
        "resolutions": _resolutions(matter),
        "meetings": _meetings_summary(matter) if matter.topic else [],
        "stages": [{"code": s.value, "heading": _stage_heading(matter.template, s), "entries": stages[s.value]}
                   for s in Stage],
        "attachments": _attachments(matter), "ratings": _ratings(matter), "event_count": len(events),
        "subjects": {k: sorted(v, key=int) for k, v in matter.subjects.items()},
    }


def _name_participants(events: list[Event]) -> None:
    """Put each signed-in participant's name (as the dossier may print it) into the event's payload copy."""
    ids = {(e.payload or {}).get("participant") for e in events if e.kind == "meeting.signed_in"} - {None}
    people = {p.pk: p for p in Participant.objects.filter(pk__in=ids).select_related("person")} if ids else {}
    for event in events:
        participant = people.get((event.payload or {}).get("participant"))
        if event.kind == "meeting.signed_in" and participant is not None:
            name = participant.person.name
            shown = official_label(participant.get_party_display(), name) if participant.party in IN_OFFICE_PARTIES \
                else mask_name(name)
            event.payload = {**(event.payload or {}), "name": shown}


def _when(event: Event) -> str:
    return full_moment(event.at)  # a dossier is read years later: the year always written


def archivist_label(user) -> str:
    """Who archived, as the dossier prints it: the office and the full name (an archivist acts in office)."""
    assignments = list(RoleAssignment.objects.filter(person__user=user, is_active=True).select_related("person"))
    role = next((a for r in ROLE_PRIORITY for a in assignments if a.role == r), None)
    name = assignments[0].person.name if assignments else user.get_username()
    return f"{role.get_role_display()} {name}" if role else name


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces): what the database gives back hashes the same."""
    body = json.dumps(normalize_payload(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
