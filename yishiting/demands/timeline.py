"""A demand's timeline as the pages show it: one plain-Chinese sentence per event, saying when, who (role and
name: officials in office in full, residents masked) and what, e.g. "11月22日 09:12 社区工作人员 钱社工 将诉求转为
议题“3栋电梯维修”".

Read from the event log (the source of truth). An anonymous demand never names its submitter, not even masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from yishiting.areas.choices import IN_OFFICE_ROLES, Role
from yishiting.areas.models import Area, RoleAssignment
from yishiting.areas.selectors import person_of_user
from yishiting.common.dates import moment_text
from yishiting.common.masking import public_name
from yishiting.common.rules import active_roles
from yishiting.common.text import list_clauses
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Channel, Nature, ReporterKind
from yishiting.demands.models import Demand
from yishiting.demands.selectors import demand_timeline

# When someone holds several roles, the one shown is the office they act in (staff before resident).
ROLE_PRIORITY = [Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF, Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL,
                 Role.GRID_LEADER, Role.GRID_WORKER, Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.HANDLER, Role.ADMIN]




@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    when: str
    who: str
    what: str

    @property
    def sentence(self) -> str:
        return " ".join(part for part in (self.when, self.who, self.what) if part)


def when_text(at: datetime) -> str:
    return moment_text(at)


def _best_role(roles: list[RoleAssignment], demand: Demand) -> RoleAssignment | None:
    """The role the actor most likely acted in: an office covering the demand's place, else any office."""
    covering = [r for r in roles if demand.path.startswith(r.path)]
    for pool in (covering, roles):
        for role in ROLE_PRIORITY:
            found = [r for r in pool if r.role == role]
            if found:
                return max(found, key=lambda r: len(r.path))
    return roles[0] if roles else None


