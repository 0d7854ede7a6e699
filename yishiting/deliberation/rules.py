"""Who may see, shape, run and vote in deliberation (scope kinds in common/rules.py).

Residents see and give opinions on the topics of their own community; staff work their subtree; the office
roles (community staff and secretary, street and district officials) convene, plan, run meetings and open
votes. Who may cast a ballot is decided by the vote's electorate (signed-in participants, or the owners of the
units in scope), checked in the vote service — not by a role.

Taking part in a meeting is an invitation, not a role: the second half of this module names who may be
invited (1+8+N — the N reaches beyond a community's own register) and what an invitation lets one do.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_noop

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import has_perm, register, scope_for

from .choices import MeetingForm, MeetingStatus, VoteMethod

TOPICS_VIEW = register("deliberation.view", gettext_noop("查看议题和协商"), {**MEMBERS, **STAFF})
TOPICS_OPINE = register("deliberation.opine", gettext_noop("对议题发表意见"), {**MEMBERS})
TOPICS_ENTER_OPINION = register("deliberation.enter_opinion", gettext_noop("代居民录入入户征求的意见"), {**STAFF})
TOPICS_MANAGE = register("deliberation.manage", gettext_noop("提出议题、分析研判、安排和主持协商"), {**OFFICE})
VENUES_MANAGE = register("deliberation.venues", gettext_noop("维护议事场所"), {**OFFICE})
VOTES_MANAGE = register("deliberation.votes", gettext_noop("发起和结束表决、录入纸质票和委托"), {**OFFICE})
# Process templates are a district's shared rules: admins (and superusers) edit them.
TEMPLATES_MANAGE = register("deliberation.templates", gettext_noop("维护议事规则模板"), {})


# ---- who may be invited ---------------------------------------------------------------------------------
# A planner invites anyone in their own view (people.view: living here, or holding a role here), and beyond it
# only these public capacities — never another community's residents:
# - officials and staff holding a role at an area above the meeting's level (街道领导、区级干部、包联单位 …);
ANCESTOR_ROLES = frozenset({
    Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF,
    Role.GRID_LEADER, Role.HANDLER, Role.DEPUTY, Role.EXPERT, Role.LAWYER, Role.ORG_REPRESENTATIVE,
})
# - 两代表一委员, 法律顾问, experts of the pool and responsible units' handlers registered anywhere in the
#   meeting's district (a deputy's constituency, a lawyer's 一社区一法律顾问 post, may be a neighbouring one);
PUBLIC_ROLES = frozenset({Role.DEPUTY, Role.LAWYER, Role.EXPERT, Role.HANDLER})
# - representatives of units that serve beyond one community (驻区单位, “双报到”单位, 职能部门 …), district-wide.
#   A property company's or owners' committee's people belong to their own estate: not listed.
PUBLIC_ORGANIZATIONS = frozenset({
    OrganizationKind.RESIDENT_UNIT, OrganizationKind.DUAL_REGISTRATION_UNIT, OrganizationKind.GOVERNMENT_AGENCY,
    OrganizationKind.LAW_FIRM, OrganizationKind.SOCIAL_ORGANIZATION, OrganizationKind.COMMUNITY_POLICE,
    OrganizationKind.STREET_OFFICE,
})


def beyond_view_roles_q(level_area) -> Q:
    """Role assignments (RoleAssignment filter) that make their holder invitable to a meeting at `level_area`
    from outside the planner's view: the three lists above."""
    from yishiting.areas.models import PATH_STEP

    district = level_area.path[:PATH_STEP]
    above = level_area.ancestor_paths()[:-1]
    return Q(is_active=True) & (
        Q(path__in=above, role__in=ANCESTOR_ROLES)
        | Q(path__startswith=district, role__in=PUBLIC_ROLES)
        | Q(path__startswith=district, role=Role.ORG_REPRESENTATIVE, organization__kind__in=PUBLIC_ORGANIZATIONS))


def invitable_q(actor, level_area) -> Q:
    """Persons (Person filter) `actor` may invite to a meeting at `level_area`: in their view, or beyond it in
    a public capacity. One definition for the picker, the API and the plan service."""
    from yishiting.areas.models import RoleAssignment

    scope = scope_for(actor, "people.view")
    if scope.everything:
        return Q()
    in_view = scope.q("path") | Q(pk__in=RoleAssignment.objects.filter(scope.q("path"), is_active=True)
                                  .values("person_id"))
    beyond = Q(pk__in=RoleAssignment.objects.filter(beyond_view_roles_q(level_area)).values("person_id"))
    return in_view | beyond


