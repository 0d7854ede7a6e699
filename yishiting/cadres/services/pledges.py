"""Writes of the 践诺清单: a cadre publishes a pledge (what, by when, how measured), updates its progress, and
completes it with the result. Each is public at once (the public page reads what is stored)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from ..choices import PledgeStatus
from ..models import Cadre, Pledge, PledgeUpdate, Programme
from ..transitions import PLEDGE_TRANSITIONS
from .common import own_cadre, text

MAX_ACTIVE = 30


@transaction.atomic
def pledge_publish(*, actor, what: str, measure: str, due_on: date, programme: Programme | None = None,
                   cadre: Cadre | None = None) -> Pledge:
    """Publish a pledge of one's own 践诺清单 (event cadres.pledge_published)."""
    cadre = own_cadre(actor, cadre)
    today = timezone.localdate()
    if actor is not None and due_on < today:
        raise DomainError("past_due", gettext("完成时限不能早于今天。"), details={"field": "due_on"})
    if programme is not None and not programme.cadres.filter(pk=cadre.pk).exists():
        raise DomainError("not_enrolled", gettext("您不是这个培训班的学员。"), details={"field": "programme"})
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    if Pledge.objects.filter(cadre=cadre, status=PledgeStatus.ACTIVE).count() >= MAX_ACTIVE:
        raise DomainError("too_many", gettext("践诺中的事项最多 %(max)s 项。") % {"max": MAX_ACTIVE})
    pledge = Pledge.objects.create(cadre=cadre, programme=programme, path=cadre.path, what=text(what, "what", 120),
                                   measure=text(measure, "measure", 200), due_on=due_on, last_update_on=today,
                                   is_overdue=due_on < today)
    event_append(subject=pledge, kind="cadres.pledge_published", actor=actor, new_subject=True,
                 payload={"cadre": cadre.pk, "what": pledge.what, "due_on": due_on})
    return pledge


def _own_active(actor, pledge: Pledge) -> Pledge:
    locked = Pledge.objects.select_for_update().select_related("cadre").get(pk=pledge.pk)
    if actor is not None and own_cadre(actor).pk != locked.cadre_id:
        raise PermissionDeniedError(gettext("只有践诺人本人可以更新。"))
    if locked.status != PledgeStatus.ACTIVE:
        raise DomainError("not_active", gettext("该事项已兑现，不能再更新。"), status=409)
    return locked


@transaction.atomic
def pledge_update(*, actor, pledge: Pledge, progress: int, note: str, on: date | None = None) -> PledgeUpdate:
    """Report progress (0–100 %) with what was done (event cadres.pledge_updated); clears 久未更新."""
    locked = _own_active(actor, pledge)
    if not 0 <= progress <= 100:
        raise DomainError("bad_progress", gettext("进度须在 0 到 100 之间。"), details={"field": "progress"})
    if progress < locked.progress:
        raise DomainError("progress_back", gettext("进度不能低于上次公布的 %(p)s%%。") % {"p": locked.progress},
                          details={"field": "progress"})
    day = on or timezone.localdate()
    update = PledgeUpdate.objects.create(pledge=locked, progress=progress, note=text(note, "note", 300),
                                         updated_on=day)
    locked.progress, locked.last_update_on, locked.is_stale = progress, day, False
    locked.save(update_fields=["progress", "last_update_on", "is_stale"])
    event_append(subject=locked, kind="cadres.pledge_updated", actor=actor,
                 payload={"progress": progress, "update": update.pk})
    pledge.progress, pledge.last_update_on, pledge.is_stale = locked.progress, day, False
    return update


@transaction.atomic
def pledge_complete(*, actor, pledge: Pledge, result: str, on: date | None = None) -> Pledge:
    """The pledge kept (践诺中 → 已兑现, event cadres.pledge_completed), with what came of it; late if after the
    deadline (the overdue flag then stays, so the public page says 逾期兑现)."""
    locked = _own_active(actor, pledge)
    day = on or timezone.localdate()
    return transition(locked, to=PledgeStatus.DONE, actor=actor, table=PLEDGE_TRANSITIONS,
                      kind="cadres.pledge_completed",
                      changes={"progress": 100, "completed_on": day, "result": text(result, "result", 300),
                               "is_overdue": day > locked.due_on, "is_stale": False, "last_update_on": day},
                      payload={"late": day > locked.due_on})
