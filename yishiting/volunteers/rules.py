"""Who may volunteer, organise and confirm (scope kinds in common/rules.py).

Residents (every member role, 注册居民 too) see and sign up for the activities of their own community, join its
teams and claim its posts. Community staff and the officials above them manage teams and posts and organise and
confirm anything in their subtree. A team's leader is not a role grant: a leader organises and confirms the
activities of their own team and the shifts on its posts (`may_organise` below).
"""

from __future__ import annotations

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, has_perm, register

# Grid workers and building heads live and work inside a community: they see all of its volunteering.
NEIGHBOURHOOD_STAFF = {role: ScopeKind.COMMUNITY for role in (Role.GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_HEAD,
                                                              Role.UNIT_HEAD)}
VOLUNTEERS_VIEW = register("volunteers.view", "查看志愿服务（活动、服务队、公益服务岗）",  # zh-only: API /me label
                           {**MEMBERS, **STAFF, **NEIGHBOURHOOD_STAFF, Role.REGISTRANT: ScopeKind.COMMUNITY})
VOLUNTEERS_JOIN = register("volunteers.join", "报名志愿活动、加入服务队、认领公益服务岗",  # zh-only: API /me label
                           {**MEMBERS, Role.REGISTRANT: ScopeKind.COMMUNITY})
VOLUNTEERS_MANAGE = register("volunteers.manage", "组织志愿活动、维护服务队和公益服务岗、确认时长",  # zh-only
                             {**OFFICE})


def person_of(user):
    """The user's Person (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_yishiting_person", False)
    if cached is False:
        from yishiting.areas.selectors import person_for_user

        cached = person_for_user(user)
        user._yishiting_person = cached
    return cached


def led_team_ids(user) -> set[int]:
    """Teams the user leads now (cached on the user for the request)."""
    cached = getattr(user, "_yishiting_led_teams", None)
    if cached is None:
        from .models import TeamMember

        person = person_of(user)
        cached = set() if person is None else set(TeamMember.objects.filter(
            person=person, is_leader=True, left_at__isnull=True, team__is_active=True).values_list("team_id", flat=True))
        user._yishiting_led_teams = cached
    return cached


def may_manage(user, obj) -> bool:
    """volunteers.manage on the object's area: community staff and the officials above."""
    return has_perm(user, "volunteers.manage", obj)


def may_organise(user, activity) -> bool:
    """Organise an activity (check people in and out, rate, end it): its team's leaders, or its area's staff."""
    return (activity.team_id is not None and activity.team_id in led_team_ids(user)) or may_manage(user, activity)


def may_rate_service(user, attendance) -> bool:
    """Rate a volunteer's service at a home visit: the served person, or the community's staff for them (an
    elder without a phone tells the staff; the rating is theirs, recorded as given by the served person)."""
    return may_rate_activity(user, attendance.activity)


def may_rate_activity(user, activity) -> bool:
    """See an activity's volunteers waiting for the served person's rating, and rate them (as above)."""
    served = activity.served_id
    return served is not None and (getattr(person_of(user), "pk", None) == served or may_manage(user, activity))


def may_confirm_shift(user, post) -> bool:
    """Confirm shifts on a post: the leaders of the post's team, or the post's community staff."""
    return (post.team_id is not None and post.team_id in led_team_ids(user)) or may_manage(user, post)


def may_create_activity(user, team=None, area=None) -> bool:
    """A leader for their own team; staff for any team or community in their scope."""
    if team is not None and team.pk in led_team_ids(user):
        return True
    target = team or area
    return may_manage(user, target) if target is not None else has_perm(user, "volunteers.manage")


def may_join(user, obj) -> bool:
    """Sign up, join or claim: a resident of the object's community (scope COMMUNITY)."""
    return has_perm(user, "volunteers.join", obj)
