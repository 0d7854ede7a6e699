"""htmx answers of the people, organization and household pickers (areas.pickers; fields in forms/pickers.py):
one URL, `/pick/<kind>/?name=<field>&topic=<pk>` (or `&task=`, `&demand=`, `&vote=`), for the supervision group's
members, a task's handler (assign and reassign), its 责任单位 and its verifier (核验人), the handler of a demand
screened for direct handling, a topic's proposer, a meeting's chair, the resident of a door-to-door opinion, and an
owners' vote's proxy parties and paper-ballot households. Each kind
checks its own permission. Who may be picked is the same queryset the form checks the answer
against (the `*_pool` functions below); the meeting's invitee picker answers at /meetings/invitees/ with the
same selector and partial, in its invite mode."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from yishiting.areas.choices import OFFICE_ROLES
from yishiting.areas.models import PATH_STEP, Area, Organization, Person
from yishiting.areas.pickers import households_pick, organizations_pick, people_pick
from yishiting.areas.selectors import people_visible_to
from yishiting.common.rules import has_perm, scope_for
from yishiting.deliberation.choices import VoteMethod
from yishiting.deliberation.models import Topic, Vote
from yishiting.deliberation.selectors.meetings import chair_candidates
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.selectors.votes import (
    households_in_vote_scope,
    people_in_vote_scope,
    votes_visible_to,
)
from yishiting.demands.models import Demand
from yishiting.demands.selectors import demands_visible_to
from yishiting.handling.models import Task
from yishiting.handling.selectors import handler_candidates
from yishiting.handling.selectors import tasks as task_selectors

from .common import query_pk
from .expert_picker import experts_page

RESULTS = "web/partials/picker/results.html"


def near_topic(topic: Topic) -> list[str]:
    """The topic's own place first, then its level, its street, the district."""
    paths = [topic.opinion_path, topic.path]
    return paths + [topic.path[:n] for n in range(len(topic.path) - PATH_STEP, 0, -PATH_STEP)]


def member_pool(user) -> QuerySet[Person]:
    return people_visible_to(user)


def handler_pool(area, within_path: str) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=handler_candidates(area, within_path).values("person_id"))


def organization_pool(topic: Topic) -> QuerySet[Organization]:
    """Active organizations of the topic's district (a 责任单位 may be a district agency or an estate's
    property company)."""
    return Organization.objects.filter(is_active=True, path__startswith=topic.path[:PATH_STEP])




def supervisor_pool(topic: Topic) -> QuerySet[Person]:
    """Office staff at or above the topic's level: who may be named to verify its tasks (核验人)."""
    return (Person.objects.filter(roles__path__in=topic.level_area.ancestor_paths(), roles__role__in=OFFICE_ROLES,
                                  roles__is_active=True).distinct())


def chair_pool(topic: Topic) -> QuerySet[Person]:
    """Who may chair a meeting on the topic (deliberation.selectors.meetings.chair_candidates)."""
    return chair_candidates(topic.level_area)


def demand_handler_pool(demand: Demand) -> QuerySet[Person]:
    return handler_pool(demand.area, demand.screening_path)


def task_within(task: Task) -> str:
    return task.topic.path if task.topic_id else task.path


def _topic(request: HttpRequest, permission: str) -> Topic:
    topic = get_object_or_404(topics_visible_to(request.user), pk=query_pk(request, "topic"))
    if not has_perm(request.user, permission, topic):
        raise PermissionDenied(permission)
    return topic


def _owners_vote(request: HttpRequest) -> Vote:
    vote = get_object_or_404(votes_visible_to(request.user).select_related("scope_area"), pk=query_pk(request, "vote"))
    if vote.method != VoteMethod.OWNERS or not has_perm(request.user, "deliberation.votes", vote):
        raise PermissionDenied("deliberation.votes")
    return vote


