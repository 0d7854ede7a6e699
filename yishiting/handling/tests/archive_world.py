"""A whole matter ready to archive (test and bench data): a resident's demand with a photo, the topic it became,
its meeting and resolution, publicity, a task reported with a photo and closed with evidence, a closed
evaluation round with ratings. The demand, deliberation and task stages run through their services; the stages
still being written (notices, evaluation) are rows plus the events their services append."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image

from yishiting.common.events import event_append
from yishiting.common.testing import World
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.services.topics import topic_attach, topic_demand_add, topic_transition
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.choices import RoundStatus, Satisfaction, SubjectKind
from yishiting.handling.models import EvaluationRound, Notice, Rating, Task
from yishiting.handling.services.tasks import task_accept, task_assign, task_report, task_submit, task_verify

from .world import resolved_topic


def jpeg(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def _demand_into(world: World, topic: Topic) -> Demand:
    """A resident's demand with a photo, turned into the topic by community staff."""
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="幸福苑3栋楼道灯坏了一个星期，晚上上下楼很黑", area=world.areas["B1"], photos=[jpeg()]))
    Demand.objects.filter(pk=demand.pk).update(topic=topic, status=DemandStatus.TOPIC)
    event_append(subject=demand, kind="demand.topic", actor=world.users["community_staff"],
                 payload={"from": DemandStatus.PENDING, "to": DemandStatus.TOPIC, "nature": "public",
                          "reason": "涉及全楼住户"})
    # what the loop's topic route does (yishiting/loop.py): the topic's event and its stored demand count
    topic_demand_add(actor=world.users["community_staff"], topic=topic, number=demand.number)
    return demand


@transaction.atomic  # the notice and its first event are written together, as the notices service does
def _publicise(world: World, topic: Topic, resolution) -> Notice:
    secretary = world.users["community_secretary"]
    topic_transition(actor=secretary, topic=topic, to=TopicStatus.PUBLICISING)
    today = timezone.localdate()
    notice = Notice.objects.create(topic=topic, resolution=resolution, title=f"关于“{topic.title}”的公示",
                                   decision=resolution.text, starts_on=today, ends_on=today + timedelta(days=7),
                                   status=Notice.Status.COMPLETED, created_by=secretary)
    event_append(subject=notice, kind="notice.published", actor=secretary, new_subject=True,
                 payload={"title": notice.title, "text": f"发布公示“{notice.title}”（5个工作日）",
                          "from": Notice.Status.DRAFT, "to": Notice.Status.PUBLISHED})
    event_append(subject=notice, kind="notice.completed", actor=None,
                 payload={"text": "公示期满，无异议", "from": Notice.Status.PUBLISHED, "to": Notice.Status.COMPLETED})
    topic_transition(actor=secretary, topic=topic, to=TopicStatus.HANDLING)
    return notice


def _handle(world: World, topic: Topic, resolution, reports: int = 1) -> Task:
    task = task_assign(actor=world.users["community_staff"], title="更换3栋楼道声控灯", area=world.areas["B1"],
                       handler=world.people["handler"], subject_kind=SubjectKind.UNIT,
                       organization=world.organizations["agency"], topic=topic, resolution=resolution,
                       deadline=timezone.localdate() + timedelta(days=20))
    handler = world.users["handler"]
    task_accept(actor=handler, task=task)
    for n in range(reports):
        task_report(actor=handler, task=task, text=f"第{n + 1}次进展：已更换{(n + 1) * 2}盏灯",
                    percent=min(100, 30 + n * 10), photos=[(f"进展{n + 1}.jpg", jpeg((30, 120 + n, 200)))])
    task_submit(actor=handler, task=task, evidence="全部灯具已更换并试亮")
    task_verify(actor=world.users["community_staff"], task=task, approve=True)
    return task


def _evaluate(world: World, topic: Topic) -> EvaluationRound:
    """A closed first round with residents' ratings (whatever the evaluation stage did on task close)."""
    today = timezone.localdate()
    round_, created = EvaluationRound.objects.update_or_create(
        topic=topic, number=1, defaults={"status": RoundStatus.CLOSED, "closes_on": today,
                                         "closed_at": timezone.now(), "result": {"satisfaction": "100%"}})
    if created:  # the events the evaluation service writes, so that `yishiting verify` reconciles the rows
        event_append(subject=round_, kind="evaluation.opened", actor=None, payload={"number": 1})
    for persona, value in (("resident", Satisfaction.SATISFIED), ("street_resident", Satisfaction.BASIC)):
        rating, new = Rating.objects.get_or_create(round=round_, person=world.people[persona],
                                                   defaults={"value": value})
        if new:
            event_append(subject=round_, kind="rating.given", actor=None,
                         payload={"rating": rating.pk, "value": value, "reporter": False, "path": topic.path})
    event_append(subject=round_, kind="evaluation.closed", actor=None,
                 payload={"text": "群众评价结束：满意率 100%", "from": RoundStatus.OPEN, "to": RoundStatus.CLOSED,
                          "result": round_.result})
    return round_


def evaluating_topic(world: World, *, reports: int = 1) -> Topic:
    """A topic in `evaluating` with everything a dossier holds; `reports` progress reports lengthen it."""
    topic, resolution = resolved_topic(world)
    _demand_into(world, topic)
    topic_attach(actor=world.users["community_secretary"], topic=topic, name="改造方案.pdf",
                 data=b"%PDF-1.4\n% plan\n")
    _publicise(world, topic, resolution)
    _handle(world, topic, resolution, reports=reports)
    topic.refresh_from_db()
    if topic.status == TopicStatus.HANDLING:  # the evaluation stage may not move it yet
        topic_transition(actor=world.users["community_secretary"], topic=topic, to=TopicStatus.EVALUATING)
    _evaluate(world, topic)
    topic.refresh_from_db()
    return topic
