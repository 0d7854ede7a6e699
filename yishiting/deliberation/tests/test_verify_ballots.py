"""`yishiting verify` against ballots, votes and topics tampered with by raw SQL (issue 16)."""

from __future__ import annotations

import pytest

from yishiting.common.models import Event, EventHead
from yishiting.common.testing import raw_sql, run_verify, tamper, verify_clean, verify_names
from yishiting.deliberation.models import Ballot, Topic, Vote
from yishiting.deliberation.services import votes as services

from .test_votes import estate, owners_vote  # noqa: F401  (fixtures)

B = Ballot._meta.db_table


@pytest.fixture
def ballot(world, owners_vote):  # noqa: F811
    cast = services.vote_cast(actor=world.users["resident"], vote=owners_vote, choice="同意")
    verify_clean()
    return cast


def test_a_changed_choice_is_named(ballot):
    tamper(f"UPDATE {B} SET choice = %s WHERE id = %s", ["反对", ballot.pk], "deliberation.ballot", ballot.pk,
           "选择 与事件记录不符（事件：同意，表中：反对）")


def test_a_ballot_moved_to_another_unit_is_named(ballot, world):
    tamper(f"UPDATE {B} SET household_id = %s WHERE id = %s", [world.households["H2"].pk, ballot.pk],
           "deliberation.ballot", ballot.pk, "专有部分（户） 与事件记录不符")


def test_a_ballot_slipped_in_without_an_event_is_named(ballot, world):
    raw_sql(f"INSERT INTO {B} (vote_id, voter_id, household_id, choice, channel, cast_at) "
            f"SELECT vote_id, %s, %s, choice, channel, cast_at FROM {B} WHERE id = %s",
            [world.people["resident2"].pk, world.households["H2"].pk, ballot.pk])
    forged = Ballot.objects.exclude(pk=ballot.pk).get()
    verify_names("deliberation.ballot", forged.pk, "该对象没有事件链")


def test_a_deleted_ballot_leaves_its_chain_without_object(ballot):
    tamper(f"DELETE FROM {B} WHERE id = %s", [ballot.pk], "deliberation.ballot", ballot.pk, "有事件链，但对象本身已被删除")


@pytest.mark.parametrize("model", [Vote, Topic])
def test_a_status_set_by_sql_is_named(ballot, model):
    row = model.objects.order_by("pk").first()
    tamper(f"UPDATE {model._meta.db_table} SET status = 'closed' WHERE id = %s", [row.pk], model._meta.label_lower,
           row.pk, "状态 与事件记录不符")


def test_an_event_row_for_a_ballot_is_not_enough_without_its_head(ballot):
    tamper(f"DELETE FROM {EventHead._meta.db_table} WHERE subject_type = 'deliberation.ballot'", [],
           "deliberation.ballot", ballot.pk)
    assert Event.objects.filter(subject_type="deliberation.ballot").exists()


def test_a_keyed_ballot_verifies(world, owners_vote, settings):  # noqa: F811
    """On PostgreSQL the owners' ballot and its event are one statement; its HMAC is the server's."""
    settings.EVENT_HMAC_KEY = "test-event-key-0123456789abcdefghijklmnop"
    cast = services.vote_cast(actor=world.users["resident"], vote=owners_vote, choice="反对")
    passed, out = run_verify("--anchor-out", "/dev/null")
    assert passed and f"deliberation.ballot#{cast.pk}" not in out, out
    tamper(f"UPDATE {B} SET choice = %s WHERE id = %s", ["同意", cast.pk], "deliberation.ballot", cast.pk,
           "选择 与事件记录不符（事件：反对，表中：同意）")
