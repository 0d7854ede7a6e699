"""The loop's routing, above the domains (architecture rule 11): where a screening outcome opens work in a later
domain — a topic (deliberation), a task (handling), a mediation case (mediation) — the route lives here, so
`demands` imports none of them and a new path (participation, alliances …) plugs in here.

`install()` registers the routes with demands.screening (called once from an AppConfig.ready()). Each route runs
inside `demand_screen`'s transaction and returns the demand's field changes.
"""

from __future__ import annotations

from typing import Any

from yishiting.areas.models import Area


def _topic(actor, demand, decision, level: Area) -> dict[str, Any]:
    from yishiting.deliberation.services.topics import topic_demand_add, topic_for_demand

    topic = decision.topic or topic_for_demand(actor=actor, title=decision.topic_title.strip()[:200],
                                               description=demand.text, level_area=level, proposer=demand.reporter,
                                               template=decision.template)
    topic_demand_add(actor=actor, topic=topic, number=demand.number)
    return {"topic": topic}


def _topic_mergeable(topic) -> bool:
    from yishiting.deliberation.transitions import MERGEABLE

    return topic.status in MERGEABLE


def _handling(actor, demand, decision, level: Area) -> dict[str, Any]:
    from yishiting.handling.choices import SubjectKind
    from yishiting.handling.services.tasks import task_assign

    task = task_assign(actor=actor, title=demand.text[:200], area=demand.area, handler=decision.handler,
                       deadline=decision.deadline, demand=demand, organization=decision.organization,
                       subject_kind=SubjectKind.UNIT if decision.organization else SubjectKind.COMMUNITY)
    return {"task": task}


def _mediation(actor, demand, decision, level: Area) -> dict[str, Any]:
    """A dispute: a mediation case at the screening level, the demand and the duplicates merged into it
    together (their reporters are the applicants). The case waits for a mediator to accept it (待受理)."""
    from yishiting.mediation.services import case_open_from_demands

    demands = [demand, *demand.duplicates.select_related("reporter").order_by("pk")]
    case = case_open_from_demands(actor=actor, demands=demands, level_area=level,
                                  dispute_type=decision.dispute_type)
    return {"mediation": case}


def _demands_expect(events) -> dict[str, Any]:
    """A topic's demands are exactly those its topic.demand_added events name (by number)."""
    numbers = {e.payload.get("demand") for e in events if e.kind == "topic.demand_added"}
    return {"demands": ",".join(sorted(str(n) for n in numbers))}


def _demands_actual(topic) -> dict[str, Any]:
    return {"demands": ",".join(sorted(d.number for d in topic.demands.all()))}


def install() -> None:
    from yishiting.common.reconcile import register_part
    from yishiting.demands.screening import register_route

    # `yishiting verify`: the demands a topic took in, as the route above recorded them on the topic's chain
    register_part("deliberation.topic", "loop.demands", expect=_demands_expect, actual=_demands_actual,
                  labels={"demands": "收入的诉求（编号）"}, prefetch=("demands",))

    register_route("topic", _topic)
    register_route("handling", _handling)
    register_route("mediation", _mediation)
    register_route("topic_mergeable", _topic_mergeable)
