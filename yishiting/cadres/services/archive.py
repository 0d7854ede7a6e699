"""Writes of the archive itself: a cadre registered, a post or AB岗 rotation added, the 导师库 kept, a mentor
assigned (and rotated off), and the mentor's notes. Each is one transaction with its event."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append

from ..choices import CadreKind, MentorKind, PostKind
from ..models import Cadre, Mentor, MentorNote, Mentorship, PostRecord
from .common import require_office, text, user_of


@transaction.atomic
def cadre_register(*, actor, person: Person, kind: str, area: Area, post: str) -> Cadre:
    """Open a person's 成长档案 in the area they serve (event cadres.registered)."""
    require_office(actor, area)
    if kind not in CadreKind.values:
        raise DomainError("invalid_choice", gettext("干部类别不正确。"), details={"field": "kind"})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # two offices registering at once: one wins
    if Cadre.objects.filter(person=person).exists():
        raise Conflict("already_registered", gettext("此人已有干部成长档案。"))
    cadre = Cadre.objects.create(person=person, kind=kind, area=area, path=area.path, post=text(post, "post", 60),
                                 created_by=user_of(actor))
    event_append(subject=cadre, kind="cadres.registered", actor=actor, new_subject=True,
                 payload={"person": person.pk, "kind": kind, "area": area.pk, "post": cadre.post})
    return cadre


def _period(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("bad_period", gettext("结束日期不能早于开始日期。"), details={"field": "ends_on"})


@transaction.atomic
def post_add(*, actor, cadre: Cadre, kind: str, title: str, area: Area, starts_on: date,
             ends_on: date | None = None) -> PostRecord:
    """A post held, an AB岗 rotation or a 试岗 period in the archive (event cadres.post_added on the cadre)."""
    require_office(actor, cadre)
    if kind not in PostKind.values:
        raise DomainError("invalid_choice", gettext("岗位类型不正确。"), details={"field": "kind"})
    _period(starts_on, ends_on)
    record = PostRecord.objects.create(cadre=cadre, kind=kind, title=text(title, "title", 60), area=area,
                                       starts_on=starts_on, ends_on=ends_on)
    event_append(subject=cadre, kind="cadres.post_added", actor=actor,
                 payload={"post": record.pk, "kind": kind, "title": record.title, "starts_on": starts_on,
                          "ends_on": ends_on})
    return record


@transaction.atomic
def mentor_add(*, actor, person: Person, kind: str, area: Area, specialty: str = "") -> Mentor:
    """Put a person into the area's 导师库 (event cadres.mentor_added)."""
    require_office(actor, area)
    if kind not in MentorKind.values:
        raise DomainError("invalid_choice", gettext("导师类别不正确。"), details={"field": "kind"})
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if Mentor.objects.filter(person=person).exists():
        raise Conflict("already_mentor", gettext("此人已在导师库中。"))
    mentor = Mentor.objects.create(person=person, kind=kind, area=area, path=area.path,
                                   specialty=text(specialty, "specialty", 100, required=False))
    event_append(subject=mentor, kind="cadres.mentor_added", actor=actor, new_subject=True,
                 payload={"person": person.pk, "kind": kind, "area": area.pk})
    return mentor


@transaction.atomic
def mentorship_assign(*, actor, cadre: Cadre, mentor: Mentor, starts_on: date | None = None) -> Mentorship:
    """Assign a mentor from the pool to a cadre (event cadres.mentor_assigned on the cadre)."""
    require_office(actor, cadre)
    if not mentor.is_active:
        raise DomainError("mentor_inactive", gettext("该导师已不在导师库中。"), details={"field": "mentor"})
    if mentor.person_id == cadre.person_id:
        raise DomainError("self_mentor", gettext("不能担任自己的导师。"), details={"field": "mentor"})
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
    if Mentorship.objects.filter(cadre=cadre, mentor=mentor, is_active=True).exists():
        raise Conflict("already_assigned", gettext("该导师已在帮带此人。"))
    ship = Mentorship.objects.create(cadre=cadre, mentor=mentor, starts_on=starts_on or timezone.localdate())
    event_append(subject=cadre, kind="cadres.mentor_assigned", actor=actor,
                 payload={"mentorship": ship.pk, "mentor": mentor.pk, "starts_on": ship.starts_on})
    return ship


@transaction.atomic
def mentorship_end(*, actor, mentorship: Mentorship) -> Mentorship:
    """Rotate a mentor off (导师轮换; event cadres.mentor_ended): their notes stay in the archive."""
    ship = Mentorship.objects.select_for_update().select_related("cadre").get(pk=mentorship.pk)
    require_office(actor, ship.cadre)
    if not ship.is_active:
        return ship
    ship.is_active, ship.ends_on = False, timezone.localdate()
    ship.save(update_fields=["is_active", "ends_on"])
    event_append(subject=ship.cadre, kind="cadres.mentor_ended", actor=actor,
                 payload={"mentorship": ship.pk, "ends_on": ship.ends_on})
    return ship


@transaction.atomic
def mentor_note_add(*, actor, mentorship: Mentorship, note: str) -> MentorNote:
    """The mentor writes what they saw and advised (event cadres.mentor_noted on the cadre)."""
    person = person_of_user(actor) if actor is not None else mentorship.mentor.person
    if person is None or person.pk != mentorship.mentor.person_id or not mentorship.is_active:
        raise PermissionDeniedError(gettext("只有正在帮带的导师本人可以写帮带记录。"))
    record = MentorNote.objects.create(mentorship=mentorship, text=text(note, "note", 1000))
    event_append(subject=mentorship.cadre, kind="cadres.mentor_noted", actor=actor,
                 payload={"mentorship": mentorship.pk, "note": record.pk})
    return record
