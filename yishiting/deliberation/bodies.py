"""Standing bodies in deliberation (issue 20; the bodies app is below this one): which body deliberates a topic
at its level (the template's `bodies`), who it invites by default, how its quorum is counted, and Kenli's
决策前置 (the template's `deliberate_first`).

Kept in one module, apart from the planner and the procedure, which each call one function of it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Area, AreaLevel, Person, RoleAssignment
from yishiting.bodies.choices import MemberRole
from yishiting.bodies.models import Body, current_q
from yishiting.bodies.selectors import body_at, current_seat_people
from yishiting.common.errors import Conflict

from .choices import MeetingStatus
from .models import Meeting, MeetingStep, ProcessTemplate, Resolution, Topic
from .wording import listed, said


def level_body(template: ProcessTemplate | None, area: Area) -> Body | None:
    """The active body the template names for the area's level, sitting at that area (or None)."""
    code = ((template.bodies if template else None) or {}).get(area.level.code)
    return body_at(area, code) if code else None


def body_invitees(template: ProcessTemplate | None, level_area: Area) -> list[Person]:
    """Whom a plan at this level invites by default: the current members of the level's body (organizations by
    their representatives)."""
    body = level_body(template, level_area)
    return current_seat_people(body) if body is not None else []


# Who chairs the meetings of an estate's or a building's standing body (Kenli: 小区党支部—楼栋党小组), at the
# level's area or above it — not the community secretary.
BODY_CHAIRS = {"estate": [Role.ESTATE_BRANCH_SECRETARY],
               "building": [Role.BUILDING_PARTY_GROUP_LEADER, Role.ESTATE_BRANCH_SECRETARY]}


def body_chair_refusal(template: ProcessTemplate | None, level_area: Area, chair: Person | None) -> str | None:
    """Why `chair` may not chair a meeting of the level's standing body (None: they may, or no rule applies)."""
    roles = BODY_CHAIRS.get(level_area.level.code)
    body = level_body(template, level_area) if roles and chair is not None else None
    if body is None:
        return None
    if RoleAssignment.objects.filter(person=chair, role__in=roles, is_active=True,
                                     path__in=level_area.ancestor_paths()).exists():
        return None
    return said(gettext_lazy("%(body)s的会议由%(names)s主持。"), body=body.name,
                names=listed(Role(r).label for r in roles))


def body_convener(template: ProcessTemplate | None, level_area: Area) -> Person | None:
    """The convener of the level's body: the plan's default chair where the level has a body."""
    body = level_body(template, level_area)
    seat = body.memberships.filter(current_q(), role=MemberRole.CONVENER).first() if body is not None else None
    return seat.seat_person if seat is not None else None


def quorum_body(meeting: Meeting) -> Body | None:
    """The body whose membership counts the meeting's quorum: the level's body, if it existed when the meeting
    was planned (a meeting planned before the body was set up keeps the council members its plan marked)."""
    body = level_body(meeting.template, meeting.level_area)
    if body is None or (meeting.created_at and body.created_at > meeting.created_at):
        return None
    return body


def quorum_seats(meeting: Meeting) -> set[int] | None:
    """Person ids of the seats that count for the quorum, or None: count the plan's council members instead."""
    body = quorum_body(meeting)
    return None if body is None else {p.pk for p in current_seat_people(body)}


# ---- 决策前置 -------------------------------------------------------------------------------------------

def _categories(topic: Topic) -> set[str]:
    return {name for name in topic.demands.values_list("category__name", flat=True) if name}


def _rules_for(topic: Topic) -> list[dict]:
    """The template's 决策前置 rules that apply to this topic (a category of one of its demands)."""
    rules = (topic.template.deliberate_first if topic.template_id else None) or []
    names = _categories(topic)
    return [r for r in rules if set(r.get("categories", [])) & names]


def _bodies_below(topic: Topic, level: str) -> list[Body]:
    """The bodies of `level` the template names that cover the topic's scope (its estate), or all of that level
    under the topic's level area when the scope is the whole area."""
    code = (topic.template.bodies or {}).get(level)
    if not code:
        return []
    scope = topic.opinion_path
    depth = AreaLevel.objects.filter(code=level).values_list("depth", flat=True).first()
    if depth is None:
        return []
    found = Body.objects.filter(kind__code=code, is_active=True).select_related("area", "kind")
    if len(scope) >= depth * PATH_STEP:  # the scope lies in one area of that level
        return list(found.filter(path=scope[: depth * PATH_STEP]))
    return list(found.filter(path__startswith=scope, area__level__code=level))


def _deliberated(topic: Topic, body: Body) -> bool:
    """A closed meeting at the body's area had the topic on its agenda and discussed it (a step or a resolution)."""
    meetings = Meeting.objects.filter(level_area=body.area, status=MeetingStatus.CLOSED, agenda__topic=topic)
    return (MeetingStep.objects.filter(meeting__in=meetings, topic=topic).exists()
            or Resolution.objects.filter(meeting__in=meetings, topic=topic).exists())


def deliberation_missing(topic: Topic, meeting: Meeting) -> list[Body]:
    """The bodies that must deliberate the topic before this meeting's level decides it and have not."""
    missing = []
    for rule in _rules_for(topic):
        level_depth = AreaLevel.objects.filter(code=rule["level"]).values_list("depth", flat=True).first()
        if level_depth is None or meeting.level_area.level.depth >= level_depth:
            continue  # the meeting is at that level or below: it is the deliberation itself
        missing += [b for b in _bodies_below(topic, rule["level"]) if not _deliberated(topic, b)]
    return missing


def require_deliberated_first(topic: Topic, meeting: Meeting) -> None:
    """Kenli's 决策前置: refuse the resolution, naming the bodies that have not yet deliberated the matter."""
    missing = deliberation_missing(topic, meeting)
    if missing:
        names = _("、").join(b.name for b in missing)
        raise Conflict("deliberate_first", _("按议事规则，此类事项须先经%(bodies)s议事协商，再由%(level)s形成决议；"
                                             "%(bodies)s尚未召开会议讨论议题“%(title)s”。") % {
            "bodies": names, "level": meeting.level_area.name, "title": topic.title},
            details={"bodies": [b.pk for b in missing]})


def may_take_from_above(topic: Topic, level_area: Area) -> bool:
    """May a meeting at `level_area` put a topic of the level above on its agenda? Only to deliberate it first
    (决策前置): a rule of the topic names this level, its body exists here, and this area is the topic's scope,
    lies inside it or holds it."""
    scope = topic.opinion_path
    if not (scope.startswith(level_area.path) or level_area.path.startswith(scope)):
        return False  # the meeting's area is neither the topic's scope nor inside it
    levels = {r.get("level") for r in _rules_for(topic)}
    return level_area.level.code in levels and level_body(topic.template, level_area) is not None

