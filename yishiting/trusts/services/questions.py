"""Owners' questions on a ledger line: asked by a verified owner of the estate, told to both sides, answered
once by an authorised person of either side; question and answer stay with the line for every owner to read."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.notifications.services import notify

from ..models import Entry, Question
from ..rules import may_ask, side_of
from .dual import tell_signatories as _tell_signatories
from .ledger import person_of


@transaction.atomic
def question_ask(*, actor, entry: Entry, text: str) -> Question:
    """Event trust_question.asked; both sides' authorised persons are told."""
    if not may_ask(actor, entry.fund):
        raise PermissionDeniedError(gettext("只有本小区已认证的业主可以对账目提问。"))
    text = (text or "").strip()[:500]
    if not text:
        raise DomainError("text_required", gettext("请写下您的问题。"), details={"field": "text"})
    question = Question.objects.create(entry=entry, path=entry.path, asked_by=person_of(actor), text=text)
    event_append(subject=question, kind="trust_question.asked", actor=actor, new_subject=True,
                 payload={"entry": entry.pk})
    _tell_signatories(entry.fund, gettext("业主对第 %(seq)s 笔账目提问：%(text)s") % {"seq": entry.seq, "text": text[:60]},
                      reverse("web:trust_entry", args=[entry.pk]), question)
    return question


@transaction.atomic
def question_answer(*, actor, question: Question, text: str) -> Question:
    """Event trust_question.answered; the owner who asked is told. One answer per question."""
    side = side_of(actor, question.entry.fund)
    if side is None:
        raise PermissionDeniedError(gettext("只有业委会和物业公司的授权人可以答复。"))
    text = (text or "").strip()[:1000]
    if not text:
        raise DomainError("text_required", gettext("请写下答复。"), details={"field": "text"})
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.answered_at is not None:
        raise Conflict("already_answered", gettext("该问题已答复。"))
    locked.answer, locked.answered_by, locked.answered_side = text, person_of(actor), side
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_side", "answered_at"])
    event_append(subject=locked, kind="trust_question.answered", actor=actor, payload={"side": side})
    notify(person=locked.asked_by, text=gettext("您对账目的提问已有答复。"),
           link=reverse("web:trust_entry", args=[locked.entry_id]), subject=locked)
    return locked
