"""`yishiting verify` against meetings, their participants and recorded steps, and topic attachments changed by
raw SQL (issue 16). Participants and steps have no chain of their own: the meeting's events (meeting.planned's
roster, meeting.participant_invited, meeting.signed_in, meeting.step) say what they hold, and verify names them
by their own id (a step by its number in the meeting)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yishiting.common.models import Event
from yishiting.common.testing import drop_fields, run_verify, tamper, verify_clean
from yishiting.deliberation.models import AgendaItem, Meeting, MeetingStep, Participant, TopicAttachment
from yishiting.deliberation.services.procedure import step_record
from yishiting.deliberation.services.topics import topic_attach

from .test_meetings import make_topic, plan, running

M, P, S = Meeting._meta.db_table, Participant._meta.db_table, MeetingStep._meta.db_table


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def meeting(world):
    """A meeting under way (every participant signed in) with one recorded speech; verify is clean."""
    held = running(world)
    step_record(actor=world.users["community_staff"], meeting=held, kind="speech", text="建议先征求一楼住户意见",
                speaker=world.people["resident"], party="resident", topic=held.agenda.get().topic)
    verify_clean()
    return held


def test_a_council_seat_given_by_sql_is_named(meeting):
    row = meeting.participants.filter(is_council_member=False).first() or meeting.participants.first()
    tamper(f"UPDATE {P} SET is_council_member = %s WHERE id = %s", [not row.is_council_member, row.pk],
           "deliberation.meeting", meeting.pk, f"参会人员（议事会成员）#{row.pk} 与事件记录不符")


def test_a_participant_swapped_for_someone_else_is_named(meeting, world):
    row = meeting.participants.exclude(person=world.people["resident2"]).order_by("pk").last()
    tamper(f"UPDATE {P} SET person_id = %s, party = %s WHERE id = %s", [world.people["resident2"].pk, "property", row.pk],
           "deliberation.meeting", meeting.pk, f"参会人员（人员）#{row.pk} 与事件记录不符",
           f"参会人员（代表方）#{row.pk} 与事件记录不符")


def test_a_participant_slipped_in_or_deleted_by_sql_is_named(meeting, world):
    tamper(f"INSERT INTO {P} (meeting_id, person_id, party, is_council_member, sign_in_code, signed_in_at) "
           f"SELECT meeting_id, %s, party, is_council_member, %s, signed_in_at FROM {P} WHERE id = %s",
           [world.people["resident3"].pk, "forged-code", meeting.participants.first().pk],
           "deliberation.meeting", meeting.pk, "参会人员（人员）#")
    forged = meeting.participants.get(person=world.people["resident3"])
    out = run_verify()[1]
    assert f"参会人员（人员）#{forged.pk} 与事件记录不符（事件：空" in out, out
    gone = meeting.participants.exclude(pk=forged.pk).order_by("pk").last()
    tamper(f"DELETE FROM {P} WHERE id = %s", [gone.pk], "deliberation.meeting", meeting.pk,
           f"参会人员（签到）#{gone.pk} 与事件记录不符（事件：True，表中：空）")


def test_a_sign_in_forged_by_sql_is_named(world):
    planned = plan(world)
    verify_clean()
    row = planned.participants.order_by("pk").last()
    tamper(f"UPDATE {P} SET signed_in_at = %s WHERE id = %s", [planned.starts_at, row.pk],
           "deliberation.meeting", planned.pk, f"参会人员（签到）#{row.pk} 与事件记录不符（事件：False，表中：True）")


def test_a_recorded_step_rewritten_or_deleted_by_sql_is_named(meeting, world):
    step = meeting.steps.get()
    tamper(f"UPDATE {S} SET text = %s, speaker_id = %s WHERE id = %s",
           ["同意加装，不需要再征求意见", world.people["resident2"].pk, step.pk], "deliberation.meeting", meeting.pk,
           f"会议记录（内容）#{step.seq} 与事件记录不符", f"会议记录（发言人）#{step.seq} 与事件记录不符")
    tamper(f"DELETE FROM {S} WHERE id = %s", [step.pk], "deliberation.meeting", meeting.pk,
           f"会议记录（环节）#{step.seq} 与事件记录不符（事件：speech，表中：空）")


def test_a_meeting_moved_or_retitled_by_sql_is_named(meeting):
    tamper(f"UPDATE {M} SET starts_at = %s, title = %s WHERE id = %s",
           [meeting.starts_at - timedelta(days=3), "另一个会", meeting.pk], "deliberation.meeting", meeting.pk,
           "开始时间 与事件记录不符", "会议名称 与事件记录不符")


def test_a_topic_attachment_renamed_or_swapped_by_sql_is_named(world, meeting):
    topic = meeting.agenda.get().topic
    attached = topic_attach(actor=world.users["community_secretary"], topic=topic, name="改造方案.pdf",
                            data=b"%PDF-1.4\n% plan\n")
    verify_clean()
    tamper(f"UPDATE {TopicAttachment._meta.db_table} SET name = %s, sha256 = %s WHERE id = %s",
           ["另一份方案.pdf", "0" * 64, attached.pk], "deliberation.topic", topic.pk,
           f"议题附件（文件名）#{attached.pk} 与事件记录不符（事件：改造方案.pdf，表中：另一份方案.pdf）",
           f"议题附件（SHA-256）#{attached.pk} 与事件记录不符")


def test_an_attachment_deleted_by_sql_is_named(world, meeting):
    topic = meeting.agenda.get().topic
    attached = topic_attach(actor=world.users["community_secretary"], topic=topic, name="改造方案.pdf",
                            data=b"%PDF-1.4\n% plan\n")
    tamper(f"DELETE FROM {TopicAttachment._meta.db_table} WHERE id = %s", [attached.pk], "deliberation.topic",
           topic.pk, f"议题附件（文件名）#{attached.pk} 与事件记录不符（事件：改造方案.pdf，表中：空）")


def test_a_plan_written_before_rosters_lists_its_participants_as_unknown_never_passes_strict(meeting):
    """A meeting.planned of an older release (no roster): its participants cannot be reconciled ("?"), a
    sign-in or step still is; --strict fails."""
    drop_fields(Event.objects.get(subject_type="deliberation.meeting", subject_id=str(meeting.pk),
                                  kind="meeting.planned"), "participants")
    passed, out = run_verify()
    assert passed and f"? deliberation.meeting#{meeting.pk}: 无法核对 参会人员" in out, out
    assert not run_verify("--strict")[0]


def test_an_attachment_event_of_an_older_release_cannot_be_reconciled(world, meeting):
    topic = meeting.agenda.get().topic
    topic_attach(actor=world.users["community_secretary"], topic=topic, name="改造方案.pdf", data=b"%PDF-1.4\n% x\n")
    drop_fields(Event.objects.get(subject_type="deliberation.topic", subject_id=str(topic.pk), kind="topic.attached"),
                "attachment", "size")
    passed, out = run_verify()
    assert passed and f"? deliberation.topic#{topic.pk}: 无法核对 议题附件" in out, out


def test_an_agenda_topic_swapped_by_sql_is_named(meeting, world):
    other = make_topic(world, title="小区停车位划线")
    item = meeting.agenda.get()
    tamper(f"UPDATE {AgendaItem._meta.db_table} SET topic_id = %s WHERE id = %s", [other.pk, item.pk],
           "deliberation.meeting", meeting.pk, f"议程（议题及顺序） 与事件记录不符（事件：{item.topic_id}，表中：{other.pk}）")
