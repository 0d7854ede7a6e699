"""双报到 writes: a unit's registration with its co-building agreement, a member's registration with posts and
skills, service records outside the menu and their ratings, and the community's quarterly 考核建议."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.choices import OrganizationKind
from yishiting.areas.models import Area, Organization, Person
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..choices import Grade, ProviderKind, ServicePost
from ..models import Assessment, MemberRegistration, ServiceRecord, UnitRegistration
from ..rules import person_of
from .orders import _hours, community_for, provider_ensure, service_rated

UNIT_KINDS = {OrganizationKind.DUAL_REGISTRATION_UNIT, OrganizationKind.RESIDENT_UNIT,
              OrganizationKind.GOVERNMENT_AGENCY, OrganizationKind.SOCIAL_ORGANIZATION}


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", gettext("请填写此项。"), details={"field": field})
    return value[:limit]


def _community(area: Area) -> Area:
    if area.depth != community_depth():
        raise DomainError("not_a_community", gettext("请选择社区（村）。"), details={"field": "community"})
    return area


@transaction.atomic
def unit_register(*, actor, organization: Organization, community: Area, resources: str, commitments: str,
                  contact_name: str, contact_phone: str, signed_on: date) -> UnitRegistration:
    """A unit reports to a community with its 共建协议; it becomes a provider on the community's menu."""
    community = _community(community)
    if actor is not None and not has_perm(actor, "participation.units", community):
        raise PermissionDeniedError()
    if organization.kind not in UNIT_KINDS or not organization.is_active:
        raise DomainError("not_a_unit", gettext("只有机关、企事业单位和社会组织可以报到。"), details={"field": "organization"})
    if UnitRegistration.objects.filter(organization=organization, community=community, is_active=True).exists():
        raise DomainError("already_registered", gettext("该单位已在本社区报到。"), details={"field": "organization"})
    registration = UnitRegistration.objects.create(
        organization=organization, community=community, path=community.path,
        resources=_text(resources, "resources", 2000), commitments=_text(commitments, "commitments", 2000),
        contact_name=_text(contact_name, "contact_name", 32), contact_phone=_text(contact_phone, "contact_phone", 20),
        signed_on=signed_on)
    kind = ProviderKind.SOCIAL_ORG if organization.kind == OrganizationKind.SOCIAL_ORGANIZATION else ProviderKind.UNIT
    provider_ensure(community=community, kind=kind, organization=organization)
    event_append(subject=registration, kind="unit.registered", actor=actor, new_subject=True,
                 payload={"organization": organization.pk, "community": community.pk, "signed_on": signed_on})
    return registration


def _may_register_for(actor, person: Person, community: Area) -> bool:
    own = person_of(actor)
    if own is not None and own.pk == person.pk:
        return has_perm(actor, "participation.register")
    return has_perm(actor, "participation.units", community)


@transaction.atomic
def member_register(*, actor, person: Person, community: Area, posts: list[str], skills: str = "",
                    unit: Organization | None = None) -> MemberRegistration:
    """An in-service party member reports to the community where they live, or to one their unit has registered
    with, choosing service posts; they become a provider on that community's menu. Reporting again (another
    community) ends the earlier registration: a member reports to one community at a time."""
    community = _community(community)
    if actor is not None and not _may_register_for(actor, person, community):
        raise PermissionDeniedError(gettext("只有在职党员本人或社区工作人员可以办理报到。"))
    home = community_for(person)
    partner = unit is not None and UnitRegistration.objects.filter(organization=unit, community=community,
                                                                   is_active=True).exists()
    if not partner and (home is None or home.pk != community.pk):
        raise DomainError("wrong_community", gettext("请到居住地社区或本单位共建社区报到。"), details={"field": "community"})
    posts = [p for p in dict.fromkeys(posts or []) if p in ServicePost.values]
    if not posts:
        raise DomainError("posts_required", gettext("请至少选择一个服务岗位。"), details={"field": "posts"})
    MemberRegistration.objects.filter(person=person, is_active=True).update(is_active=False)
    registration = MemberRegistration.objects.create(person=person, community=community, path=community.path, unit=unit,
                                                     posts=posts, skills=(skills or "").strip()[:200])
    provider_ensure(community=community, kind=ProviderKind.PARTY_MEMBER, person=person)
    event_append(subject=registration, kind="member.registered", actor=actor, new_subject=True,
                 payload={"community": community.pk, "unit": unit.pk if unit else None, "posts": posts})
    return registration


