"""The whistles of a matter in its 一事一档 dossier (handling/dossier.py): who blew, which units were called, each
unit's 报到 and what it did, the warnings of late units, the close. The units act in office: named in full."""

from __future__ import annotations

from yishiting.handling.choices import Stage
from yishiting.handling.dossier import Matter, register_records

from .models import WhistleResponse
from .selectors import whistles_of_matter

LEVELS = {"yellow": "黄色预警", "red": "红色预警（逾期未应哨）", "escalated": "提级督办"}  # zh-only: a record


def _ids(matter: Matter, subject_type: str) -> list[int]:
    return [int(i) for i in matter.subjects.get(subject_type, set())]


def gather(matter: Matter) -> None:
    whistles = list(whistles_of_matter(demand_ids=_ids(matter, "demands.demand"),
                                       topic_id=matter.topic.pk if matter.topic else None,
                                       task_ids=_ids(matter, "handling.task")).values_list("pk", flat=True))
    if whistles:
        matter.add("whistles.whistle", whistles)
        matter.add("whistles.whistleresponse",
                   WhistleResponse.objects.filter(whistle_id__in=whistles).values_list("pk", flat=True))


TEXTS = {  # zh-only: the dossier is a record
    "whistle.blown": lambda p: f"吹哨：{p.get('title', '')}（应哨期限 {p.get('deadline', '')}）",
    "whistle_response.called": lambda p: f"召集 {p.get('unit', '')} 应哨",
    "whistle.answered": lambda p: "各单位均已应哨",
    "whistle.closed": lambda p: ("吹哨办结：" + p.get("summary", "")) if p.get("summary") else "事项办结，吹哨随之办结",
    "whistle.cancelled": lambda p: f"撤回吹哨（{p.get('reason', '')}）",
    "whistle_response.arrived": lambda p: f"{p.get('unit', '')} 报到",
    "whistle_response.responded": lambda p: f"{p.get('unit', '')} 应哨" + ("（超期）" if p.get("late") else "")
    + f"：{p.get('note', '')}",
    "whistle_response.missed": lambda p: f"{p.get('unit', '')} 未应哨",
    "whistle_response.cancelled": lambda p: "撤回对单位的召集",
    "whistle_response.warning": lambda p: f"{p.get('unit', '')}：{LEVELS.get(p.get('level', ''), '预警')}",
}

register_records(gather, stages={"whistles.whistle": Stage.HANDLE, "whistles.whistleresponse": Stage.HANDLE},
                 kinds=[("whistle_response.warning", Stage.SUPERVISE)], texts=TEXTS)