def not_invitable(actor, level_area, person_ids) -> list[int]:
    """Of these person ids, those `actor` may not invite to a meeting at `level_area` (unknown ids included)."""
    from yishiting.areas.models import Person

    wanted = set(person_ids)
    if not has_perm(actor, "deliberation.manage", level_area):
        return sorted(wanted)
    allowed = set(Person.objects.filter(invitable_q(actor, level_area), pk__in=wanted).values_list("pk", flat=True))
    return sorted(wanted - allowed)


def may_invite(actor, level_area, person) -> bool:
    """deliberation.invite: may `actor` (who plans at `level_area`) invite this person?"""
    return not not_invitable(actor, level_area, [person.pk])


def may_change_participants(user, meeting) -> bool:
    """deliberation.participants: add someone to, or withdraw someone from, a meeting already planned — its
    planner side (deliberation.manage at the meeting's level or above), while it is planned (notified or not);
    never once it has started, closed or been cancelled. Whom they may add is `deliberation.invite` above."""
    return meeting.status == MeetingStatus.PLANNED and has_perm(user, "deliberation.manage", meeting)


def withdraw_refusal(participant) -> str | None:
    """Why this invitation cannot be withdrawn, whoever asks: `signed_in` (they came; the attendance stands)
    or `chair` (the meeting's chair: cancel and plan again instead); None when it can."""
    if participant.signed_in_at is not None:
        return "signed_in"
    if participant.person_id == participant.meeting.chair_id:
        return "chair"
    return None


def may_withdraw(user, participant) -> bool:
    """deliberation.withdraw: the planner side may withdraw this invitation now (see the two above)."""
    return may_change_participants(user, participant.meeting) and withdraw_refusal(participant) is None


# ---- what an invitation lets one do ---------------------------------------------------------------------

def participant_of(user, meeting):
    """The user's own invitation to the meeting (a Participant), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from .models import Participant

    return Participant.objects.filter(meeting_id=meeting.pk, person__user_id=user.pk).first()


def may_attend(user, meeting) -> bool:
    """deliberation.attend: see the meeting — its level's people, and everyone invited to it."""
    return has_perm(user, "deliberation.view", meeting) or participant_of(user, meeting) is not None


def may_sign_in(user, meeting, participant) -> bool:
    """deliberation.sign_in: the participant themself (by their code), or the meeting's clerk for them."""
    own = participant.person.user_id is not None and participant.person.user_id == getattr(user, "pk", None)
    return own or has_perm(user, "deliberation.manage", meeting)


def may_speak(user, meeting, speaker=None) -> bool:
    """deliberation.speak: the clerk records anyone; in 网上议事 a participant posts their own opinion."""
    if has_perm(user, "deliberation.manage", meeting):
        return True
    mine = participant_of(user, meeting)
    return (meeting.form == MeetingForm.ONLINE and mine is not None
            and (speaker is None or speaker.pk == mine.person_id))


def ballot_refusal(vote, person) -> str | None:
    """deliberation.cast_vote for a vote of meeting participants: None when `person` may cast, else why not —
    `owners_vote` (an Art. 278 vote: the owners of the units decide, checked by unit in the vote service),
    `not_invited`, or `sign_in_first` (at the table; an online meeting has no sign-in)."""
    from .models import Participant

    if vote.method == VoteMethod.OWNERS:
        return "owners_vote"
    if person is None or vote.meeting_id is None:
        return "not_invited"
    found = Participant.objects.filter(meeting_id=vote.meeting_id, person=person).values_list("signed_in_at")
    if not found:
        return "not_invited"
    if found[0][0] is None and vote.meeting.form != MeetingForm.ONLINE:
        return "sign_in_first"
    return None


# The names web and API use for these checks (what `/me` cannot list: they hold per meeting, not per area).
PARTICIPATION = {
    "deliberation.invite": may_invite,
    "deliberation.participants": may_change_participants,
    "deliberation.withdraw": may_withdraw,
    "deliberation.attend": may_attend,
    "deliberation.sign_in": may_sign_in,
    "deliberation.speak": may_speak,
    "deliberation.cast_vote": ballot_refusal,
}
