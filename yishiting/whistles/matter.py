"""The matter a whistle is blown on, read from the loop's records: where it is and whether it is handled.
(Whistles sit beside handling: they read demands, topics and tasks and never write them, except a new demand.)"""

from __future__ import annotations

from yishiting.areas.models import Area
from yishiting.deliberation.choices import TopicStatus
from yishiting.handling.choices import TaskStatus

# A topic is handled once its tasks are done: it is being evaluated, archived, or closed.
TOPIC_HANDLED = {TopicStatus.EVALUATING, TopicStatus.ARCHIVED, TopicStatus.CLOSED}


def matter_place(*, demand=None, topic=None, task=None) -> Area | None:
    if task is not None:
        return task.area
    if topic is not None:
        return topic.level_area
    return demand.area if demand is not None else None


def matter_done(whistle) -> bool:
    """Handled: its task closed (销号), its topic past handling, or its demand's task or topic so."""
    task, topic = whistle.task, whistle.topic
    if whistle.demand_id and task is None and topic is None:
        task, topic = whistle.demand.task, whistle.demand.topic
    if task is not None:
        return task.status == TaskStatus.CLOSED
    return topic is not None and topic.status in TOPIC_HANDLED
