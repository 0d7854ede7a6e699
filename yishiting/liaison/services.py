"""Writes of the liaison app, each one transaction with its event: a 挂点 link set up and revoked; a deputy's
contact record, a matter added to it, and a matter turned into a demand through the demand intake service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Area, Person, RoleAssignment
from yishiting.areas.selectors import community_depth, person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.demands.choices import Channel
from yishiting.demands.models import Demand
from yishiting.demands.services import Submission, demand_submit

from .choices import ContactMethod, DeputyKind, LeaderLevel
from .models import ContactRecord, LiaisonLink, RaisedMatter

MAX_MATTERS = 20
MAX_PEOPLE = 10000


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", gettext("请填写此项。"), details={"field": field})
    if len(value) > limit:
        raise DomainError("too_long", gettext("不能超过 %(limit)s 字。") % {"limit": limit}, details={"field": field})
    return value


def leader_level(person: Person) -> str | None:
    """District if the person holds an active district official role, street if a street one, else None."""
    roles = set(RoleAssignment.objects.filter(person=person, is_active=True,
                                              role__in=[Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL])
                .values_list("role", flat=True))
    if Role.DISTRICT_OFFICIAL in roles:
        return LeaderLevel.DISTRICT
    return LeaderLevel.STREET if roles else None


def _check_period(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("bad_period", gettext("结束日期不能早于开始日期。"), details={"field": "ends_on"})


@transaction.atomic
def link_create(*, actor, leader: Person, community: Area, starts_on: date, ends_on: date | None = None,
                note: str = "") -> LiaisonLink:
    """Link a district or street leader to a community for a period (event liaison.linked)."""
    if community.depth != community_depth():
        raise DomainError("not_a_community", gettext("请选择社区（村）。"), details={"field": "community"})
    if actor is not None and not has_perm(actor, "liaison.links_manage", community):
        raise PermissionDeniedError(gettext("只有区、街道干部可以在本辖区设立挂点联系。"))
    level = leader_level(leader)
    if level is None:
        raise DomainError("not_a_leader", gettext("挂点领导须是区级或街道干部。"), details={"field": "leader"})
    _check_period(starts_on, ends_on)
    # The leader's row is the lock: two requests for the same link at once wait for each other, and the second
    # finds the first's link (the unique constraint alone would answer it with an IntegrityError).
    Person.objects.select_for_update().filter(pk=leader.pk).first()
    if LiaisonLink.objects.filter(leader=leader, community=community, is_active=True).exists():
        raise Conflict("already_linked", gettext("该领导已挂点联系这个社区。"))
    link = LiaisonLink.objects.create(leader=leader, level=level, community=community, path=community.path,
                                      starts_on=starts_on, ends_on=ends_on, note=_text(note, "note", 200, required=False),
                                      created_by=actor if getattr(actor, "pk", None) else None)
    event_append(subject=link, kind="liaison.linked", actor=actor, new_subject=True,
                 payload={"leader": leader.pk, "community": community.pk, "level": level,
                          "starts_on": starts_on, "ends_on": ends_on})
    return link


@transaction.atomic
def link_end(*, actor, link: LiaisonLink, reason: str = "") -> LiaisonLink:
    """Revoke a link at once (event liaison.ended): the leader no longer reads the community through it."""
    link = LiaisonLink.objects.select_for_update().get(pk=link.pk)
    if actor is not None and not has_perm(actor, "liaison.links_manage", link):
        raise PermissionDeniedError(gettext("只有区、街道干部可以撤销本辖区的挂点联系。"))
    if not link.is_active:
        return link  # a retry of the same revocation
    return _end(link, actor, {"reason": _text(reason, "reason", 200, required=False)})


def _end(link: LiaisonLink, actor, payload: dict) -> LiaisonLink:
    today = timezone.localdate()
    link.is_active = False
    link.ends_on = min(link.ends_on or today, today)
    link.starts_on = min(link.starts_on, link.ends_on)
    link.save(update_fields=["is_active", "ends_on", "starts_on"])
    event_append(subject=link, kind="liaison.ended", actor=actor, payload={**payload, "ends_on": link.ends_on})
    return link


def links_end_with_role(*, assignment: RoleAssignment, actor) -> None:
    """A leader's 挂点 links end when the role that qualified them ends (areas.role_revoke calls this): a street
    link needs a street or district official's role still held, a district link a district one. Event
    liaison.ended (reason: the role ended); the grant stops at once (the links' cache watches the rows)."""
    if assignment.role not in (Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL):
        return
    level = leader_level(assignment.person)
    ended = [LeaderLevel.DISTRICT, LeaderLevel.STREET] if level is None else (
        [LeaderLevel.DISTRICT] if level == LeaderLevel.STREET else [])
    for link in LiaisonLink.objects.select_for_update().filter(leader_id=assignment.person_id, is_active=True,
                                                               level__in=ended).order_by("pk"):
        _end(link, actor, {"reason": "挂点领导的职务已结束", "role": assignment.role,  # zh-only: kept in the record
                           "role_assignment": assignment.pk})


def _deputy_of(actor, deputy: Person | None) -> Person:
    """The signed-in deputy; with no actor (imports, the demo) the deputy named."""
    person = person_of_user(actor) if actor is not None else deputy
    if person is None or not RoleAssignment.objects.filter(person=person, role=Role.DEPUTY, is_active=True).exists():
        raise PermissionDeniedError(gettext("只有党代表、人大代表、政协委员可以记录联系群众。"))
    return person


def _check_record_fields(area: Area, held_on: date, method: str, deputy_kind: str, people_count: int) -> None:
    if area.depth < community_depth():
        raise DomainError("not_in_community", gettext("请选择社区（村）或其下的地点。"), details={"field": "area"})
    if held_on > timezone.localdate():
        raise DomainError("future_date", gettext("联系日期不能晚于今天。"), details={"field": "held_on"})
    if method not in ContactMethod.values:
        raise DomainError("invalid_choice", gettext("联系方式不正确。"), details={"field": "method"})
    if deputy_kind not in DeputyKind.values:
        raise DomainError("invalid_choice", gettext("代表类别不正确。"), details={"field": "deputy_kind"})
    if not 1 <= people_count <= MAX_PEOPLE:
        raise DomainError("bad_count", gettext("联系群众人数须在 1 到 %(max)s 之间。") % {"max": MAX_PEOPLE},
                          details={"field": "people_count"})


@transaction.atomic
def record_create(*, actor, area: Area, held_on: date, place: str, method: str, deputy_kind: str,
                  people_count: int, summary: str = "", matters: Iterable[str] = (),
                  people: Iterable[Person] = (), deputy: Person | None = None) -> ContactRecord:
    """A deputy records a contact with residents and the matters raised (event liaison.contact_recorded)."""
    deputy = _deputy_of(actor, deputy)
    if actor is not None and not has_perm(actor, "liaison.record", area):
        raise PermissionDeniedError(gettext("该地点不在您联系群众的范围内。"))
    _check_record_fields(area, held_on, method, deputy_kind, people_count)
    texts = [t for t in (_text(m, "matters", 500, required=False) for m in matters) if t]
    if len(texts) > MAX_MATTERS:
        raise DomainError("too_many", gettext("一次最多记录 %(max)s 个事项。") % {"max": MAX_MATTERS},
                          details={"field": "matters"})
    record = ContactRecord.objects.create(
        deputy=deputy, deputy_kind=deputy_kind, area=area, path=area.path, held_on=held_on,
        place=_text(place, "place", 100), method=method, people_count=people_count,
        summary=_text(summary, "summary", 2000, required=False),
        created_by=actor if getattr(actor, "pk", None) else None)
    met = [p for p in people if p.path.startswith(area.path[: community_depth() * PATH_STEP])]
    record.people.set(met)
    RaisedMatter.objects.bulk_create([RaisedMatter(record=record, text=t) for t in texts])
    event_append(subject=record, kind="liaison.contact_recorded", actor=actor, new_subject=True,
                 payload={"area": area.pk, "held_on": held_on, "method": method, "people_count": people_count,
                          "people": [p.pk for p in met], "matters": len(texts)})
    return record


def _check_author(actor, record: ContactRecord) -> None:
    person = person_of_user(actor)
    if person is None or person.pk != record.deputy_id:
        raise PermissionDeniedError(gettext("只有记录这次联系的代表本人可以操作。"))


@transaction.atomic
def matter_add(*, actor, record: ContactRecord, text: str) -> RaisedMatter:
    """Add a matter raised at the contact (event liaison.matter_added on the record)."""
    _check_author(actor, record)
    if record.matters.count() >= MAX_MATTERS:
        raise DomainError("too_many", gettext("一次最多记录 %(max)s 个事项。") % {"max": MAX_MATTERS},
                          details={"field": "text"})
    matter = RaisedMatter.objects.create(record=record, text=_text(text, "text", 500))
    event_append(subject=record, kind="liaison.matter_added", actor=actor, payload={"matter": matter.pk})
    return matter


@transaction.atomic
def matter_to_demand(*, actor, matter: RaisedMatter) -> Demand:
    """Turn a raised matter into a demand in one tap: submitted by the deputy through the intake service (channel
    在职党员/两代表一委员进社区), linked to the matter (event liaison.matter_raised). Tapping again — or two taps at
    once: the matter's row is locked — hands back the same demand."""
    matter = RaisedMatter.objects.select_for_update().select_related("record__area").get(pk=matter.pk)
    _check_author(actor, matter.record)
    if matter.demand_id is not None:
        return Demand.objects.get(pk=matter.demand_id)
    record = matter.record
    # The demand's text is stored data, in the community's language whatever the deputy's screen shows.
    text = f"【代表联系群众】{matter.text}（{record.held_on.isoformat()} {record.place}）"  # zh-only: stored text
    demand = demand_submit(actor=actor, submission=Submission(text=text, area=record.area,
                                                              channel=Channel.MEMBER_VISIT))
    matter.demand = demand
    matter.save(update_fields=["demand"])
    event_append(subject=record, kind="liaison.matter_raised", actor=actor,
                 payload={"matter": matter.pk, "demand": demand.pk, "number": demand.number})
    return demand
