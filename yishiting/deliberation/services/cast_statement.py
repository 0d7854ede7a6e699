"""An owner's online ballot in one statement (PostgreSQL): the hot path of `vote_cast`.

An owners' vote of a large estate takes thousands of ballots within days, each its own HTTP request. The
checks and writes of `votes._cast` — the shared lock on the vote, open and not past its deadline, the caller's
person, an active owner of the unit inside the vote's scope (the same person or the same mobile number), the
same choice as the owner's other units already voted, the ballot, its event and chain head — are here one
INSERT … SELECT with data-modifying CTEs: one round trip and one implicit transaction instead of ten.

It only ever accepts what `_cast` accepts, and it answers nothing else: when any condition fails (or the unit
has voted: ON CONFLICT DO NOTHING on the Ballot constraints), nothing is written and `vote_cast` runs the
ORM path, which finds the reason and raises the usual DomainError (or accepts a proxy holder's ballot, which
this statement never tries). Everything it relies on is read in the statement itself: the vote row under
FOR SHARE (so `vote_close`'s FOR UPDATE waits for it, as for `_cast`), the scope path, the person, the owners.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, Household, Person, RoleAssignment
from yishiting.common.events import first_event_sql

from ..choices import BallotChannel, VoteMethod, VoteStatus
from ..models import Ballot, Vote

_T = {name: model._meta.db_table for name, model in (
    ("vote", Vote), ("area", Area), ("person", Person), ("household", Household), ("role", RoleAssignment),
    ("ballot", Ballot))}

# The person's unit is the one asked for, else their own (`_unit_for`); it must be the unit the caller
# rendered into the event (`%(unit)s`), or nothing happens.
_STATEMENT = """
WITH v AS MATERIALIZED (
    SELECT v.id, v.status, v.closes_at, a.path AS scope_path
    FROM {vote} v JOIN {area} a ON a.id = v.scope_area_id
    WHERE v.id = %(vote)s AND v.method = %(owners_method)s
    FOR SHARE OF v
), me AS (
    SELECT p.id, p.mobile, COALESCE(%(asked)s, p.household_id) AS household_id
    FROM {person} p WHERE p.user_id = %(user)s
), owners AS (
    SELECT o.id, o.mobile
    FROM me JOIN {person} o ON o.household_id = me.household_id
    JOIN {household} h ON h.id = o.household_id
    JOIN v ON left(h.path, length(v.scope_path)) = v.scope_path
    WHERE EXISTS (SELECT 1 FROM {role} r WHERE r.person_id = o.id AND r.role = %(owner)s AND r.is_active)
), allowed AS (
    SELECT me.id AS voter_id, me.household_id
    FROM v, me
    WHERE v.status = %(open)s AND (v.closes_at IS NULL OR v.closes_at > %(now)s)
      AND me.household_id = %(unit)s
      AND EXISTS (SELECT 1 FROM owners WHERE owners.id = me.id OR (me.mobile <> '' AND owners.mobile = me.mobile))
      AND NOT EXISTS (
          SELECT 1 FROM {ballot} other
          JOIN {person} op ON op.household_id = other.household_id
          WHERE other.vote_id = v.id AND other.household_id <> me.household_id AND other.choice <> %(choice)s
            AND op.mobile IN (SELECT mobile FROM owners WHERE mobile <> '')
            AND EXISTS (SELECT 1 FROM {role} r WHERE r.person_id = op.id AND r.role = %(owner)s AND r.is_active))
), src AS (
    INSERT INTO {ballot} (vote_id, voter_id, household_id, choice, channel, proxy_id, recorded_by_id, cast_at)
    SELECT %(vote)s, voter_id, household_id, %(choice)s, %(online)s, NULL, NULL, %(now)s FROM allowed
    ON CONFLICT DO NOTHING
    RETURNING id, voter_id
), {events}
SELECT id, voter_id FROM src
"""


def cast_owner_ballot(*, actor, vote: Vote, choice: str, asked: int | None, unit: int) -> Ballot | None:
    """Cast `actor`'s ballot for `unit` (asked for, or the person's own) on an owners' vote in one statement;
    None when it did not (nothing written: the caller takes the ORM path). Event ballot.cast with the payload
    `_ballot_event` writes."""
    now = timezone.now()
    events, params = first_event_sql(
        source="src", subject_type=Ballot._meta.label_lower, kind="ballot.cast", actor=actor, at=now,
        payload={"vote": vote.pk, "channel": BallotChannel.ONLINE.value, "household": unit, "proxy": None,
                 "choice": choice})
    params.update(vote=vote.pk, owners_method=VoteMethod.OWNERS.value, asked=asked, user=actor.pk,
                  owner=Role.OWNER.value, open=VoteStatus.OPEN.value, now=now, unit=unit, choice=choice,
                  online=BallotChannel.ONLINE.value)
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT.format(events=events, **_T), params)
        row = cursor.fetchone()
    if row is None:
        return None
    ballot = Ballot(pk=row[0], vote=vote, voter_id=row[1], household_id=unit, choice=choice,
                    channel=BallotChannel.ONLINE, proxy=None, recorded_by=None, cast_at=now)
    ballot._state.adding, ballot._state.db = False, connection.alias
    return ballot
