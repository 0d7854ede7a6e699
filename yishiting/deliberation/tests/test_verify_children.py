"""`yishiting verify` against resolutions, written proxies and secret-ballot counters changed by raw SQL (issue 16).
They have no chain of their own: their parent's events (topic.resolution, proxy.recorded, vote.closed, the
ballots' events) say what they hold, and verify names them by their own id."""

from __future__ import annotations

import pytest

from yishiting.common.testing import drop_fields, raw_sql, run_verify, tamper, verify_clean
from yishiting.deliberation.choices import VoteMethod, VoteRule
from yishiting.deliberation.models import OptionCount, Proxy, Resolution
from yishiting.deliberation.services import votes as services
from yishiting.deliberation.services.procedure import resolution_record

from .test_meetings import running
from .test_votes import estate, held, owners_vote  # noqa: F401  (fixtures)


def test_a_rewritten_or_removed_resolution_is_named(world):
    meeting = running(world)
    topic = meeting.agenda.get().topic
    resolution = resolution_record(actor=world.users["community_secretary"], meeting=meeting, topic=topic,
                                   text="同意加装电梯，费用按楼层分摊", next_step="publicity")
    verify_clean()
    tamper(f"UPDATE {Resolution._meta.db_table} SET text = %s, next_step = %s WHERE id = %s",
           ["不同意加装电梯", "dropped", resolution.pk], "deliberation.topic", topic.pk,
           f"协商决议（内容）#{resolution.pk} 与事件记录不符",
           f"协商决议（下一步）#{resolution.pk} 与事件记录不符（事件：publicity，表中：dropped）")


def test_a_proxy_handed_to_someone_else_is_named(world, estate, owners_vote):  # noqa: F811
    proxy = services.proxy_record(actor=world.users["community_secretary"], vote=owners_vote,
                                  household_id=world.households["H2"].pk, grantor=estate["li"],
                                  holder=estate["wang"], document="委托书 2026-001")
    verify_clean()
    tamper(f"UPDATE {Proxy._meta.db_table} SET holder_id = %s WHERE id = %s", [estate["wang_wife"].pk, proxy.pk],
           "deliberation.vote", owners_vote.pk,
           f"书面委托（受托人）#{proxy.pk} 与事件记录不符（事件：{estate['wang'].pk}，表中：{estate['wang_wife'].pk}）")


@pytest.fixture
def secret_vote(world, held):  # noqa: F811
    topic, meeting = held
    vote = services.vote_open(actor=world.users["community_secretary"], topic=topic, question="方案是否通过",
                              method=VoteMethod.SECRET, rule=VoteRule.TWO_THIRDS, meeting=meeting)
    for name, choice in (("resident", "同意"), ("grid_worker", "同意"), ("community_staff", "反对")):
        services.vote_cast(actor=world.users[name], vote=vote, choice=choice)
    return vote


def test_an_open_secret_vote_whose_counter_was_bumped_is_named(secret_vote):
    verify_clean()
    tamper(f"UPDATE {OptionCount._meta.db_table} SET count = count + 5 WHERE vote_id = %s AND option = %s",
           [secret_vote.pk, "反对"], "deliberation.vote", secret_vote.pk, "无记名计数合计 8 票，与投票事件记录的 3 张选票不符")


def test_a_closed_secret_vote_whose_counts_were_swapped_is_named(world, secret_vote):
    services.vote_close(actor=world.users["community_secretary"], vote=secret_vote)
    verify_clean()
    table = OptionCount._meta.db_table
    raw_sql(f"UPDATE {table} SET count = 1 WHERE vote_id = %s AND option = %s", [secret_vote.pk, "同意"])
    out = tamper(f"UPDATE {table} SET count = 2 WHERE vote_id = %s AND option = %s", [secret_vote.pk, "反对"],
                 "deliberation.vote", secret_vote.pk, "无记名计数#同意 与事件记录不符（事件：2，表中：1）")
    assert "无记名计数合计" not in out  # the total still matches the ballots: only the closing event tells


