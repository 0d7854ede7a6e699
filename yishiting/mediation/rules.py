"""Who may see and work a mediation case (scope kinds in common/rules.py).

Confidential by default (人民调解法 art. 15): a case is seen by its parties, its active mediators and the office
staff (社区两委, street and district officials) of the case's area and above — never by other residents, grid
workers or volunteers of the same community, and never in public lists. The predicates below are the only
answers web, API and services use; each names one question:

- `mediation.view`      may_view_case(user, case): supervising office staff, a party, an active mediator.
- `mediation.supervise` (registered, SUBTREE for office roles): the staff part of the above, for list filters.
- `mediation.manage`    may_manage_case(user, case): office staff of the case's area and above open cases
                        directly, assign mediators, record consent and refusals for parties, archive.
- `mediation.mediate`   may_mediate(user, case): an active mediator of the case accepts it, records attempts,
                        moves it up a tier, drafts the agreement, checks performance and visits; the managing
                        staff may do the same for them (a paper record entered afterwards).
- `mediation.party`     is_party(user, case): the person is a party (or of a household that is one).
- `mediation.open`      may_open_case(user, area): an active member of a committee covering `area`, or the
                        managing staff there, opens a case directly.
"""
# Permission labels (zh-only) are read by the API's /me only: the API answers in Chinese.

from __future__ import annotations

from django.db.models import Q

from yishiting.areas.models import Area
from yishiting.areas.rules import OFFICE
from yishiting.areas.selectors import person_of_user
from yishiting.common.rules import has_perm, register, scope_for

from .choices import MediatorStatus
from .models import CommitteeMember

MEDIATION_SUPERVISE = register("mediation.supervise", "查看本辖区调解案件（督导）", {**OFFICE})  # zh-only
MEDIATION_MANAGE = register("mediation.manage", "受理和指派调解、归档调解案件", {**OFFICE})  # zh-only
MEDIATION_COMMITTEES = register("mediation.committees", "维护人民调解委员会", {**OFFICE})  # zh-only
# Dispute types and the "三二一" templates are set by admins (and superusers), like the demand catalogue.
MEDIATION_CATALOGUE = register("mediation.catalogue", "维护纠纷类型和调解规则", {})  # zh-only


def _person_id(user) -> int | None:
    person = person_of_user(user)
    return person.pk if person is not None else None


def is_mediator(user, case) -> bool:
    person_id = _person_id(user)
    return person_id is not None and case.mediators.filter(person_id=person_id,
                                                           status=MediatorStatus.ACTIVE).exists()


def party_q(person) -> Q:
    """The CaseParty rows that are `person`: themselves, their household, or an organisation they hold a role
    for (its representative)."""
    from yishiting.areas.models import RoleAssignment

    mine = Q(person_id=person.pk)
    if person.household_id:
        mine |= Q(household_id=person.household_id)
    return mine | Q(organization_id__in=RoleAssignment.objects.filter(
        person_id=person.pk, is_active=True, organization__isnull=False).values("organization_id"))


def is_party(user, case) -> bool:
    person = person_of_user(user)
    return person is not None and case.parties.filter(party_q(person)).exists()


def may_supervise(user, case) -> bool:
    return has_perm(user, MEDIATION_SUPERVISE.name, case)


def may_view_case(user, case) -> bool:
    return may_supervise(user, case) or is_mediator(user, case) or is_party(user, case)


def may_manage_case(user, case) -> bool:
    return has_perm(user, MEDIATION_MANAGE.name, case)


def may_mediate(user, case) -> bool:
    return is_mediator(user, case) or may_manage_case(user, case)


def may_open_case(user, area: Area) -> bool:
    if has_perm(user, MEDIATION_MANAGE.name, area):
        return True
    person_id = _person_id(user)
    return person_id is not None and any(
        area.path.startswith(path) for path in CommitteeMember.objects.filter(
            person_id=person_id, is_active=True).values_list("committee__path", flat=True))


def may_manage_committees(user, area: Area | None = None) -> bool:
    return has_perm(user, MEDIATION_COMMITTEES.name, area)


def supervised_q(user) -> Q:
    """The office staff's part of the visibility filter (cases under the areas they hold office at)."""
    return scope_for(user, MEDIATION_SUPERVISE.name).q("path")


PREDICATES = {
    "mediation.view": may_view_case,
    "mediation.manage": may_manage_case,
    "mediation.mediate": may_mediate,
    "mediation.party": is_party,
    "mediation.open": may_open_case,
    "mediation.committees": may_manage_committees,
}
