"""Committees (人民调解委员会) and their members: set up by the office staff of the area (or an admin)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yishiting.areas.models import Area, Person
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..choices import MemberKind
from ..models import CommitteeMember, DisputeType, MediationCommittee, MediationTemplate
from ..rules import may_manage_committees
from .base import text


def _require(actor, area: Area) -> None:
    if not may_manage_committees(actor, area):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以维护人民调解委员会。"))


@transaction.atomic
def committee_create(*, actor, area: Area, name: str = "") -> MediationCommittee:
    """One committee per area (a community's, a street's). Event committee.created."""
    _require(actor, area)
    name = text(name or f"{area.name}人民调解委员会", "name", limit=100)  # zh-only
    try:
        with transaction.atomic():
            committee = MediationCommittee.objects.create(area=area, name=name)
    except IntegrityError:
        raise Conflict("committee_exists", _("该区域已有人民调解委员会。")) from None
    event_append(subject=committee, kind="committee.created", actor=actor, new_subject=True,
                 payload={"area": area.code})
    return committee


@transaction.atomic
def committee_member_add(*, actor, committee: MediationCommittee, person: Person,
                         kind: str = MemberKind.MEDIATOR, joined_on: date | None = None) -> CommitteeMember:
    """Add (or bring back) a member: 法治明白人, the community's legal adviser, a retired party member, an
    expert from the pool … Event committee.member_added."""
    _require(actor, committee.area)
    if kind not in MemberKind.values:
        raise DomainError("invalid_choice", _("请选择成员身份。"), details={"field": "kind"})
    member, created = CommitteeMember.objects.get_or_create(committee=committee, person=person,
                                                            defaults={"kind": kind, "joined_on": joined_on})
    if not created:
        if member.is_active:
            raise Conflict("already_member", _("此人已是该调解委员会的成员。"))
        member.is_active, member.kind = True, kind
        member.save(update_fields=["is_active", "kind"])
    event_append(subject=committee, kind="committee.member_added", actor=actor,
                 payload={"member": member.pk, "person": person.pk, "kind": kind})
    return member


@transaction.atomic
def committee_member_remove(*, actor, member: CommitteeMember) -> CommitteeMember:
    """The member leaves the committee (their past cases keep them on record). Event committee.member_removed."""
    _require(actor, member.committee.area)
    locked = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if not locked.is_active:
        raise Conflict("not_member", _("此人已不是该调解委员会的成员。"))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    event_append(subject=member.committee, kind="committee.member_removed", actor=actor,
                 payload={"member": locked.pk, "person": locked.person_id})
    return locked


DISPUTE_TYPE_FIELDS = ("code", "name", "order", "is_active")
TEMPLATE_FIELDS = ("area", "name", "community_attempts", "street_attempts", "district_attempts", "limit_days",
                   "community_limit_days", "street_limit_days", "district_limit_days",
                   "yellow_percent", "escalate_after_days", "confirmation_days", "auto_escalate")


def _require_catalogue(actor) -> None:
    if not getattr(actor, "is_superuser", False) and not has_perm(actor, "mediation.catalogue"):
        raise PermissionDeniedError(_("只有系统管理员可以维护纠纷类型和调解规则。"))


@transaction.atomic
def dispute_type_save(*, actor, dispute_type: DisputeType | None = None, **fields) -> DisputeType:
    """Add or change a dispute type (admins). Types are deactivated, never deleted: cases keep theirs.
    Event dispute_type.saved."""
    _require_catalogue(actor)
    row = dispute_type or DisputeType()
    for name in DISPUTE_TYPE_FIELDS:
        if name in fields:
            setattr(row, name, fields[name])
    row.name = text(row.name, "name", _("请填写纠纷类型名称。"), limit=50)
    row.save()
    event_append(subject=row, kind="dispute_type.saved", actor=actor,
                 payload={"code": row.code, "name": row.name, "active": row.is_active})
    return row


def check_template(fields: dict) -> None:
    counts = [fields.get("community_attempts", 3), fields.get("street_attempts", 2), fields.get("district_attempts", 1)]
    if not any(counts):
        raise DomainError("invalid_counts", _("三级调解次数不能都为 0。"), details={"field": "community_attempts"})
    if not 1 <= int(fields.get("limit_days", 30)) <= 365:
        raise DomainError("invalid_limit", _("办结时限须在 1 到 365 个工作日之间。"), details={"field": "limit_days"})
    for name in ("community_limit_days", "street_limit_days", "district_limit_days"):
        value = fields.get(name)
        if value not in (None, "") and not 1 <= int(value) <= int(fields.get("limit_days", 30)):
            raise DomainError("invalid_tier_limit", _("每级调解时限须在 1 个工作日到整案办结时限之间（不填则只按整案时限）。"),
                              details={"field": name})
    if not 1 <= int(fields.get("yellow_percent", 80)) <= 100:
        raise DomainError("invalid_percent", _("黄色预警比例须在 1 到 100 之间。"), details={"field": "yellow_percent"})


@transaction.atomic
def template_save(*, actor, template: MediationTemplate | None = None, **fields) -> MediationTemplate:
    """Add or change an area's "三二一" rules (admins). Cases already open keep the counts they opened with.
    Event mediation_template.saved."""
    _require_catalogue(actor)
    check_template(fields)
    row = template or MediationTemplate()
    for name in TEMPLATE_FIELDS:
        if name in fields:
            setattr(row, name, fields[name])
    row.save()
    event_append(subject=row, kind="mediation_template.saved", actor=actor,
                 payload={"area": row.area.code, "attempts": row.attempts(), "limit_days": row.limit_days})
    return row