def test_an_opinion_whose_stance_or_text_was_changed_is_named(world):
    from yishiting.deliberation.models import Opinion
    from yishiting.deliberation.services.topics import opinion_give

    from .test_meetings import make_topic

    topic = make_topic(world)
    opinion = opinion_give(actor=world.users["resident"], topic=topic, stance="support", text="我家在6楼，很需要")
    verify_clean()
    tamper(f"UPDATE {Opinion._meta.db_table} SET stance = %s, text = %s WHERE id = %s", ["oppose", "不需要", opinion.pk],
           "deliberation.topic", topic.pk, f"居民意见（态度）#{opinion.pk} 与事件记录不符（事件：support，表中：oppose）",
           f"居民意见（内容）#{opinion.pk} 与事件记录不符")


def test_a_venue_changed_by_sql_is_named(world):
    from yishiting.deliberation.models import Venue

    from .test_meetings import make_venue

    venue = make_venue(world)
    verify_clean()
    tamper(f"UPDATE {Venue._meta.db_table} SET capacity = %s, is_active = %s WHERE id = %s", [400, False, venue.pk],
           "deliberation.venue", venue.pk, "容纳人数 与事件记录不符（事件：40，表中：400）", "启用 与事件记录不符")


def test_a_closed_votes_stored_result_turned_round_is_named(world, secret_vote):
    import json

    from yishiting.deliberation.models import Vote

    closed = services.vote_close(actor=world.users["community_secretary"], vote=secret_vote)
    forged = {**closed.result, "passed": not closed.result["passed"]}
    tamper(f"UPDATE {Vote._meta.db_table} SET result = %s WHERE id = %s", [json.dumps(forged), secret_vote.pk],
           "deliberation.vote", secret_vote.pk, "表决结果（是否通过） 与事件记录不符")


def test_a_secret_vote_closed_before_the_counts_were_recorded_cannot_be_reconciled(world, secret_vote):
    """An older vote.closed (without secret_counts), re-chained as it was written: "cannot reconcile", and
    --strict fails; never a silent pass."""
    from yishiting.common.models import Event

    services.vote_close(actor=world.users["community_secretary"], vote=secret_vote)
    event = Event.objects.filter(subject_type="deliberation.vote", subject_id=str(secret_vote.pk)).latest("seq")
    assert event.kind == "vote.closed" and "secret_counts" in event.payload
    drop_fields(event, "secret_counts")
    out = run_verify()[1]
    assert f"? deliberation.vote#{secret_vote.pk}: 无法核对 无记名计数#反对、无记名计数#同意、无记名计数#弃权" in out, out
    assert f"✗ deliberation.vote#{secret_vote.pk}" not in out, out
    passed, out = run_verify("--strict")
    assert not passed and "无法核对" in out


def test_a_show_of_hands_rewritten_by_sql_is_named(world, held):  # noqa: F811
    import json

    from yishiting.deliberation.models import Vote

    topic, meeting = held
    staff = world.users["community_secretary"]
    vote = services.vote_open(actor=staff, topic=topic, question="举手表决", method=VoteMethod.HANDS,
                              rule=VoteRule.MAJORITY, meeting=meeting)
    services.hands_record(actor=staff, vote=vote, counts={"同意": 1, "反对": 2})
    services.hands_record(actor=staff, vote=vote, counts={"同意": 2, "反对": 1})  # a correction
    verify_clean()
    hands = {**Vote.objects.get(pk=vote.pk).hands, "counts": {"同意": 3, "反对": 0, "弃权": 0}}
    tamper(f"UPDATE {Vote._meta.db_table} SET hands = %s WHERE id = %s", [json.dumps(hands), vote.pk],
           "deliberation.vote", vote.pk, "举手人数#同意 与事件记录不符（事件：2，表中：3）")
