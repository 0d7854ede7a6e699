"""Who may read and keep an estate's trust fund and the 业委会's disclosure (scope kinds in common/rules.py).

- `trusts.view` (read the fund, its lines, vouchers, services, questions, statements, and the published
  disclosures): the community's offices who supervise (community staff and secretary, street, district: their
  subtree), and — granted per estate by `_estate_paths` — the estate's **verified owners** (an active 业主 role at
  or under the estate, which only a verified 住户申报 or the owner register gives), the 单位代表 of the
  fund's 业委会 and 物业公司 (its authorised persons among them). A tenant (居民 role), a registrant or an unverified claimant holds no
  owner role and sees nothing; owners of another estate neither.
- Keeping the fund (post income, propose expenses, record services, reverse a line, answer questions) is for the
  fund's authorised persons (`Signatory`); each side approves or refuses an expense for its side (`side_of`).
- Asking a question: a verified owner of the estate (`may_ask`).
- Drafting and publishing a disclosure: a 单位代表 of the estate's 业委会 (`committee_of`).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_noop

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import PATH_STEP, Area, Organization, RoleAssignment
from yishiting.areas.rules import OFFICE
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import active_roles, has_perm, register, register_grant

from .models import Disclosure, TrustFund


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def owner_paths(user) -> list[str]:
    return [a.path for a in active_roles(user) if a.role == Role.OWNER]


def _estate_paths(user) -> frozenset[str]:
    """The estates (with a fund or a disclosure) this user reads as verified owner or as 单位代表 of the estate's
    业委会 or 物业公司 (authorised persons are such representatives: `Signatory.clean`). No query for anyone else;
    for the rest, kept per process for their places and organisations (below) and on the user object for the
    request (the menu asks on every page)."""
    cached = getattr(user, "_yishiting_trust_paths", None)
    if cached is not None:
        return cached
    prefixes = frozenset(p for path in owner_paths(user) for p in _prefixes(path))
    orgs = frozenset(a.organization_id for a in active_roles(user)
                     if a.role == Role.ORG_REPRESENTATIVE and a.organization_id)
    paths = _estates.get((prefixes, orgs)) if prefixes or orgs else frozenset()
    user._yishiting_trust_paths = paths
    return paths


def _estates_of(key: tuple[frozenset[str], frozenset[int]]) -> frozenset[str]:
    prefixes, orgs = key
    funds = TrustFund.objects.filter(Q(path__in=prefixes) | Q(owners_committee_id__in=orgs)
                                     | Q(property_company_id__in=orgs)).order_by().values_list("path")
    published = (Disclosure.objects.filter(Q(path__in=prefixes) | Q(owners_committee_id__in=orgs))
                 .order_by().values_list("path"))
    return frozenset(path for (path,) in funds.union(published))


# Every page's menu asks (信托物业): one query per owner's places and representative's organisations per 10 s and
# process, cleared in the process that saves a fund or a disclosure (the others see it within 10 s), as the 调解
# entry does (mediation.page_selectors). A role granted or revoked changes the key itself.
_estates = LocalCache("trusts_estate_paths", _estates_of, watch=(TrustFund, Disclosure), ttl=10.0)


TRUSTS_VIEW = register("trusts.view", gettext_noop("查看小区信托基金账目和公共收益公开"), {**OFFICE})
TRUSTS_SUPERVISE = register("trusts.supervise", gettext_noop("监督小区信托基金（社区）"), {**OFFICE})
register_grant(["trusts.view"], _estate_paths)


def may_view(user, obj) -> bool:
    return has_perm(user, "trusts.view", obj)


def side_of(user, fund) -> str | None:
    """The side (committee / company) this user signs for on `fund`, or None."""
    if not user.is_authenticated:
        return None
    from .models import Signatory

    return (Signatory.objects.filter(fund=fund, person__user_id=user.pk, is_active=True)
            .values_list("side", flat=True).first())


def may_keep(user, fund) -> bool:
    return side_of(user, fund) is not None


def is_verified_owner(user, estate: Area) -> bool:
    return any(path.startswith(estate.path) for path in owner_paths(user))


def may_ask(user, fund) -> bool:
    return is_verified_owner(user, fund.estate)


def committee_of(user, estate: Area) -> Organization | None:
    """The estate's 业委会 this user represents (a 单位代表 of an owners' committee serving the estate)."""
    ids = [a.organization_id for a in active_roles(user) if a.role == Role.ORG_REPRESENTATIVE and a.organization_id]
    if not ids:
        return None
    return (Organization.objects.filter(pk__in=ids, kind=OrganizationKind.OWNERS_COMMITTEE, is_active=True,
                                        path__in=_prefixes(estate.path) + [estate.path])
            .order_by("-path").first())


def verified_owner_ids(estate: Area) -> list[int]:
    """The people holding an active 业主 role at or under the estate."""
    return list(RoleAssignment.objects.filter(role=Role.OWNER, is_active=True, path__startswith=estate.path)
                .values_list("person_id", flat=True).distinct())
