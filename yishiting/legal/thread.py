"""A consultation's thread as one viewer reads it. The asker is "我" to themselves, masked (张*) to the lawyers,
adviser and staff who may know who asked, and simply "居民" to everyone else — whose copy of the text also has
phone and ID numbers and the asker's name masked (docs/masking.md). Lawyers answer in a public capacity: named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from yishiting.common.masking import mask_free_text, mask_name, official_label

from .choices import MessageKind
from .models import Consultation
from .rules import is_asker, sees_asker


@dataclass
class ThreadRow:
    kind: str
    kind_label: str
    who: str
    text: str
    at: datetime
    from_asker: bool


def asker_label(user, consultation: Consultation) -> str:
    if is_asker(user, consultation):
        return gettext("我")
    if sees_asker(user, consultation):
        return gettext("居民 %(name)s（%(community)s）") % {"name": mask_name(consultation.asker.name),
                                                        "community": consultation.community.name}
    return gettext("居民")


def shown_text(user, consultation: Consultation, text: str) -> str:
    """As typed for the asker; numbers masked for lawyers and staff; numbers and the asker's name for others."""
    if is_asker(user, consultation):
        return text
    names = [] if sees_asker(user, consultation) else [consultation.asker.name]
    return mask_free_text(text, names=names)


def thread_rows(user, consultation: Consultation) -> list[ThreadRow]:
    who_asked = asker_label(user, consultation)
    rows = []
    for m in consultation.messages.select_related("expert__person").all():
        answer = m.kind == MessageKind.ANSWER
        who = official_label(m.expert.title or gettext("律师"), m.expert.person.name) if answer and m.expert else who_asked
        rows.append(ThreadRow(kind=m.kind, kind_label=m.get_kind_display(), who=who,
                              text=m.text if answer else shown_text(user, consultation, m.text), at=m.created_at,
                              from_asker=not answer))
    return rows
