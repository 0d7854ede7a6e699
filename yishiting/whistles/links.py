"""The matter a whistle is blown on, found among what the blower may see (pages and API alike): a demand by its
number (or id), a topic, a task. A number the blower cannot see reads as not found."""

from __future__ import annotations

from django.utils.translation import gettext

from yishiting.common.errors import NotFound


def linked_matter(user, *, demand_number: str = "", demand_id: int | None = None, topic_id: int | None = None,
                  task_id: int | None = None) -> dict:
    from yishiting.deliberation.selectors.topics import topics_visible_to
    from yishiting.demands.selectors import demands_visible_to
    from yishiting.handling.selectors.tasks import tasks_visible_to

    found: dict = {}
    if demand_number.strip() or demand_id is not None:
        rows = demands_visible_to(user).select_related("area", "task", "topic")
        demand = (rows.filter(number=demand_number.strip()) if demand_number.strip() else rows.filter(pk=demand_id)).first()
        if demand is None:
            raise NotFound(gettext("找不到该诉求（请核对编号，或不填编号直接吹哨）。"), details={"field": "demand"})
        found["demand"] = demand
    if topic_id is not None:
        found["topic"] = _one(topics_visible_to(user).select_related("level_area"), topic_id, gettext("找不到该议题。"))
    if task_id is not None:
        found["task"] = _one(tasks_visible_to(user).select_related("area"), task_id, gettext("找不到该任务。"))
    return found


def _one(rows, pk: int, message: str):
    row = rows.filter(pk=pk).first()
    if row is None:
        raise NotFound(message)
    return row