def _handler_context(request: HttpRequest):
    if demand_pk := query_pk(request, "demand"):  # screening a demand for direct handling
        demand = get_object_or_404(demands_visible_to(request.user), pk=demand_pk)
        if not has_perm(request.user, "demands.screen", demand):
            raise PermissionDenied("demands.screen")
        return demand_handler_pool(demand), [demand.path, demand.screening_path]
    if task_pk := query_pk(request, "task"):
        task = get_object_or_404(task_selectors.tasks_visible_to(request.user), pk=task_pk)
        if not has_perm(request.user, "handling.tasks", task):
            raise PermissionDenied("handling.tasks")
        near = [task.path, task_within(task)]
        return handler_pool(task.area, task_within(task)), near
    topic = _topic(request, "handling.tasks")
    return handler_pool(topic.level_area, topic.path), near_topic(topic)


def _member_context(request: HttpRequest):
    topic = _topic(request, "handling.supervise")
    return member_pool(request.user), near_topic(topic)


def _organization_context(request: HttpRequest):
    topic = _topic(request, "handling.tasks")
    return organization_pool(topic), near_topic(topic)


def _supervisor_context(request: HttpRequest):
    topic = _topic(request, "handling.tasks")
    return supervisor_pool(topic), near_topic(topic)


def _chair_context(request: HttpRequest):
    # as the plan page itself: a planner (deliberation.manage) on a topic they can see
    if not has_perm(request.user, "deliberation.manage"):
        raise PermissionDenied("deliberation.manage")
    topic = get_object_or_404(topics_visible_to(request.user), pk=query_pk(request, "topic"))
    return chair_pool(topic), near_topic(topic)


def _door_context(request: HttpRequest):
    from .topics import _scope_people

    if not has_perm(request.user, "deliberation.enter_opinion"):
        raise PermissionDenied("deliberation.enter_opinion")
    topic = get_object_or_404(topics_visible_to(request.user), pk=query_pk(request, "topic"))
    return _scope_people(request.user, topic), near_topic(topic)


def _proposer_context(request: HttpRequest):
    if not has_perm(request.user, "deliberation.manage"):
        raise PermissionDenied("deliberation.manage")
    return people_visible_to(request.user), []


def _proxy_context(request: HttpRequest):
    vote = _owners_vote(request)
    return people_in_vote_scope(vote), [vote.scope_area.path]


def _household_context(request: HttpRequest):
    vote = _owners_vote(request)
    return households_in_vote_scope(vote), [vote.scope_area.path]


def _party_context(request: HttpRequest):
    """A party of a case being opened: residents where the viewer may open cases (mediation.page_selectors)."""
    from yishiting.mediation.page_selectors import open_paths, party_pool

    paths = open_paths(request.user)
    if not paths:
        raise PermissionDenied("mediation.open")
    return party_pool(request.user), paths


def _served_context(request: HttpRequest):
    """The person a home visit serves: residents where the viewer manages volunteering."""
    from yishiting.volunteers.selectors import served_pool

    if not has_perm(request.user, "volunteers.manage"):
        raise PermissionDenied("volunteers.manage")
    return served_pool(request.user), []


def _diner_context(request: HttpRequest):
    """Whom staff order a canteen meal for: people where they may order for others."""
    from yishiting.canteens.selectors import diner_pool

    if not has_perm(request.user, "canteens.order_for"):
        raise PermissionDenied("canteens.order_for")
    return diner_pool(request.user), []


def _on_behalf_context(permission: str, pool_of):
    """Whom staff act for (a wish, a booking, a menu order for an elder without a phone): people where they hold
    `permission`."""
    def context(request: HttpRequest):
        if not has_perm(request.user, permission):
            raise PermissionDenied(permission)
        return pool_of(request.user), []
    return context


def _wisher_pool(user):
    from yishiting.wishes.selectors import wisher_pool

    return wisher_pool(user)


def _booker_pool(user):
    from yishiting.appointments.selectors import book_for_pool

    return book_for_pool(user)


def _orderer_pool(user):
    from yishiting.participation.selectors import order_for_pool

    return order_for_pool(user)


def _ledger_person_context(request: HttpRequest):
    """Whom the points staff award, correct or pay hours out for: people in their ledgers scope."""
    from yishiting.ledgers.selectors import people_for_staff

    if not has_perm(request.user, "ledgers.market_manage"):
        raise PermissionDenied("ledgers.market_manage")
    return people_for_staff(request.user), []


