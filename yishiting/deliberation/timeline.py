"""A topic's timeline in plain words (the reader's language), one sentence per event (when, who — role and masked name — and what).
Opinions are counted, never attributed: the timeline says that an opinion was given, not by whom."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.common.events import events_of
from yishiting.demands.timeline import TimelineLine, actor_labels, when_text

from .choices import MeetingForm, NextStep, Stance, TopicStatus
from .models import Topic

# What the later stages (公办督评备) record on the topic itself; their own pages hold the details.
LOOP = {
    "supervision.member_added": gettext_lazy("监督小组增加一名成员"),
    "supervision.member_removed": gettext_lazy("监督小组减少一名成员"),
    "supervision.recorded": gettext_lazy("记录一次督办"),
    "bulletin.posted": gettext_lazy("发布进度通报"),
    "notice.marked_major": gettext_lazy("列为重大事项，须经合法性审核"),
    "objection.raised": gettext_lazy("公示期间收到一条异议"),
    "party_rating.given": gettext_lazy("收到一份五方互评"),
    "org.assessed": gettext_lazy("组织考评已完成"),
    "topic.cluster_raised": gettext_lazy("立为类案（举一反三）：各社区的同类诉求一并协商办理"),
}
LOOP_PREFIXES = {"notice.": gettext_lazy("公示有新进展"), "objection.": gettext_lazy("答复了一条异议"),
                 "legal_review.": gettext_lazy("合法性审核有新进展"), "task.": gettext_lazy("办理任务有新进展"),
                 "rating.": gettext_lazy("收到一条群众评价"), "evaluation.": gettext_lazy("评价有新进展"),
                 "dossier.": gettext_lazy("一事一档归档")}


def _label(choices, value: str) -> str:
    return str(dict(choices).get(value, ""))


def _simple(kind: str, p: dict) -> str | None:
    if kind == "topic.proposed":
        return _("提出议题“%(title)s”") % {"title": p.get("title", "")} + (_("（书面提议已签名）") if p.get("signed") else "")
    if kind == "topic.formed":
        return _("由诉求形成议题“%(title)s”") % {"title": p.get("title", "")}
    if kind == "topic.demand_added":
        return _("将诉求 %(demand)s 并入本议题") % {"demand": p.get("demand", "")}
    if kind == "topic.analysed":
        return _("记录分析研判意见和初步方案")
    if kind == "topic.attached":
        return _("上传附件“%(name)s”") % {"name": p.get("name", "")}
    if kind == "opinion.given":
        text = (_("收到一条居民意见（%(stance)s，入户征求）") if p.get("channel") == "door"
                else _("收到一条居民意见（%(stance)s，网上）"))
        return text % {"stance": _label(Stance.choices, p.get("stance", ""))}
    if kind == "opinion.changed":
        return _("一位居民修改了意见（%(stance)s）") % {"stance": _label(Stance.choices, p.get("stance", ""))}
    if kind == "topic.scheduled_in":
        return _("列入会议%(meeting)s议程（%(form)s）") % {"meeting": _quoted(p.get("meeting", "")),
                                                     "form": _label(MeetingForm.choices, p.get("form", ""))}
    if kind == "topic.template_changed":  # an admin's change, with the reason (issue 20)
        return _("系统管理员将议事规则模板改为“%(name)s”（理由：%(reason)s）") % {"name": p.get("name", ""),
                                                                   "reason": p.get("reason", "")}
    if kind == "consultation.recorded":
        return _("记录一户的走访征求意见")
    if kind == "topic.resolution":
        return _("形成协商决议：%(next_step)s") % {"next_step": _label(NextStep.choices, p.get("next_step", ""))}
    return None


def _what(kind: str, p: dict) -> str:
    simple = _simple(kind, p)
    if simple is not None:
        return simple
    if kind in LOOP:
        return str(LOOP[kind])
    for prefix, text in LOOP_PREFIXES.items():
        if kind.startswith(prefix):
            return str(text)
    if kind.startswith("topic.") and "to" in p:
        reason = _("（理由：%(reason)s）") % {"reason": p["reason"]} if p.get("reason") else ""
        return _("议题状态由“%(from)s”变为“%(to)s”") % {
            "from": _label(TopicStatus.choices, p.get("from", "")), "to": _label(TopicStatus.choices, p["to"])} + reason
    return _("更新了议题")


def topic_timeline_lines(topic: Topic) -> list[TimelineLine]:
    events = list(events_of(topic).order_by("at", "seq"))
    actors = actor_labels(events, topic)
    return [TimelineLine(at=e.at, when=when_text(e.at),
                         who="" if e.kind.startswith("opinion.") else actors.get(e.actor_id, _("系统")),
                         what=_what(e.kind, e.payload or {})) for e in events]


def _quoted(name: object) -> str:
    """“name”, unless the name already carries its own quotes (a meeting named after its topic: “…”协商会)."""
    text = str(name)
    return text if text.startswith("“") else f"“{text}”"
