"""A topic's timeline in plain Chinese, one sentence per event (when, who — role and masked name — and what).
Opinions are counted, never attributed: the timeline says that an opinion was given, not by whom."""

from __future__ import annotations

from yishiting.common.events import events_of
from yishiting.demands.timeline import TimelineLine, actor_labels, when_text

from .choices import MeetingForm, NextStep, Stance, TopicStatus
from .models import Topic

STATUS = dict(TopicStatus.choices)
STANCE = dict(Stance.choices)


# What the later stages (公办督评备) record on the topic itself; their own pages hold the details.
LOOP = {
    "supervision.member_added": "监督小组增加一名成员",
    "supervision.member_removed": "监督小组减少一名成员",
    "supervision.recorded": "记录一次督办",
    "bulletin.posted": "发布进度通报",
    "notice.marked_major": "列为重大事项，须经合法性审核",
    "objection.raised": "公示期间收到一条异议",
    "party_rating.given": "收到一份五方互评",
    "org.assessed": "组织考评已完成",
}
LOOP_PREFIXES = {"notice.": "公示有新进展", "objection.": "答复了一条异议", "legal_review.": "合法性审核有新进展",
                 "task.": "办理任务有新进展", "rating.": "收到一条群众评价", "evaluation.": "评价有新进展",
                 "dossier.": "一事一档归档"}


def _what(kind: str, p: dict) -> str:
    simple = {
        "topic.proposed": f"提出议题“{p.get('title', '')}”" + ("（书面提议已签名）" if p.get("signed") else ""),
        "topic.formed": f"由诉求形成议题“{p.get('title', '')}”",
        "topic.demand_added": f"将诉求 {p.get('demand', '')} 并入本议题",
        "topic.analysed": "记录分析研判意见和初步方案",
        "topic.attached": f"上传附件“{p.get('name', '')}”",
        "opinion.given": f"收到一条居民意见（{STANCE.get(p.get('stance', ''), '')}，"
                         f"{'入户征求' if p.get('channel') == 'door' else '网上'}）",
        "opinion.changed": f"一位居民修改了意见（{STANCE.get(p.get('stance', ''), '')}）",
        "topic.scheduled_in": f"列入会议{_quoted(p.get('meeting', ''))}议程（{dict(MeetingForm.choices).get(p.get('form', ''), '')}）",
        "topic.resolution": f"形成协商决议：{dict(NextStep.choices).get(p.get('next_step', ''), '')}",
    }
    if kind in simple:
        return simple[kind]
    if kind in LOOP:
        return LOOP[kind]
    for prefix, text in LOOP_PREFIXES.items():
        if kind.startswith(prefix):
            return text
    if kind.startswith("topic.") and "to" in p:
        reason = f"（理由：{p['reason']}）" if p.get("reason") else ""
        return f"议题状态由“{STATUS.get(p.get('from', ''), '')}”变为“{STATUS.get(p['to'], '')}”{reason}"
    return "更新了议题"


def topic_timeline_lines(topic: Topic) -> list[TimelineLine]:
    events = list(events_of(topic).order_by("at", "seq"))
    actors = actor_labels(events, topic)
    return [TimelineLine(at=e.at, when=when_text(e.at),
                         who="" if e.kind.startswith("opinion.") else actors.get(e.actor_id, "系统"),
                         what=_what(e.kind, e.payload or {})) for e in events]


def _quoted(name: object) -> str:
    """“name”, unless the name already carries its own quotes (a meeting named after its topic: “…”协商会)."""
    text = str(name)
    return text if text.startswith("“") else f"“{text}”"
