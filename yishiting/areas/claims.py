"""Household claims (住户申报): a self-registered person says which household they live in and how; the
community's staff or the area's grid worker verify it, or it verifies itself when it matches the owner list.

Only a verified claim gives the person the household and a role there (owner, or resident for a tenant or a
family member), through `services.person_update` and `services.role_assign`, so that votes and proxies —
which read active owner roles only — never count a pending claim. Every step appends an event.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition

from .choices import ClaimRelation, ClaimStatus, Role
from .models import Household, HouseholdClaim, Person
from .services import person_update, role_assign, role_revoke
from .transitions import TRANSITIONS

OPEN = (ClaimStatus.PENDING, ClaimStatus.APPROVED)
REASON_MAX = 200
# The title each relation's role carries, as the demo and the importer write it.
# The role title is stored (a record, in the community's language).
TITLES = {ClaimRelation.OWNER: "业主", ClaimRelation.TENANT: "租户", ClaimRelation.FAMILY: "家庭成员"}  # zh-only


def _person_of(actor) -> Person:
    person = Person.objects.select_for_update().filter(user_id=actor.pk).first() if actor.is_authenticated else None
    if person is None:
        raise DomainError("no_person", gettext("您的账号未关联人员信息，请先注册或联系社区登记。"), status=403)
    return person


def matches_owner_list(person: Person, household: Household) -> bool:
    """Does the household's owner list name this person: an active owner with the same name and mobile?"""
    if not person.mobile:
        return False
    return (Person.objects.filter(household=household, name=person.name, mobile=person.mobile,
                                  roles__role=Role.OWNER, roles__is_active=True)
            .exclude(pk=person.pk).exists())


@transaction.atomic
def household_claim_submit(*, actor, household: Household, relation: str) -> HouseholdClaim:
    """Claim a household (event household_claim.submitted). Pending, or approved at once (auto) when an owner's
    claim matches the owner list. A retry of the same claim returns the open one; one open claim per person."""
    if relation not in ClaimRelation.values:
        raise DomainError("invalid_choice", gettext("请选择与该户的关系：业主、租户或家庭成员。"), details={"field": "relation"})
    person = _person_of(actor)  # locked: two tabs of the same person file one after the other
    if person.household_id:
        raise Conflict("has_household", gettext('您已登记在“%(household)s”，如需变更住户请联系社区。') % {"household": person.household})
    open_claim = HouseholdClaim.objects.filter(person=person, status__in=OPEN).select_related("household").first()
    if open_claim is not None:
        if open_claim.household_id == household.pk and open_claim.relation == relation:
            return open_claim
        raise Conflict("claim_open", gettext('您已申报“%(household)s”，请等待审核，或撤回后重新申报。') % {"household": open_claim.household})
    try:
        with transaction.atomic():
            claim = HouseholdClaim.objects.create(person=person, household=household, relation=relation,
                                                  path=household.path)
    except IntegrityError:
        raise Conflict("claim_open", gettext("您已有一份待审核的住户申报。")) from None
    event_append(subject=claim, kind="household_claim.submitted", actor=actor, new_subject=True,
                 payload={"household": household.pk, "relation": relation})
    if relation == ClaimRelation.OWNER and matches_owner_list(person, household):
        _decide(claim, actor=actor, to=ClaimStatus.APPROVED, payload={"auto": True}, auto_verified=True,
                decided_by=None)
        _grant(claim, actor=actor)
    return claim


def claim_for_verifier(actor, claim_id: int) -> HouseholdClaim:
    """The claim if `actor` may verify it; 404 when it is outside their area, 403 when it is their own."""
    claim = HouseholdClaim.objects.select_related("person", "household").filter(pk=claim_id).first()
    if claim is None or not has_perm(actor, "households.verify_claim", claim):
        if claim is not None and claim.person.user_id == actor.pk:
            raise PermissionDeniedError(gettext("不能审核自己的住户申报。"))
        raise NotFound(gettext("找不到该住户申报，或不在您的辖区。"))
    return claim


@transaction.atomic
def household_claim_approve(*, actor, claim: HouseholdClaim) -> HouseholdClaim:
    """pending → approved (event household_claim.approved), then the person gets the household and the owner or
    resident role at its unit. Approving an approved claim again changes nothing; a claim rejected or withdrawn
    meanwhile is a 409 (of an approve and a reject at the same moment exactly one wins)."""
    claim = claim_for_verifier(actor, claim.pk)
    locked = HouseholdClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.status == ClaimStatus.APPROVED:
        return locked
    claim = _decide(claim, actor=actor, to=ClaimStatus.APPROVED)
    _grant(claim, actor=actor)
    return claim


@transaction.atomic
def household_claim_reject(*, actor, claim: HouseholdClaim, reason: str) -> HouseholdClaim:
    """pending → rejected with a reason the person sees (event household_claim.rejected). Idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", gettext("请填写未通过的原因，申报人会看到。"), details={"field": "reason"})
    if len(reason) > REASON_MAX:
        raise DomainError("too_long", gettext('原因不能超过 %(reason_max)s 字。') % {"reason_max": REASON_MAX}, details={"field": "reason"})
    claim = claim_for_verifier(actor, claim.pk)
    locked = HouseholdClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.status == ClaimStatus.REJECTED:
        return locked
    return _decide(claim, actor=actor, to=ClaimStatus.REJECTED, payload={"reason": reason}, reason=reason)


@transaction.atomic
def household_claim_withdraw(*, actor, claim: HouseholdClaim) -> HouseholdClaim:
    """pending → withdrawn by the person who filed it (event household_claim.withdrawn). Idempotent."""
    locked = HouseholdClaim.objects.select_for_update().select_related("person").filter(pk=claim.pk).first()
    if locked is None or locked.person.user_id != actor.pk:
        raise NotFound(gettext("找不到该住户申报。"))
    if locked.status == ClaimStatus.WITHDRAWN:
        return locked
    return transition(locked, to=ClaimStatus.WITHDRAWN, actor=actor, table=TRANSITIONS,
                      kind="household_claim.withdrawn", expected=ClaimStatus.PENDING)


def _decide(claim: HouseholdClaim, *, actor, to: str, payload: dict | None = None, **changes) -> HouseholdClaim:
    """The transition from pending; who decided is the actor unless told (None: the owner list did)."""
    changes.setdefault("decided_by", actor if getattr(actor, "is_authenticated", False) else None)
    return transition(claim, to=to, actor=actor, table=TRANSITIONS, kind=f"household_claim.{to}",
                      expected=ClaimStatus.PENDING, payload=payload,
                      changes={"decided_at": timezone.now(), **changes})


def _grant(claim: HouseholdClaim, *, actor) -> None:
    """The verified claim's effect: the household, the owner or resident role at its unit, and the end of the
    registrant role (a resident reports within their own community, like every other)."""
    household = Household.objects.select_related("unit").get(pk=claim.household_id)
    person = person_update(actor=actor, person=claim.person, household=household)
    role = Role.OWNER if claim.relation == ClaimRelation.OWNER else Role.RESIDENT
    role_assign(actor=actor, person=person, role=role, area=household.unit, title=TITLES[claim.relation])
    for assignment in person.roles.filter(role=Role.REGISTRANT, is_active=True):
        role_revoke(actor=actor, assignment=assignment)
