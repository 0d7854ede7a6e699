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
