"""A resolved topic to start the handling stages from (test data, not a flow: flows go through HTTP)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.common.events import event_append
from yishiting.common.reconcile import json_digest, text_digest
from yishiting.common.testing import World
from yishiting.deliberation.choices import MeetingForm, MeetingStatus, NextStep, TopicStatus
from yishiting.deliberation.models import AgendaItem, Meeting, ProcessTemplate, Resolution, Topic
from yishiting.deliberation.services.topics import topic_propose
from yishiting.deliberation.tests.votes_world import planned


def resolved_topic(world: World, *, level: str = "C1", scope: str | None = "G1", title: str = "幸福苑3栋楼道照明改造",
                   template: str = "kenli-345", text: str = "更换3栋全部楼道灯为声控LED灯，由物业实施，30日内完成。"
                   ) -> tuple[Topic, Resolution]:
    """A topic whose meeting has formed a resolution sending it to publicity and handling."""
    topic = topic_propose(actor=world.users["community_secretary"], title=title, description="楼道灯长期损坏",
                          level_area=world.areas[level], scope_area=world.areas[scope] if scope else None)
    topic.template = ProcessTemplate.objects.get(code=template)
    now = timezone.now()
    meeting = Meeting.objects.create(
        title=f"{world.areas[level].name}圆桌会", form=MeetingForm.ROUND_TABLE, template=topic.template,
        level_area=topic.level_area, path=topic.path, starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1), chair=world.people["community_secretary"], status=MeetingStatus.CLOSED)
    AgendaItem.objects.create(meeting=meeting, topic=topic, order=1)
    resolution = Resolution.objects.create(topic=topic, meeting=meeting, text=text, next_step=NextStep.PUBLICITY,
                                           created_by=world.users["community_secretary"])
    # The meeting's and the topic's events as their services write them (`yishiting verify` reconciles the rows).
    event_append(subject=meeting, kind="meeting.planned", actor=None, payload=planned(meeting))
    event_append(subject=meeting, kind="meeting.closed", actor=None,
                 payload={"from": MeetingStatus.IN_PROGRESS, "to": MeetingStatus.CLOSED})
    event_append(subject=topic, kind="topic.resolution", actor=None, payload={
        "next_step": NextStep.PUBLICITY, "resolution": resolution.pk, "meeting": meeting.pk,
        "text_sha256": text_digest(text), "reason_sha256": text_digest(""), "votes_sha256": json_digest([])})
    event_append(subject=topic, kind="topic.resolved", actor=None, payload={
        "from": topic.status, "to": TopicStatus.RESOLVED, "meeting": meeting.pk, "resolution": resolution.pk})
    topic.status = TopicStatus.RESOLVED
    topic.save(update_fields=["template", "status"])
    return topic, resolution
