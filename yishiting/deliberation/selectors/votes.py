"""Reads of votes (表决): which votes a user may see, the electorate of an owners' vote in one query, the
ballots in another (the Art. 278 tally computes in Python), live counts and who was present."""

from __future__ import annotations

import copy
from collections import Counter

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import translation

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Household, Person
from yishiting.common.localcache import LocalCache
from yishiting.common.rules import scope_for

from ..choices import MeetingForm, VoteMethod
from ..models import Ballot, Meeting, Participant, Proxy, Vote
from ..tally import UnitOwner, result_lines, tally_meeting, tally_owners


def votes_visible_to(user) -> QuerySet[Vote]:
    """Votes on topics the user may see (held in their scope, or with a topic or vote scope reaching into it),
    and the participants' votes of the meetings they are invited to (a street leader or a deputy from elsewhere
    at a community table) — not an owners' vote there: that one belongs to the owners of its units."""
    scope = scope_for(user, "deliberation.view")
    visible = scope.q("path") | scope.q("topic__scope_area_path") | scope.q("scope_area__path")
    if not scope.everything and getattr(user, "is_authenticated", False):  # (Q() | x would narrow to x)
        invited = Participant.objects.filter(person__user_id=user.pk).values("meeting_id")
        visible |= Q(meeting_id__in=invited) & ~Q(method=VoteMethod.OWNERS)
    return Vote.objects.filter(visible).select_related("topic", "meeting", "scope_area").order_by("-created_at", "-pk")


def vote_for_cast(vote_id: int) -> Vote | None:
    """The vote a ballot is cast on, with what the electorate check needs (no visibility filter: being in the
    electorate is the permission; the service answers 404 to outsiders who cannot see the vote).

    Every ballot asks for it, so it is kept per process for a few seconds (common.localcache; a save of a vote,
    meeting or area clears it in the process that made it). Nothing the cast decides rests on the kept copy's
    state: `vote_cast` reads the status and deadline under its row lock. Each call gets its own copy."""
    vote = _votes_for_cast.get(vote_id)
    return copy.copy(vote) if vote is not None else None


def _load_vote_for_cast(vote_id: int) -> Vote | None:
    return Vote.objects.select_related("meeting", "scope_area").filter(pk=vote_id).first()


_votes_for_cast = LocalCache("votes_for_cast", _load_vote_for_cast, watch=(Vote, Meeting, Area), ttl=10.0,
                             keep_none=False)


def voter_for_user(user) -> Person | None:
    """The caller's person record with just what casting needs (no joins: this is the hot path)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).only("pk", "household_id", "mobile").first()


def owner_key(person_id: int, mobile: str) -> str:
    """Who an owner is as a natural person: the mobile number (the login identity) when recorded, so one person
    registered at several units is one owner; otherwise the person record itself."""
    return f"m:{mobile}" if mobile else f"p:{person_id}"


def owners_q(prefix: str = "") -> Q:
    """Persons holding an active owner role (prefix: the path from the queried model to the person)."""
    return Q(**{f"{prefix}roles__role": Role.OWNER, f"{prefix}roles__is_active": True})


def owners_tally_input(vote: Vote) -> tuple[list[UnitOwner], dict[int, str], dict[str, int]]:
    """(electorate rows, unit → choice, ballots per channel) for an owners' vote: two queries."""
    rows = (Person.objects.filter(owners_q(), household__path__startswith=vote.scope_area.path)
            .values_list("household_id", "household__exclusive_area", "pk", "mobile"))
    electorate = list({UnitOwner(h, area, owner_key(p, m)) for h, area, p, m in rows})
    ballots, channels = {}, Counter()
    for household_id, choice, channel in Ballot.objects.filter(vote=vote).values_list("household_id", "choice",
                                                                                      "channel"):
        ballots[household_id] = choice
        channels[channel] += 1
    return electorate, ballots, dict(channels)


def unit_owners(household_id: int, scope_path: str) -> list[tuple[int, str]]:
    """(person id, mobile) of the owners of one unit inside a scope; empty if out of scope or without owner."""
    return list(Person.objects.filter(owners_q(), household_id=household_id,
                                      household__path__startswith=scope_path).values_list("pk", "mobile"))


def is_owner_on_record(person_id: int) -> bool:
    """Does this person hold an active owner role (of any unit)?"""
    return Person.objects.filter(owners_q(), pk=person_id).exists()


