"""A body's history as sentences (its events, newest first): founded, who joined in which role for which term,
role changes, who left and why — names as the viewer may read them (bodies.selectors.member_rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from yishiting.bodies import selectors
from yishiting.bodies.choices import MemberRole
from yishiting.bodies.models import Body
from yishiting.common.dates import page_day


@dataclass
class Line:
    at: datetime
    text: str


def _role(code: str | None) -> str:
    return str(MemberRole(code).label) if code in MemberRole.values else ""


def _day(value: str | None) -> str:
    day = parse_date(value) if value else None
    return page_day(day) if day else ""


def history_lines(viewer, body: Body, current: list, *, request=None) -> tuple[list, list[Line]]:
    """The current seats' rows and the history's sentences, with one read of names (one audit entry per page)."""
    events = selectors.history(body)
    referenced = {e.payload.get("membership") for e in events} - {m.pk for m in current}
    past = list(body.memberships.filter(pk__in=referenced).select_related("person", "organization", "representative"))
    rows = selectors.member_rows(viewer, [*current, *past], request=request)
    names = {row.membership.pk: row for row in rows}
    return rows[:len(current)], [Line(e.at, _sentence(e, names)) for e in events]


def _who(row) -> str:
    if row is None:
        return _("一位成员")
    if row.organization and row.name:
        return _("%(organization)s（代表 %(name)s）") % {"organization": row.organization, "name": row.name}
    return row.organization or (_("%(office)s %(name)s") % {"office": row.office, "name": row.name}
                                if row.office else row.name)


def _sentence(event, names: dict) -> str:
    p = event.payload
    who = _who(names.get(p.get("membership")))
    if event.kind == "body.created":
        return _("设立“%(name)s”") % {"name": p.get("name", "")}
    if event.kind == "body.member_joined":
        if p.get("term_end"):
            return _("%(who)s加入，任%(role)s，任期 %(start)s 至 %(end)s") % {
                "who": who, "role": _role(p.get("role")), "start": _day(p.get("term_start")), "end": _day(p["term_end"])}
        return _("%(who)s加入，任%(role)s，任期自 %(start)s 起") % {
            "who": who, "role": _role(p.get("role")), "start": _day(p.get("term_start"))}
    if event.kind == "body.member_role_changed":
        return _("%(who)s的职务由%(before)s改为%(after)s") % {"who": who, "before": _role(p.get("from")),
                                                          "after": _role(p.get("to"))}
    if event.kind == "body.member_left":
        if p.get("reason"):
            return _("%(who)s于 %(day)s 离任：%(reason)s") % {"who": who, "day": _day(p.get("on")), "reason": p["reason"]}
        return _("%(who)s于 %(day)s 离任") % {"who": who, "day": _day(p.get("on"))}
    if event.kind == "body.founded":  # the demo's bulk founding: the members seated at once
        return _("设立“%(name)s”，首届成员 %(count)s 人") % {"name": p.get("name", ""), "count": p.get("members", 0)}
    return event.kind
