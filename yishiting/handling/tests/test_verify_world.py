"""`yishiting verify` over a full test world exits 0 (issue 16): every factory the tests build with writes the
chain its services would, so a finding on a test world is a real one. The tamper tests start from here."""

from __future__ import annotations

import pytest

from yishiting.common.testing import run_verify, verify_clean
from yishiting.deliberation.choices import VoteMethod, VoteRule
from yishiting.deliberation.services import votes
from yishiting.deliberation.services.procedure import step_record
from yishiting.deliberation.tests import votes_world as make
from yishiting.deliberation.tests.test_meetings import running
from yishiting.handling.services.archive import dossier_archive

from .archive_world import evaluating_topic


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_full_test_world_verifies_clean(world):
    """A demand taken into a topic through every stage to its dossier (attachment, notice, task, ratings), a planned-and-run
    meeting with recorded steps, and the vote factories' meeting with a secret ballot closed."""
    staff = world.users["community_secretary"]
    dossier_archive(actor=staff, topic=evaluating_topic(world, reports=2))
    meeting = running(world)
    step_record(actor=world.users["community_staff"], meeting=meeting, kind="speech", text="同意",
                speaker=world.people["resident"], party="resident", topic=meeting.agenda.get().topic)
    topic = make.topic(world, scope=None, title="社区停车收费方案")
    held = make.meeting(world, topic)
    for name in ("resident", "grid_worker", "community_staff"):
        make.participant(held, world.people[name])
    make.participant(held, world.people["resident2"], signed_in=False)
    vote = votes.vote_open(actor=staff, topic=topic, question="方案是否通过", method=VoteMethod.SECRET,
                           rule=VoteRule.MAJORITY, meeting=held)
    for name in ("resident", "grid_worker"):
        votes.vote_cast(actor=world.users[name], vote=vote, choice="同意")
    votes.vote_close(actor=staff, vote=vote)
    out = verify_clean()
    assert "全部校验通过" in out and "1 份档案" in out, out
    assert run_verify("--strict")[0]
