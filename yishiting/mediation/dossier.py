"""The 一事一档 content of a mediation case: the public record of a confidential matter (art. 15).

It says that a dispute of a given type was mediated, at which tiers, how often, how it ended and when — never
who the parties are, what they said or what they agreed (those stay in the case file, seen only by the parties,
the mediators and the supervising staff). Demands are listed by number only. Ratings are counted, not named.
The shape is the handling dossier's (handling/dossier.py), so the archive pages, PDF and DOCX show it as they
show any matter.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from yishiting.common.dates import full_moment
from yishiting.common.models import Event
from yishiting.handling.choices import Satisfaction, Stage
from yishiting.handling.records_language import in_site_language

from .choices import AttemptResult, Outcome, Tier
from .models import MediationCase, MediationRating

CONTENT_VERSION = 1
PEOPLE_NOTE = ("保密说明：人民调解依法保守当事人的隐私（《人民调解法》第十五条）。本档案只记载纠纷类型、调解经过和结果，"
               "不记载当事人身份、陈述和协议内容；调解卷宗由调解委员会另行保管。")  # zh-only: a sealed record
STAGE_OF = {"demand.submitted": Stage.COLLECT, "mediation.opened": Stage.DECIDE, "mediation.warning": Stage.SUPERVISE,
            "mediation.archived": Stage.ARCHIVE, "rating.given": Stage.EVALUATE}
TIER_NAMES = {Tier.COMMUNITY: "社区初调", Tier.STREET: "镇街深调", Tier.DISTRICT: "区（市）级调解"}  # zh-only
OUTCOME_NAMES = {Outcome.AGREEMENT: "调解成功", Outcome.FAILED: "调解不成", Outcome.REFUSED: "当事人不同意调解",
                 Outcome.WITHDRAWN: "当事人撤回"}  # zh-only
STAGE_WORDS = {Stage.COLLECT: "收集诉求", Stage.DECIDE: "转入调解", Stage.DELIBERATE: "—", Stage.PUBLICISE: "—",
               Stage.HANDLE: "三二一调解", Stage.SUPERVISE: "期限督办", Stage.EVALUATE: "评价反馈",
               Stage.ARCHIVE: "归档备案"}  # zh-only


def _what(event: Event) -> str | None:
    """One public line per event (None: not in the public record — statements, parties, signatures by name)."""
    p = event.payload or {}
    tier = TIER_NAMES.get(p.get("tier"), "")
    lines = {
        "demand.submitted": "收到诉求",
        "mediation.opened": "立案，转入人民调解",
        "mediation.accepted": "调解员受理，当事人均同意调解",
        "mediation.attempt": f"{tier}第 {p.get('number', '')} 次："
                             + ("达成协议" if p.get("result") == AttemptResult.SUCCESS else "未达成协议"),
        "mediation.escalated": f"移交{tier}" + ("（本级次数用完，自动移交）" if p.get("automatic") else ""),
        "agreement.effective": "调解协议签署生效",
        "agreement.confirmation": {"confirmed": "人民法院司法确认", "refused": "人民法院不予确认",
                                   "waived": "当事人不申请司法确认"}.get(p.get("result", ""), ""),
        "agreement.obligation_checked": "核实履行：" + ("已履行" if p.get("performed") else "未履行，告知诉讼途径"),
        "mediation.visited": "回访",
        "mediation.closed": "结案：调解成功",
        "mediation.failed": "结案：调解不成，告知当事人诉讼、仲裁等途径",
        "mediation.refused": "结案：当事人不同意调解，告知其他途径",
        "mediation.withdrawn": "结案：当事人撤回",
        "mediation.warning": {"yellow": "黄色预警", "red": "红色预警（逾期）", "escalated": "提级督办"}.get(
            p.get("level", ""), "预警"),
        "mediation.archived": "归档",
    }
    return lines.get(event.kind)


@in_site_language
def dossier_content(case: MediationCase, demands: list) -> dict[str, Any]:
    """JSON-ready dossier content for `case` (handling.services.archive.dossier_store seals it)."""
    subjects = {"mediation.mediationcase": [str(case.pk)], "demands.demand": [str(d.pk) for d in demands]}
    events = list(Event.objects.filter(subject_type="mediation.mediationcase", subject_id=str(case.pk))
                  .order_by("at", "pk")) + list(
        Event.objects.filter(subject_type="demands.demand", subject_id__in=subjects["demands.demand"],
                             kind="demand.submitted").order_by("at", "pk"))
    events.sort(key=lambda e: (e.at, e.pk))
    stages: dict[str, list[dict[str, str]]] = {s.value: [] for s in Stage}
    for event in events:
        what = _what(event)
        if what:
            stage = STAGE_OF.get(event.kind, Stage.HANDLE)
            stages[stage].append({"at": event.at.isoformat(), "when": full_moment(event.at), "who": "",
                                  "what": what, "kind": event.kind})
    kind = case.dispute_type.name if case.dispute_type_id else "矛盾纠纷"  # zh-only
    counts = Counter(MediationRating.objects.filter(case=case).values_list("value", flat=True))
    return {
        "version": CONTENT_VERSION, "kind": "mediation",
        "title": f"{kind}调解（{OUTCOME_NAMES.get(case.outcome, '')}）",
        "area": {"code": case.area.code, "name": case.area.name}, "category": kind, "template": "三二一",
        "people_note": PEOPLE_NOTE,
        "demands": [{"number": d.number, "category": d.category.name, "text": ""} for d in demands],
        "resolutions": [], "meetings": [],
        "stages": [{"code": s.value, "heading": f"{s.label} · {STAGE_WORDS[s]}", "entries": stages[s.value]}
                   for s in Stage],
        "attachments": [], "event_count": len(events),
        "ratings": {str(label): counts.get(value, 0) for value, label in Satisfaction.choices},
        "subjects": subjects,
    }
