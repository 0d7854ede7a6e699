"""A committee's and a member unit's history as sentences (their events, newest first): set up, units joining
and leaving the committee, its lead changed; a unit's application, admission, liaison party member changed,
withdrawal. The pages showing them are the office's and the members' (names in full: they act in office)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Person
from yishiting.common.events import events_of

from .models import Committee, Member


@dataclass
class Line:
    at: datetime
    text: str


def _names(events) -> tuple[dict, dict]:
    units, people = set(), set()
    for e in events:
        p = e.payload
        units.update(v for k in ("member", "new_lead", "lead") if isinstance(v := p.get(k), int))
        units.update(v for v in p.get("members", []) if isinstance(v, int))
        if e.kind == "committee.lead_changed":
            units.update(v for v in (p.get("from"), p.get("to")) if isinstance(v, int))
        if e.kind == "member.liaison_changed":
            people.update(v for v in (p.get("from"), p.get("to")) if isinstance(v, int))
    unit_names = dict(Member.objects.filter(pk__in=units).values_list("pk", "organization__name"))
    person_names = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
    return unit_names, person_names


def _committee_sentence(event, units: dict) -> str:
    p = event.payload

    def unit(pk) -> str:
        return units.get(pk) or _("一家单位")

    if event.kind == "committee.created":
        return _("设立专委，牵头单位%(lead)s，成员单位 %(n)s 家") % {
            "lead": unit(p.get("lead")),
            "n": len(p.get("members", [])),
        }
    if event.kind == "committee.member_added":
        return _("%(unit)s加入专委") % {"unit": unit(p.get("member"))}
    if event.kind == "committee.member_removed":
        text = _("%(unit)s退出专委") % {"unit": unit(p.get("member"))}
        if p.get("new_lead"):
            text += _("，牵头单位改为%(lead)s") % {"lead": unit(p["new_lead"])}
        if p.get("reason"):
            text += _("（%(reason)s）") % {"reason": p["reason"]}
        return text
    if event.kind == "committee.lead_changed":
        return _("牵头单位由%(before)s改为%(after)s") % {
            "before": unit(p.get("from")),
            "after": unit(p.get("to")),
        }
    return event.kind


MEMBER_KINDS = {
    "member.founded": gettext_lazy("作为发起单位登记入盟"),
    "member.applied": gettext_lazy("提出入盟申请"),
    "member.reviewed": gettext_lazy("联络办审核通过，提交大会表决"),
    "member.admitted": gettext_lazy("经大会表决，成为成员单位"),
    "member.rejected": gettext_lazy("入盟申请未通过"),
    "member.withdrawn": gettext_lazy("退出联盟"),
    "member.removed": gettext_lazy("被除名"),
    "member.accepted_covenant": gettext_lazy("承诺遵守现行盟约"),
}


def _member_sentence(event, people: dict) -> str:
    p = event.payload
    if event.kind == "member.liaison_changed":
        return _("联络党员由%(before)s改为%(after)s") % {
            "before": people.get(p.get("from"), "—"),
            "after": people.get(p.get("to"), "—"),
        }
    if event.kind not in MEMBER_KINDS:
        return event.kind
    text = str(MEMBER_KINDS[event.kind])
    if p.get("reason"):
        text += _("（%(reason)s）") % {"reason": p["reason"]}
    return text


def committee_history(committee: Committee) -> list[Line]:
    events = list(events_of(committee).order_by("-at", "-seq"))
    units, _people = _names(events)
    return [Line(e.at, _committee_sentence(e, units)) for e in events]


def member_history(member: Member) -> list[Line]:
    events = list(events_of(member).order_by("-at", "-seq"))
    _units, people = _names(events)
    return [Line(e.at, _member_sentence(e, people)) for e in events]
