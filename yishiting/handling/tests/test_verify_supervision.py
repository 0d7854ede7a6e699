"""`yishiting verify` against a topic's supervision group, supervision records, bulletins and a task's warnings
tampered with by raw SQL (issue 16): each is named under the topic or task whose chain describes it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.common.testing import raw_sql, tamper, verify_clean, verify_names
from yishiting.handling.choices import MemberRole, SupervisionKind, WarningLevel
from yishiting.handling.models import Bulletin, SupervisionMember, SupervisionRecord, Warning
from yishiting.handling.services import supervision as services
from yishiting.handling.warnings import warnings_tick

from .tasks_world import assign, handling_topic


def test_a_group_member_swapped_or_slipped_in_is_named(world):
    topic = handling_topic(world)[0]
    staff = world.users["community_staff"]
    member = services.supervision_member_add(actor=staff, topic=topic, person=world.people["resident"],
                                             role=MemberRole.STAKEHOLDER)
    gone = services.supervision_member_add(actor=staff, topic=topic, person=world.people["grid_worker"],
                                           role=MemberRole.PARTY_ORG)
    services.supervision_member_remove(actor=staff, member=gone)
    verify_clean()
    tamper(f"UPDATE {SupervisionMember._meta.db_table} SET person_id = %s, role = %s WHERE id = %s",
           [world.people["resident2"].pk, MemberRole.PARTY_ORG, member.pk], "deliberation.topic", topic.pk,
           f"监督小组成员（人员）#{member.pk} 与事件记录不符", f"监督小组成员（身份）#{member.pk} 与事件记录不符")
    raw_sql(f"DELETE FROM {SupervisionMember._meta.db_table} WHERE id = %s", [member.pk])
    slipped = SupervisionMember.objects.create(topic=topic, person=world.people["resident3"], role=MemberRole.PARTY_ORG)
    verify_names("deliberation.topic", topic.pk, f"监督小组成员（人员）#{member.pk} 与事件记录不符",
                 f"监督小组成员（人员）#{slipped.pk} 与事件记录不符（事件：空")


def test_a_supervision_record_rewritten_on_a_topic_or_a_task_is_named(world):
    topic = handling_topic(world)[0]
    task = assign(world, topic)
    today = timezone.localdate()
    on_topic = services.supervision_record(actor=world.users["street_official"], kind=SupervisionKind.VISIT,
                                           topic=topic, text="走访3栋住户", happened_on=today)
    on_task = services.supervision_record(actor=world.users["street_official"], kind=SupervisionKind.HANDLING,
                                          task=task, text="督促更换灯具", happened_on=today)
    verify_clean()
    table = SupervisionRecord._meta.db_table
    tamper(f"UPDATE {table} SET text = %s, happened_on = %s WHERE id = %s",
           ["住户均表示满意", today - timedelta(days=3), on_topic.pk], "deliberation.topic", topic.pk,
           f"督办记录（内容）#{on_topic.pk} 与事件记录不符", f"督办记录（日期）#{on_topic.pk} 与事件记录不符")
    tamper(f"UPDATE {table} SET supervisor_id = %s, kind = %s WHERE id = %s",
           [world.people["community_secretary"].pk, SupervisionKind.VISIT, on_task.pk], "handling.task", task.pk,
           f"督办记录（督办人）#{on_task.pk} 与事件记录不符", f"督办记录（类别）#{on_task.pk} 与事件记录不符")


def test_a_bulletin_rewritten_or_deleted_is_named(world):
    topic = handling_topic(world)[0]
    bulletin = services.bulletin_post(actor=world.users["community_staff"], topic=topic, text="已更换10盏灯")
    verify_clean()
    tamper(f"UPDATE {Bulletin._meta.db_table} SET text = %s WHERE id = %s", ["全部完工", bulletin.pk],
           "deliberation.topic", topic.pk, f"进度通报（内容）#{bulletin.pk} 与事件记录不符")
    tamper(f"DELETE FROM {Bulletin._meta.db_table} WHERE id = %s", [bulletin.pk],
           "deliberation.topic", topic.pk, f"进度通报（内容）#{bulletin.pk} 与事件记录不符")


def test_a_warning_softened_or_deleted_is_named(world):
    task = assign(world, *handling_topic(world), days=5)
    warnings_tick(today=task.deadline + timedelta(days=3))
    red = Warning.objects.get(task=task, level=WarningLevel.RED)
    verify_clean()
    tamper(f"UPDATE {Warning._meta.db_table} SET level = %s WHERE id = %s", [WarningLevel.YELLOW, red.pk],
           "handling.task", task.pk, f"预警（级别）#{red.pk} 与事件记录不符（事件：red，表中：yellow）")
    tamper(f"DELETE FROM {Warning._meta.db_table} WHERE task_id = %s", [task.pk],
           "handling.task", task.pk, f"预警（针对的期限）#{red.pk} 与事件记录不符")
