"""Supervision (督): the group per topic (party organisation, stakeholders, implementer), the records of the four
kinds (督走访、督办理、督回访、督满意度) and the public progress bulletin (进度通报). Automatic warnings are in
yishiting/handling/warnings.py (run by `yishiting tick`)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.handling.records_language import site_text
from yishiting.notifications.services import notify, notify_many

from .. import rules  # noqa: F401  (registers handling.* even before the app config does)
from ..choices import MemberRole, SupervisionKind
from ..models import Bulletin, SupervisionMember, SupervisionRecord, Task
from .tasks import required_text

# A topic is supervised from its publicity until it is archived.
SUPERVISED = {TopicStatus.PUBLICISING, TopicStatus.HANDLING, TopicStatus.EVALUATING}


def _require_supervise(actor, obj) -> None:
    if not has_perm(actor, "handling.supervise", obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、网格长、街道和区级干部可以督办。"))


def _check_open(topic: Topic) -> None:
    if topic.status not in SUPERVISED:
        raise Conflict("topic_not_supervised", _("议题%(status)s，不在公示、办理或评价阶段，不能督办。") % {"status": topic.get_status_display()})


def _member_link(person: Person, topic: Topic) -> str:
    """Where the new member's notice leads: the group's page if they may open it, else the topic's public progress
    if they may see that (a unit's handler who works one of its tasks), else nowhere (a link that answers 404 is
    worse than none)."""
    from ..rules import may_view_progress, may_view_topic

    user = person.user
    if user is None:
        return ""
    if has_perm(user, "handling.view") and may_view_topic(user, topic.pk):
        return f"/topics/{topic.pk}/supervision/"
    return f"/topics/{topic.pk}/progress/" if may_view_progress(user, topic.pk) else ""


@transaction.atomic
def supervision_member_add(*, actor, topic: Topic, person: Person, role: str) -> SupervisionMember:
    """Add a person to the topic's supervision group (once per person), event supervision.member_added."""
    _require_supervise(actor, topic)
    if role not in MemberRole.values:
        raise DomainError("invalid_choice", _("请选择成员身份（党组织、利益相关方或实施方）。"), details={"field": "role"})
    if person is None:
        raise DomainError("required", _("请选择成员。"), details={"field": "person"})
    try:
        with transaction.atomic():
            member = SupervisionMember.objects.create(topic=topic, person=person, role=role)
    except IntegrityError:
        raise Conflict("already_member", _("此人已在监督小组中。")) from None
    event_append(subject=topic, kind="supervision.member_added", actor=actor,
                 payload={"member": member.pk, "role": role, "person": person.pk})
    notify(person=person, subject=topic, link=_member_link(person, topic),
           text=site_text(gettext_noop("您已加入议题“%(title)s”的监督小组（%(get_role_display)s）。"), title=topic.title[:40], get_role_display=MemberRole(member.role).label))
    return member


@transaction.atomic
def supervision_member_remove(*, actor, member: SupervisionMember) -> None:
    """Take a person out of the group, event supervision.member_removed (the record stays in the log)."""
    _require_supervise(actor, member.topic)
    topic, role = member.topic, member.role
    deleted, _rows = SupervisionMember.objects.filter(pk=member.pk).delete()
    if deleted:  # a retry of a removal already done changes nothing
        event_append(subject=topic, kind="supervision.member_removed", actor=actor,
                     payload={"member": member.pk, "role": role})


def _subject(topic: Topic | None, task: Task | None) -> Topic | Task:
    if task is not None and topic is not None and task.topic_id != topic.pk:
        raise DomainError("invalid_task", _("任务不属于该议题。"), details={"field": "task"})
    if task is None and topic is None:
        raise DomainError("required", _("督办记录须针对一个议题或一项任务。"), details={"field": "topic"})
    return task if task is not None else topic


@transaction.atomic
def supervision_record(*, actor, kind: str, text: str, happened_on: date | None, topic: Topic | None = None,
                       task: Task | None = None) -> SupervisionRecord:
    """Record a 督走访 / 督办理 / 督回访 / 督满意度 on a topic or a task, event supervision.recorded."""
    subject = _subject(topic, task)
    _require_supervise(actor, subject)
    if task is not None and task.topic_id:
        topic = task.topic
    if topic is not None:
        _check_open(topic)
    if kind not in SupervisionKind.values:
        raise DomainError("invalid_choice", _("请选择督办类别。"), details={"field": "kind"})
    text = required_text(text, "text", _("请填写督办情况。"))
    if happened_on is None or happened_on > timezone.localdate():
        raise DomainError("invalid_date", _("请填写督办日期（不能晚于今天）。"), details={"field": "happened_on"})
    supervisor = person_for_user(actor)
    if supervisor is None:
        raise PermissionDeniedError(_("督办人须是登记在册的人员。"))
    record = SupervisionRecord.objects.create(topic=topic, task=task, kind=kind, text=text, supervisor=supervisor,
                                              happened_on=happened_on, created_by=actor)
    event_append(subject=subject, kind="supervision.recorded", actor=actor, payload={
        "record": record.pk, "kind": kind, "happened_on": happened_on.isoformat(), "text": text[:500],
        "supervisor": supervisor.pk})
    if task is not None and task.handler_id != supervisor.pk:
        notify(person=task.handler, subject=task, link=f"/tasks/{task.pk}/",
               text=site_text(gettext_noop("任务“%(title)s”有新的%(get_kind_display)s记录：%(text)s"), title=task.title[:40], get_kind_display=SupervisionKind(record.kind).label, text=text[:80]))
    return record


@transaction.atomic
def bulletin_post(*, actor, topic: Topic, text: str) -> Bulletin:
    """A public progress bulletin on the topic, event bulletin.posted; the supervision group is told."""
    _require_supervise(actor, topic)
    _check_open(topic)
    text = required_text(text, "text", _("请填写通报内容。"))
    bulletin = Bulletin.objects.create(topic=topic, text=text, created_by=actor)
    event_append(subject=topic, kind="bulletin.posted", actor=actor, payload={"bulletin": bulletin.pk,
                                                                             "text": text[:500]})
    poster = person_for_user(actor)
    notify_many(people=(m.person for m in topic.supervisors.select_related("person").exclude(person=poster)),
                subject=topic, link=f"/topics/{topic.pk}/progress/", sms=False,
                text=site_text(gettext_noop("议题“%(title)s”发布了进度通报。"), title=topic.title[:40]))
    return bulletin