@transaction.atomic
def service_record_add(*, actor, member: MemberRegistration, what: str, served_on: date, hours,
                       served_person: Person | None = None) -> ServiceRecord:
    """A member's service outside the menu (a patrol, a clean-up), recorded by the member or the office staff;
    the served person (if any) rates it later."""
    own = person_of(actor)
    if actor is not None and not ((own and own.pk == member.person_id) or has_perm(actor, "participation.units", member)):
        raise PermissionDeniedError()
    if served_on > timezone.localdate():
        raise DomainError("future_date", gettext("服务日期不能晚于今天。"), details={"field": "served_on"})
    record = ServiceRecord.objects.create(member=member, community=member.community, path=member.path,
                                          what=_text(what, "what", 100), served_on=served_on, hours=_hours(hours),
                                          served_person=served_person)
    event_append(subject=record, kind="service_record.added", actor=actor, new_subject=True,
                 payload={"member": member.pk, "hours": str(record.hours)})
    return record


@transaction.atomic
def service_record_rate(*, actor, record: ServiceRecord, stars: int) -> ServiceRecord:
    """The served person rates a recorded service once; the member earns (`participation.service_rated`)."""
    locked = ServiceRecord.objects.select_for_update().select_related("member").get(pk=record.pk)
    own = person_of(actor)
    if own is None or locked.served_person_id != own.pk:
        raise PermissionDeniedError(gettext("只有服务对象本人可以评价。"))
    if locked.rating is not None:
        raise DomainError("already_rated", gettext("这次服务已经评价过了。"))
    if stars not in range(1, 6):
        raise DomainError("invalid_rating", gettext("请选择 1 到 5 星。"), details={"field": "stars"})
    locked.rating = stars
    locked.save(update_fields=["rating"])
    service_rated(subject=locked, actor=actor, area=locked.community_id, person_id=locked.member.person_id,
                  hours=locked.hours, rating=stars)
    return locked


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    if quarter not in range(1, 5) or not 2000 <= year <= 2100:
        raise DomainError("invalid_quarter", gettext("季度不正确。"), details={"field": "quarter"})
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


@transaction.atomic
def assessment_write(*, actor, year: int, quarter: int, grade: str, reasons: str,
                     unit: UnitRegistration | None = None, member: MemberRegistration | None = None) -> Assessment:
    """考核建议: the community's office grades a unit or a member for a quarter (好/较好/一般/差) with reasons;
    a second write in the same quarter replaces the first. Not before the quarter has begun."""
    subject = unit or member
    if subject is None or (unit is not None and member is not None):
        raise ValueError("assessment_write: a unit or a member")
    if actor is not None and not has_perm(actor, "participation.assess", subject):
        raise PermissionDeniedError(gettext("只有报到社区的工作人员可以填写考核建议。"))
    first, _ = quarter_bounds(year, quarter)
    if first > timezone.localdate():
        raise DomainError("future_quarter", gettext("该季度还没有开始。"), details={"field": "quarter"})
    if grade not in Grade.values:
        raise DomainError("invalid_choice", gettext("请选择考核建议。"), details={"field": "grade"})
    found = Assessment.objects.select_for_update().filter(year=year, quarter=quarter, unit=unit, member=member).first()
    assessment = found or Assessment(year=year, quarter=quarter, unit=unit, member=member,
                                     community=subject.community, path=subject.path)
    assessment.grade, assessment.reasons = grade, _text(reasons, "reasons", 500)
    assessment.assessed_by = person_of(actor)
    assessment.save()
    event_append(subject=assessment, kind="assessment.written", actor=actor, new_subject=found is None,
                 payload={"grade": grade, "year": year, "quarter": quarter})
    return assessment


def hours_total(records) -> Decimal:
    return sum((r.hours for r in records), Decimal(0))
