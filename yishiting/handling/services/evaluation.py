"""Evaluation (评). Placeholder: filled by the evaluation work."""

from __future__ import annotations

from datetime import date

from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.services.topics import topic_transition


def evaluation_start(*, actor, topic: Topic) -> Topic:
    """The topic's last task is closed: handling → evaluating (the evaluation work opens a round here)."""
    return topic_transition(actor=actor, topic=topic, to=TopicStatus.EVALUATING)


def rounds_tick(*, today: date) -> int:
    """Close the evaluation rounds whose period has ended; return how many."""
    return 0
