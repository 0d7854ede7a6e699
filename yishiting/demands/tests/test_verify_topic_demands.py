"""`yishiting verify` against the demands a topic took in (topic.demand_added names them by number), tampered
with by raw SQL (issue 16)."""

from __future__ import annotations

from yishiting.common.testing import tamper, verify_clean
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen

D = Demand._meta.db_table


def test_a_demand_moved_out_of_or_into_a_topic_is_named(world, submit, django_capture_on_commit_callbacks):
    first, other = submit(), submit(text="3栋楼道的灯不亮了，好几天了")
    with django_capture_on_commit_callbacks(execute=True):
        demand_screen(actor=world.users["community_staff"], demand=first,
                      decision=Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="涉及全楼住户",
                                        topic_title="3栋楼道照明"))
    topic = Topic.objects.get()
    first.refresh_from_db()
    verify_clean()
    tamper(f"UPDATE {D} SET topic_id = %s WHERE id = %s", [topic.pk, other.pk], "deliberation.topic", topic.pk,
           f"收入的诉求（编号） 与事件记录不符（事件：{first.number}")
    tamper(f"UPDATE {D} SET topic_id = NULL WHERE topic_id = %s", [topic.pk], "deliberation.topic", topic.pk,
           "收入的诉求（编号） 与事件记录不符", "表中：空")


def test_the_topic_keeps_its_demand_count_and_verify_checks_it(world, submit, django_capture_on_commit_callbacks):
    """The topic index shows Topic.demand_count (issue 18): screening keeps it, the migration fills it in for
    topics that had demands before it, and `verify` names a topic whose count is wrong."""
    from importlib import import_module

    from django.apps import apps

    staff = world.users["community_staff"]
    first, second = submit(), submit(text="3栋楼道的灯不亮了，好几天了")
    with django_capture_on_commit_callbacks(execute=True):
        demand_screen(actor=staff, demand=first, decision=Decision(
            outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="涉及全楼住户", topic_title="3栋楼道照明"))
        topic = Topic.objects.get()
        demand_screen(actor=staff, demand=second, decision=Decision(
            outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="同一件事", topic=topic))
    topic.refresh_from_db()
    assert topic.demand_count == 2
    verify_clean()
    T = Topic._meta.db_table
    tamper(f"UPDATE {T} SET demand_count = 5 WHERE id = %s", [topic.pk], "deliberation.topic", topic.pk,
           "记录的关联诉求数 5 件，实际关联 2 件")
    import_module("yishiting.deliberation.migrations.0008_topic_demand_count").backfill(apps, None)
    topic.refresh_from_db()
    assert topic.demand_count == 2
    verify_clean()