def _body(request: HttpRequest):
    """A body whose members the viewer keeps (bodies.manage), from ?body=."""
    from yishiting.bodies.rules import may_manage
    from yishiting.bodies.selectors import bodies_visible_to

    body = get_object_or_404(bodies_visible_to(request.user), pk=query_pk(request, "body"))
    if not may_manage(request.user, body):
        raise PermissionDenied("bodies.manage")
    return body


def _body_member_context(request: HttpRequest):
    from yishiting.bodies.selectors import member_pool

    body = _body(request)
    return member_pool(body), [body.path, body.path[:-PATH_STEP]]


def _body_org_context(request: HttpRequest):
    from yishiting.bodies.selectors import organization_pool

    body = _body(request)
    return organization_pool(body), [body.path]


from yishiting.grid.web import pickers as grid_pickers  # noqa: E402 — 包联 (issue 20)

PEOPLE = {"served": _served_context, "diner": _diner_context, "ledger_person": _ledger_person_context,
          "member": _member_context, "party": _party_context, "handler": _handler_context, "door": _door_context,
          "proposer": _proposer_context, "proxy": _proxy_context, "chair": _chair_context,
          "supervisor": _supervisor_context, "body_member": _body_member_context,
          "grid_keeper": grid_pickers.keeper_context}
PEOPLE["wisher"] = _on_behalf_context("wishes.post_for", _wisher_pool)
PEOPLE["booker"] = _on_behalf_context("appointments.book_for", _booker_pool)
PEOPLE["orderer"] = _on_behalf_context("participation.order_for", _orderer_pool)

from yishiting.cadres.web import pickers as cadre_pickers  # noqa: E402 — 成长档案 (issue 21)

PEOPLE["cadre_person"] = cadre_pickers.person_context
PEOPLE["cadre_trainee"] = cadre_pickers.trainee_context


def _whistle_unit_context(request: HttpRequest):
    """The units a whistle may call (吹哨·应哨), nearest the blower first."""
    from .whistles import unit_pool_for

    if not has_perm(request.user, "whistles.blow"):
        raise PermissionDenied("whistles.blow")
    return unit_pool_for(request.user), sorted(scope_for(request.user, "whistles.blow").paths)


ORGANIZATIONS = {"organization": _organization_context, "body_org": _body_org_context,
                 "whistle_unit": _whistle_unit_context}
HOUSEHOLDS = {"household": _household_context, "grid_household": grid_pickers.household_context}
HOUSEHOLD_EMPTY = gettext_lazy("可输入楼栋单元和房号（如 3栋1单元1201 或 1201）或住户的完整姓名、手机号；只列出表决范围内的户。")


def search_term(request: HttpRequest) -> str:
    """The picker's search box is named `<field>_q`; the first such parameter is the term."""
    return next((value for key, value in request.GET.items() if key.endswith("_q")), "")


@login_required
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    name = request.GET.get("name", "")
    if not name.isidentifier() or kind not in PEOPLE | ORGANIZATIONS | HOUSEHOLDS | {"expert": None}:
        raise Http404
    if kind == "expert":  # the pool by field, level and area (mediation's mediators, a case's experts)
        if not has_perm(request.user, "legal.pool"):
            raise PermissionDenied("legal.pool")
        area = Area.objects.filter(pk=query_pk(request, "area")).first() if query_pk(request, "area") else None
        page = experts_page(request, area)
    elif kind in PEOPLE:
        pool, near = PEOPLE[kind](request)
        page = people_pick(request.user, pool, search_term(request), near=near, request=request,
                           reason=f"picker:{kind}")
    elif kind in HOUSEHOLDS:
        pool, near = HOUSEHOLDS[kind](request)
        page = households_pick(request.user, pool, search_term(request), near=near, request=request)
    else:
        pool, near = ORGANIZATIONS[kind](request)
        page = organizations_pick(pool, search_term(request), near=near)
    hint = HOUSEHOLD_EMPTY if kind in HOUSEHOLDS else None
    return render(request, RESULTS, {"page": page, "name": name, "empty_hint": hint})