def actor_labels(events, demand: Demand | Topic, *, caller=None) -> dict[int, str]:
    """user id → "社区工作人员 钱**" for every actor named in the events (one query; none when the only actor
    is `caller`, the signed-in user, whose roles and person every request has at hand already). `caller` reads
    their own name in full ("居民 张三"): the timeline of one's own demand names oneself."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    roles: dict[int, list[RoleAssignment]] = {}
    names: dict[int, str] = {}
    if caller is not None and caller.pk in user_ids and (mine := active_roles(caller)) \
            and (person := person_of_user(caller)) is not None:
        user_ids.discard(caller.pk)
        roles[caller.pk], names[caller.pk] = list(mine), person.name
    for assignment in (RoleAssignment.objects.filter(person__user_id__in=user_ids, is_active=True)
                       .select_related("person") if user_ids else ()):
        roles.setdefault(assignment.person.user_id, []).append(assignment)
        names[assignment.person.user_id] = assignment.person.name
    user_ids |= roles.keys()
    labels = {}
    for user_id in user_ids:
        role = _best_role(roles.get(user_id, []), demand)
        in_office = role is not None and role.role in IN_OFFICE_ROLES  # named as a public notice names officials
        yourself = caller is not None and user_id == caller.pk  # the signed-in user reads their own name
        name = public_name(names.get(user_id), in_office=in_office or yourself) or gettext("工作人员")
        labels[user_id] = f"{role.get_role_display()} {name}" if role else name
    return labels


def _submitted(p: dict, who: str) -> tuple[str, str]:
    channel = dict(Channel.choices).get(p.get("channel", ""), "")
    photos = len(p.get("photos") or [])
    tail = gettext('（附照片 %(photos)s 张）') % {"photos": photos} if photos else ""
    kind = p.get("reporter_kind")
    if kind == ReporterKind.ANONYMOUS:
        return "", gettext('收到匿名诉求（%(channel)s），编号 %(number)s%(tail)s') % {"channel": channel, "number": p.get('number', ''), "tail": tail}
    if kind == ReporterKind.ON_BEHALF:
        return who, gettext('代居民录入诉求（%(channel)s，已取得本人同意），编号 %(number)s%(tail)s') % {"channel": channel, "number": p.get('number', ''), "tail": tail}
    return who, gettext('通过%(channel)s提交诉求，编号 %(number)s%(tail)s') % {"channel": channel, "number": p.get('number', ''), "tail": tail}


def _reason(p: dict) -> str:
    reason = (p.get("reason") or "").strip()
    nature = dict(Nature.choices).get(p.get("nature") or "", "")
    parts = [gettext('性质：%(nature)s') % {"nature": nature} if nature else "", gettext('理由：%(reason)s') % {"reason": reason} if reason else ""]
    level_reason = (p.get("level_reason") or "").strip()
    if level_reason:
        parts.append(gettext('调整办理层级的理由：%(level_reason)s') % {"level_reason": level_reason})
    text = list_clauses(part for part in parts if part)
    return gettext("（%(text)s）") % {"text": text} if text else ""


def _screened(kind: str, p: dict, demand: Demand, areas: dict[str, str]) -> str:
    level = areas.get(p.get("level", ""), "")  # after an escalation: the level it was handed up to
    if kind == "demand.topic":
        title = demand.topic.title if demand.topic_id else ""
        return gettext('将诉求转为议题“%(title)s”') % {"title": title} + _reason(p)
    if kind == "demand.handling":
        task = demand.task if demand.task_id else None
        if task is None:
            return gettext("将诉求转为直接办理") + _reason(p)
        org = f"{task.organization.name} " if task.organization_id else ""
        return (gettext('将诉求交由%(org)s%(name)s 直接办理，%(month)s月%(day)s日前办结') % {"org": org, "name": task.handler.name, "month": task.deadline.month, "day": task.deadline.day} + _reason(p))
    if kind == "demand.mediation":
        return gettext("将诉求转入调解") + _reason(p)
    if kind == "demand.escalate":
        return (gettext("将诉求提请%(level)s研究处理") % {"level": level} if level else gettext("将诉求提请上级研究处理")) + _reason(p)
    rule = demand.rejection_rule.text if demand.rejection_rule_id else ""
    return gettext('决定不予受理，依据协商目录“%(rule)s”') % {"rule": rule} + _reason(p)


def describe(event, demand: Demand, who: str, areas: dict[str, str]) -> tuple[str, str]:
    """(who, what) for one event; unknown kinds still read as an update."""
    p = event.payload or {}
    if event.kind == "demand.submitted":
        return _submitted(p, who)
    if event.kind in {"demand.topic", "demand.handling", "demand.mediation", "demand.escalate", "demand.reject"}:
        return who, _screened(event.kind, p, demand, areas)
    if event.kind == "demand.deadline_recomputed":
        return who, gettext("节假日安排有变，筛选期限由 %(from)s 顺延至 %(to)s") % {"from": p.get("from", ""),
                                                                                "to": p.get("to", "")}
    if event.kind == "demand.merged":
        return who, gettext('将诉求合并到诉求 %(number)s（同一件事一并处理；理由：%(reason)s）') % {"number": p.get('into', ''), "reason": p.get('reason', '')}
    if event.kind == "demand.mediation_accepted":
        return who, gettext("调解员受理了调解")
    if event.kind == "demand.mediation_closed":
        outcomes = {"agreement": gettext("调解成功"), "failed": gettext("调解不成"),
                    "refused": gettext("当事人不同意调解"), "withdrawn": gettext("当事人撤回")}
        return who, gettext("调解结案：%(outcome)s") % {"outcome": outcomes.get(p.get("outcome", ""), "")}
    return who, gettext("更新了诉求")


def timeline_lines(demand: Demand, events: list | None = None, *, caller=None) -> list[TimelineLine]:
    """The demand's events, oldest first, as sentences (a few queries whatever the length). `events`, when the
    caller has them already (the one event of a demand just submitted), saves reading them back; so does
    `caller` (the signed-in user) for their own role and name."""
    events = list(demand_timeline(demand).order_by("at", "seq")) if events is None else events
    events = sorted(events, key=lambda e: (e.at, e.seq))  # by the full timestamp: 09:00 before 17:00
    codes = {e.payload.get("level") for e in events if e.payload.get("level")}
    areas = dict(Area.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    actors = actor_labels(events, demand, caller=caller)
    lines = []
    for event in events:
        who, what = describe(event, demand, actors.get(event.actor_id, gettext("系统")), areas)
        lines.append(TimelineLine(at=event.at, when=when_text(event.at), who=who, what=what))
    return lines
