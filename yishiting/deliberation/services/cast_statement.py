"""An owner's online ballot in one statement (PostgreSQL): the hot path of `vote_cast`.

An owners' vote of a large estate takes thousands of ballots within days, each its own HTTP request. The
checks and writes of `votes._cast` — the shared lock on the vote, open and not past its deadline, the caller's
person, an active owner of the unit inside the vote's scope (the same person, or the same mobile number for a
person who is an owner on record), the
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

TABLES = {name: model._meta.db_table for name, model in (
    ("vote", Vote), ("area", Area), ("person", Person), ("household", Household), ("role", RoleAssignment),
    ("ballot", Ballot))}

# The person's unit is the one asked for, else their own (`_unit_for`); it must be the unit the caller
# rendered into the event (`{unit}`), or nothing happens. `{who}` is empty here; the fast path in front of Django
# (`fast_cast_statement`) puts its token lookup there, which then stands for the user (`{user}`), and checks the
# choice against the vote's options (`{options}`) instead of a cached copy of the vote.
_CHECKS = """
WITH {who} v AS MATERIALIZED (
    SELECT v.id, v.status, v.closes_at, a.path AS scope_path
    FROM {vote} v JOIN {area} a ON a.id = v.scope_area_id
    WHERE v.id = %(vote)s AND v.method = %(owners_method)s {options}
    FOR SHARE OF v
), me AS (
    SELECT p.id, p.mobile, COALESCE(%(asked)s, p.household_id) AS household_id
    FROM {person} p WHERE p.user_id = {user}
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
      AND me.household_id = {unit}
      AND EXISTS (SELECT 1 FROM owners WHERE owners.id = me.id OR (me.mobile <> '' AND owners.mobile = me.mobile
          AND EXISTS (SELECT 1 FROM {role} r WHERE r.person_id = me.id AND r.role = %(owner)s AND r.is_active)))
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
    RETURNING {returning}
), {events}"""
_STATEMENT = (_CHECKS.replace("{who}", "").replace("{options}", "").replace("{user}", "%(user)s")
              .replace("{unit}", "%(unit)s").replace("{returning}", "id, voter_id")
              + "\nSELECT id, voter_id FROM src")


def cast_params(*, vote_id: int, choice: str, asked: int | None, now) -> dict:
    """The parameters both statements share."""
    return {"vote": vote_id, "owners_method": VoteMethod.OWNERS.value, "asked": asked, "owner": Role.OWNER.value,
            "open": VoteStatus.OPEN.value, "now": now, "choice": choice, "online": BallotChannel.ONLINE.value}


def cast_owner_ballot(*, actor, vote: Vote, choice: str, asked: int | None, unit: int) -> Ballot | None:
    """Cast `actor`'s ballot for `unit` (asked for, or the person's own) on an owners' vote in one statement;
    None when it did not (nothing written: the caller takes the ORM path). Event ballot.cast with the payload
    `_ballot_event` writes."""
    now = timezone.now()
    events, params = first_event_sql(
        source="src", subject_type=Ballot._meta.label_lower, kind="ballot.cast", actor=actor, at=now,
        payload={"vote": vote.pk, "channel": BallotChannel.ONLINE.value, "household": unit, "proxy": None,
                 "choice": choice})
    params.update(cast_params(vote_id=vote.pk, choice=choice, asked=asked, now=now), user=actor.pk, unit=unit)
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT.format(events=events, **TABLES), params)
        row = cursor.fetchone()
    if row is None:
        return None
    ballot = Ballot(pk=row[0], vote=vote, voter_id=row[1], household_id=unit, choice=choice,
                    channel=BallotChannel.ONLINE, proxy=None, recorded_by=None, cast_at=now)
    ballot._state.adding, ballot._state.db = False, connection.alias
    return ballot


def fast_cast_statement(*, token_table: str, user_table: str, events: str) -> str:
    """The same statement with the token lookup in it (the fast path `api.fast.votes`: nothing is known before
    it runs but the token's digest, the vote id, the choice and the unit asked for). The caller's user and unit
    come from the rows (`src.actor_id`, `src.household_id`: `first_event_sql` Columns); the token's last use is
    recorded at most once a minute (`%(stale)s`), as `accounts.services.token_authenticate` does."""
    who = (f"tok AS MATERIALIZED (SELECT t.id, t.user_id FROM {token_table} t JOIN {user_table} u ON u.id = t.user_id "
           f"WHERE t.digest = %(digest)s AND t.revoked_at IS NULL AND u.is_active), ")
    return (_CHECKS.replace("{who}", who).replace("{options}", "AND v.options @> jsonb_build_array(%(choice)s::text)")
            .replace("{user}", "(SELECT user_id FROM tok)").replace("{unit}", "me.household_id")
            .replace("{returning}", "id, household_id, (SELECT user_id FROM tok) AS actor_id")
            .format(events=events, **TABLES)
            + f", touched AS (UPDATE {token_table} SET last_used_at = %(now)s WHERE id IN (SELECT id FROM tok) "
              f"AND (last_used_at IS NULL OR last_used_at < %(stale)s))\nSELECT id, household_id FROM src")
