"""走访征求意见 (南昌 幸福圆桌会): before the round table, members of the 民情理事会 visit households and record
what each said; the template's `min_consultations` must be reached before the meeting is planned
(services.locality.plan_problems)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Household, RoleAssignment
from yishiting.areas.selectors import person_for_user
from yishiting.bodies.selectors import current_seat_people
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.reconcile import text_digest

from ..models import Consultation, Topic
from ..transitions import MERGEABLE

MAX_SAID = 1000
OLDEST_DAYS = 90  # a visit older than a season is not a consultation on today's topic

# Who visits households where no 民情理事会 is registered yet: the grid and community staff and the party chain of
# the area (where one is, its members: may_record_consultation).
PEOPLE_COUNCIL = "people_council"  # the 民情理事会 body kind (bodies migration 0002)
CONSULTATION_ROLES = frozenset({
    Role.GRID_WORKER, Role.GRID_LEADER, Role.SECTOR_HEAD, Role.ZONE_HEAD, Role.BUILDING_HEAD, Role.UNIT_HEAD,
    Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.ESTATE_BRANCH_SECRETARY, Role.GRID_PARTY_GROUP_LEADER,
    Role.BUILDING_PARTY_GROUP_LEADER, Role.RED_BUILDING_HEAD, Role.CENTRAL_HOUSEHOLD,
})


def may_record_consultation(user, topic: Topic) -> bool:
    """The one predicate for "may this person record a household consultation on this topic". Where the topic's
    place has a standing 民情理事会 (bodies, issue 20), its current members do (Nanchang: the council's members
    visit the households before the 幸福圆桌会); where none is registered yet, a role in CONSULTATION_ROLES held at
    the topic's area, above it or under it."""
    if getattr(user, "is_superuser", False):
        return True
    person = person_for_user(user)
    if person is None:
        return False
    councils = _councils_over(topic)
    if councils:
        return any(person.pk in {p.pk for p in current_seat_people(body)} for body in councils)
    paths = RoleAssignment.objects.filter(person=person, role__in=CONSULTATION_ROLES, is_active=True)\
        .values_list("path", flat=True)
    return any(path.startswith(topic.path) or topic.path.startswith(path) for path in paths)


def _councils_over(topic: Topic) -> list:
    """The active 民情理事会 bodies at the topic's area or above it."""
    from yishiting.bodies.models import Body

    ancestors = [topic.path[:end] for end in range(PATH_STEP, len(topic.path) + 1, PATH_STEP)]
    return list(Body.objects.filter(kind__code=PEOPLE_COUNCIL, is_active=True, path__in=ancestors))


def _clean(topic: Topic, household: Household, visited_on: date, said: str) -> str:
    if not household.path.startswith(topic.opinion_path):
        raise DomainError("out_of_scope", _("该住户不在议题涉及范围内。"), details={"field": "household_id"})
    today = timezone.localdate()
    if visited_on > today or visited_on < today - timedelta(days=OLDEST_DAYS):
        raise DomainError("invalid_date", _("走访日期应在今天及之前 %(n)s 天内。") % {"n": OLDEST_DAYS},
                          details={"field": "visited_on"})
    said = (said or "").strip()
    if not said:
        raise DomainError("required", _("请记录住户说了什么。"), details={"field": "said"})
    if len(said) > MAX_SAID:
        raise DomainError("too_long", _("住户意见不能超过 %(n)s 字。") % {"n": MAX_SAID}, details={"field": "said"})
    return mask_free_text(said)


@transaction.atomic
def consultation_record(*, actor, topic: Topic, household: Household, visited_on: date, said: str) -> Consultation:
    """Record one household's consultation on a topic being prepared; event consultation.recorded on the topic.
    One per household: the same record sent again (a retry) returns the first, a different one is a Conflict."""
    if not may_record_consultation(actor, topic):
        raise PermissionDeniedError(_("只有本区域民情理事会的成员（网格员、社区工作人员和党组织的同志）可以记录走访征求意见。"))
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status not in MERGEABLE:
        raise Conflict("invalid_state", _("议题已%(status)s，会前走访已结束。") % {"status": locked.get_status_display()})
    said = _clean(locked, household, visited_on, said)
    existing = Consultation.objects.filter(topic=locked, household=household).first()
    if existing is not None:
        if (existing.visited_on, existing.said) == (visited_on, said):
            return existing
        raise Conflict("already_consulted", _("已记录过该住户的走访意见（%(day)s）。") % {"day": existing.visited_on})
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(topic=locked, household=household, visited_on=visited_on,
                                                       said=said, visitor=person_for_user(actor), recorded_by=actor)
    except IntegrityError:
        raise Conflict("already_consulted", _("已记录过该住户的走访意见。")) from None
    event_append(subject=locked, kind="consultation.recorded", actor=actor, payload={
        "consultation": consultation.pk, "household": household.pk, "visited_on": visited_on,
        "said_sha256": text_digest(said)})
    return consultation
