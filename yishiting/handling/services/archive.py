"""Archive (备): seal a finished matter as one dossier (一事一档).

`dossier_archive` moves a topic evaluating → archived (docs/states/topic.md) and stores its dossier;
`dossier_archive_task` seals a closed direct-handling task (no status change: the task is already 已销号).
Either way the dossier's content is hashed, `chain_head` keeps the hash of the matter's last event, and every
subject of the matter is sealed: from then on the database refuses any new event on it (migration 0003), so no
service of any stage can change an archived matter, however it is called.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.common.errors import Conflict, PermissionDeniedError
from yishiting.common.events import event_append, subject_of
from yishiting.common.jobs import job_enqueue
from yishiting.common.models import EventHead
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.services.topics import topic_transition
from yishiting.handling.records_language import site_text

from ..choices import RoundStatus, TaskStatus
from ..dossier import archivist_label, content_hash, dossier_assemble
from ..models import Dossier, EvaluationRound, Task
from ..models.archive import SealedSubject
from ..rules import ARCHIVE_MANAGE
from ..transitions import OPEN_TASK

NUMBER_ATTEMPTS = 5


def _require_archive(actor, obj) -> None:
    if not has_perm(actor, ARCHIVE_MANAGE.name, obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以归档。"))


def _check_topic_ready(topic: Topic) -> None:
    if Dossier.objects.filter(topic=topic).exists():
        raise Conflict("already_archived", _("该议题已经归档，不能重复归档。"))
    if topic.status != TopicStatus.EVALUATING:
        raise Conflict("not_ready", _("议题当前为“%(status)s”，评价结束后才能归档。") % {"status": topic.get_status_display()})
    last = EvaluationRound.objects.filter(topic=topic).order_by("-number").first()
    if last is None or last.status != RoundStatus.CLOSED:
        raise Conflict("evaluation_open", _("群众评价尚未结束，不能归档。"))
    if last.reopened:
        raise Conflict("reopened", _("评价结果为重办，须重新办理和评价后才能归档。"))
    if Task.objects.filter(topic=topic, status__in=OPEN_TASK).exists():
        raise Conflict("tasks_open", _("还有未销号的办理任务，不能归档。"))


@transaction.atomic
def dossier_archive(*, actor, topic: Topic) -> Dossier:
    """Archive a topic whose last evaluation round has closed (not reopened) and whose tasks are all closed:
    topic evaluating → archived, then the dossier is stored and the matter sealed. A second call is a Conflict."""
    _require_archive(actor, topic)
    locked = Topic.objects.select_for_update().select_related("level_area").get(pk=topic.pk)
    _check_topic_ready(locked)
    topic_transition(actor=actor, topic=locked, to=TopicStatus.ARCHIVED, kind="topic.archived")
    dossier = _store(actor, content=dossier_assemble(topic=locked), subject=locked, area=locked.level_area,
                     fields={"topic": locked})
    topic.status = locked.status
    return dossier


@transaction.atomic
def dossier_archive_task(*, actor, task: Task) -> Dossier:
    """Archive a closed direct-handling task (a demand's matter without a topic). No status change."""
    _require_archive(actor, task)
    locked = Task.objects.select_for_update().select_related("area").get(pk=task.pk)
    if Dossier.objects.filter(task=locked).exists():
        raise Conflict("already_archived", _("该任务已经归档，不能重复归档。"))
    if locked.topic_id:
        raise Conflict("archive_with_topic", _("议题的任务随议题一并归档。"))
    if locked.status != TaskStatus.CLOSED:
        raise Conflict("not_ready", _("任务当前为“%(status)s”，销号后才能归档。") % {"status": locked.get_status_display()})
    return _store(actor, content=dossier_assemble(task=locked), subject=locked, area=locked.area,
                  fields={"task": locked})


def dossier_store(*, actor, content: dict[str, Any], subject, area, fields: dict[str, Any]) -> Dossier:
    """Store and seal a dossier another domain assembled (a mediation case: mediation.services.closing), the
    same way as a topic's: numbered, hashed, its chain head kept, every subject in `content["subjects"]` sealed.
    The caller has checked who may archive and performed its own status change first."""
    return _store(actor, content=content, subject=subject, area=area, fields=fields)


def _store(actor, *, content: dict[str, Any], subject, area, fields: dict[str, Any]) -> Dossier:
    subject_type, subject_id = subject_of(subject)
    head = EventHead.objects.get(subject_type=subject_type, subject_id=subject_id)
    now = timezone.now()
    year = timezone.localdate(now).year
    content = {**content, "archived_at": now.isoformat(), "archived_by": archivist_label(actor), "chain_head": head.hash}
    dossier = _create_numbered(year, content=content, area=area, actor=actor, chain_head=head.hash, fields=fields)
    SealedSubject.objects.bulk_create([
        SealedSubject(dossier=dossier, subject_type=kind, subject_id=pk)
        for kind, ids in content["subjects"].items() for pk in ids])
    event_append(subject=dossier, kind="dossier.archived", actor=actor, new_subject=True,
                 payload={"number": dossier.number, "content_sha256": dossier.content_sha256,
                          "chain_head": head.hash, "subject": [subject_type, subject_id]})
    # The PDF and DOCX, rendered once in the background and kept (handling/jobs.py); recorded with the archive.
    job_enqueue("handling.dossier_files", key=f"dossier_files:{dossier.pk}", dossier_id=dossier.pk)
    return dossier


def _create_numbered(year: int, *, content: dict[str, Any], area, actor, chain_head: str,
                     fields: dict[str, Any]) -> Dossier:
    """档-2026-000001, counted per year. Two archives at once may pick the same number: the unique constraint
    refuses the second, which takes the next one (inside a savepoint, so the transaction goes on)."""
    for _attempt in range(NUMBER_ATTEMPTS):
        number = _next_number(year)
        sealed = {**content, "number": number}
        try:
            with transaction.atomic():
                return Dossier.objects.create(
                    number=number, title=content["title"], area=area, path=area.path,
                    category=content["category"], year=year, search_text=_search_text(sealed),
                    content=sealed, content_sha256=content_hash(sealed), chain_head=chain_head,
                    archived_by=actor, **fields)
        except IntegrityError:
            continue
    raise Conflict("busy", _("同时归档的事项较多，请稍后重试。"))


def _next_number(year: int) -> str:
    prefix = site_text(gettext_noop("档-%(year)s-"), year=year)
    last = (Dossier.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:06d}"


def _search_text(content: dict[str, Any]) -> str:
    """Title, number, place, category, demand numbers and every line of the record: what a search matches."""
    lines = [content["number"], content["title"], content["area"]["name"], content["category"],
             *(d["number"] for d in content["demands"]), *(d["text"] for d in content["demands"]),
             *(r["text"] for r in content["resolutions"]),
             *(e["what"] for stage in content["stages"] for e in stage["entries"])]
    return "\n".join(line for line in lines if line)