def linked_choices(vote: Vote, household_id: int, mobiles: list[str]) -> set[str]:
    """Choices already recorded in this vote for other units of the same owner(s) (same mobile)."""
    if not mobiles:
        return set()
    return set(Ballot.objects.filter(Q(household__people__mobile__in=mobiles) & owners_q("household__people__"),
                                     vote=vote).exclude(household_id=household_id)
               .order_by().values_list("choice", flat=True).distinct())


def present_count(vote: Vote) -> int:
    """Those present at a meeting vote: the participants signed in (an online meeting: everyone invited)."""
    if vote.meeting_id is None:
        return 0
    participants = Participant.objects.filter(meeting_id=vote.meeting_id)
    if vote.meeting.form != MeetingForm.ONLINE:
        participants = participants.filter(signed_in_at__isnull=False)
    return participants.count()


def live_counts(vote: Vote) -> dict[str, int]:
    """How many chose each option so far: ballots (named), the counters (secret) or the recorded hands."""
    if vote.method == VoteMethod.HANDS:
        counts = (vote.hands or {}).get("counts", {})
    elif vote.method == VoteMethod.SECRET:
        counts = dict(vote.option_counts.values_list("option", "count"))
    else:
        counts = dict(vote.ballots.values("choice").annotate(n=Count("pk")).values_list("choice", "n"))
    return {option: int(counts.get(option, 0)) for option in vote.options}


def ballot_count(vote: Vote) -> int:
    return vote.ballots.count()


def shown_result(result: dict | None) -> dict | None:
    """A stored count as the page shows it: its lines worded again when the page is not in the site's language
    (the stored lines, a record, are in the site's)."""
    if not result or translation.get_language() == settings.LANGUAGE_CODE:
        return result
    return {**result, "lines": result_lines(result)}


def vote_tally(vote: Vote) -> dict[str, object]:
    """The full count of a vote as it stands (the snapshot `vote_close` stores in `Vote.result`)."""
    if vote.method == VoteMethod.OWNERS:
        rows, ballots, channels = owners_tally_input(vote)
        return tally_owners(rows=rows, ballots=ballots, matter=vote.matter, channels=channels)
    present = (vote.hands or {}).get("present", 0) if vote.method == VoteMethod.HANDS else present_count(vote)
    result = tally_meeting(options=vote.options, counts=live_counts(vote), present=present, rule=vote.rule,
                           numerator=vote.threshold_numerator, denominator=vote.threshold_denominator)
    result["method"] = vote.method
    if vote.method != VoteMethod.HANDS:
        result["ballots"] = ballot_count(vote)
    return result


def owners_tally_input_exists(scope_path: str) -> bool:
    """Is there at least one unit with an owner under the path (an owners' vote needs an electorate)?"""
    return Person.objects.filter(owners_q(), household__path__startswith=scope_path).exists()


def my_ballot(vote: Vote, person: Person | None) -> dict[str, object] | None:
    """Has this person (an owners' vote: their unit) voted — and, unless the ballot is secret, how."""
    if person is None:
        return None
    mine = Q(voter=person)
    if vote.method == VoteMethod.OWNERS and person.household_id:
        mine |= Q(household_id=person.household_id)
    ballot = vote.ballots.filter(mine).first()
    if ballot is None:
        return {"voted": False}
    return {"voted": True, "household_id": ballot.household_id, "channel": ballot.channel,
            "cast_at": ballot.cast_at.isoformat(), **({"choice": ballot.choice} if ballot.choice else {})}


def units_votable_by(vote: Vote, person: Person) -> list[Household]:
    """The units in an owners' vote this person may cast for: their own and those whose owners gave them a
    written proxy (`by_proxy` marks the latter). A list for the page; the vote service still decides."""
    proxied = Proxy.objects.filter(vote=vote, holder=person).values("household_id")
    own = Q(pk=person.household_id) if person.household_id else Q(pk__in=[])
    units = list(Household.objects.filter(own | Q(pk__in=proxied), path__startswith=vote.scope_area.path)
                 .select_related("unit").order_by("path", "number"))
    for unit in units:
        unit.by_proxy = unit.pk != person.household_id
    return units


def households_in_vote_scope(vote: Vote) -> QuerySet[Household]:
    """The dwellings of an owners' vote's scope: a paper ballot or a proxy is entered for one of them."""
    if not vote.scope_area_id:
        return Household.objects.none()
    return Household.objects.filter(path__startswith=vote.scope_area.path)


def people_in_vote_scope(vote: Vote) -> QuerySet[Person]:
    """Who lives in an owners' vote's scope: the choices for a paper ballot's signer and a proxy's parties."""
    if not vote.scope_area_id:
        return Person.objects.none()
    return Person.objects.filter(household__path__startswith=vote.scope_area.path).order_by("name")
