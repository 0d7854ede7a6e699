"""Who may post, review, claim and fulfil 微心愿 (scope kinds in common/rules.py).

Residents (and the other member roles) post their own wishes and claim their neighbours' — a unit claims through
its 单位代表, a party member or a resident as themselves. The staff of an area see every wish of its subtree and
post on behalf of an elderly person or a child; the community's office staff review (approve or reject). Nobody
claims their own wish. The public wall needs no permission: it shows only what staff approved, with no names.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, active_roles, has_perm, register

C = ScopeKind.COMMUNITY

WISH_POST = register("wishes.post", gettext_noop("发布自己的微心愿"), {**MEMBERS, Role.REGISTRANT: C})
WISH_POST_FOR = register("wishes.post_for", gettext_noop("代老人、儿童发布微心愿"), {**STAFF})
WISH_VIEW = register("wishes.view", gettext_noop("查看本社区的微心愿"), {**MEMBERS, **STAFF})
WISH_MANAGE = register("wishes.manage", gettext_noop("管理辖区内的微心愿（含待审核）"), {**STAFF})
WISH_REVIEW = register("wishes.review", gettext_noop("审核微心愿"), {**OFFICE})
WISH_CLAIM = register("wishes.claim", gettext_noop("认领微心愿"), {**MEMBERS, **STAFF})

PARTY_ROLES = {Role.PARTY_MEMBER, Role.INSERVICE_PARTY_MEMBER, Role.CENTRAL_HOUSEHOLD}


def person_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def is_wisher(user, wish) -> bool:
    """The wisher, or whoever posted it (staff posting on behalf read and thank for the beneficiary)."""
    person = person_of(user)
    return person is not None and person.pk in (wish.wisher_id, wish.posted_by_id)


def is_claimant(user, wish) -> bool:
    person = person_of(user)
    return person is not None and wish.donor_person_id == person.pk


def may_claim(user, wish) -> bool:
    """wishes.claim in the wish's community, while it is open, and not one's own wish."""
    from .choices import WishStatus

    return (wish.status == WishStatus.OPEN and has_perm(user, "wishes.claim", wish)
            and not is_wisher(user, wish))


def represented_organizations(user) -> list:
    """The units the user may claim for: those where they hold the 单位代表 role."""
    from yishiting.areas.models import Organization

    ids = [r.organization_id for r in active_roles(user) if r.role == Role.ORG_REPRESENTATIVE and r.organization_id]
    return list(Organization.objects.filter(pk__in=ids, is_active=True).order_by("name")) if ids else []


def is_party_member(user) -> bool:
    return any(r.role in PARTY_ROLES for r in active_roles(user))
