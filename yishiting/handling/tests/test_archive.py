"""备: the dossier assembled from the event log, archiving (once), immutability in the database, and verify."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yishiting.common.errors import Conflict, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.models import Event, EventHead
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.services.topics import topic_transition
from yishiting.deliberation.tests import votes_world as make
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.choices import RoundStatus, SupervisionKind, TaskStatus
from yishiting.handling.dossier import content_hash, dossier_assemble
from yishiting.handling.models import Dossier, EvaluationRound, Notice, Task
from yishiting.handling.models.archive import SealedSubject, archive_maintenance
from yishiting.handling.services.archive import dossier_archive, dossier_archive_task
from yishiting.handling.services.supervision import supervision_record
from yishiting.handling.services.tasks import task_accept, task_reopen, task_report, task_submit, task_verify

from .archive_world import evaluating_topic, jpeg

pytestmark = pytest.mark.django_db


def _archive(world, topic, persona="community_secretary") -> Dossier:
    return dossier_archive(actor=world.users[persona], topic=topic)


def _entries(content) -> list[dict]:
    return [e for stage in content["stages"] for e in stage["entries"]]


@contextlib.contextmanager
def _triggers_off():
    """Bypass the immutability triggers as an attacker with database access would (undone with the test)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # deferred FK checks would block the ALTER inside the test transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE handling_dossier DISABLE TRIGGER handling_dossier_immutable")
        yield
    else:
        with archive_maintenance():
            yield


# — assembling —

def test_dossier_lists_every_stage_in_time_order_with_officials_named_and_residents_masked(world):
    topic = evaluating_topic(world)
    content = dossier_assemble(topic=topic)
    assert [s["heading"][0] for s in content["stages"]] == list("集定议公办督评备")
    entries = _entries(content)
    kinds = [e["kind"] for e in entries]
    assert kinds[0] == "demand.submitted" and "task.closed" in kinds and "evaluation.closed" in kinds
    for stage in content["stages"]:
        times = [e["at"] for e in stage["entries"]]
        assert times == sorted(times)
    submitted = next(e for e in entries if e["kind"] == "demand.submitted")
    assert submitted["who"] == "居民 张*" and "张三" not in str(content)
    closed = next(e for e in entries if e["kind"] == "task.closed")
    assert closed["who"] == "社区工作人员 钱社工"
    assert content["ratings"] == {"满意": 1, "基本满意": 1, "不满意": 0}
    assert "陈街坊" not in str(content) and "陈*" not in str(content)  # a rater is never named, not even masked


def test_dossier_lists_attachments_of_every_stage_with_sha256(world):
    topic = evaluating_topic(world)
    attachments = dossier_assemble(topic=topic)["attachments"]
    assert [a["source"].split(" ")[0][:2] for a in attachments] == ["诉求", "议题", "任务"]
    assert all(len(a["sha256"]) == 64 and a["size"] > 0 for a in attachments)
    assert attachments[1]["name"] == "改造方案.pdf"


def test_stage_headings_use_the_templates_local_step_names(world):
    topic = evaluating_topic(world)
    topic.template.stage_names = {"deliberate": ["征求意见", "协商议事"]}
    topic.template.save(update_fields=["stage_names"])
    headings = [s["heading"] for s in dossier_assemble(topic=topic)["stages"]]
    assert headings[2] == "议 · 征求意见、协商议事" and headings[4] == "办 · 落实办理"


def test_assembling_costs_the_same_queries_however_long_the_matter(world, django_assert_max_num_queries):
    short = evaluating_topic(world, reports=1)
    with django_assert_max_num_queries(25) as short_queries:
        dossier_assemble(topic=short)
    long = evaluating_topic(world, reports=8)
    with django_assert_max_num_queries(len(short_queries)):
        content = dossier_assemble(topic=long)
    assert sum(e["kind"] == "task.reported" for e in _entries(content)) == 8


# — archiving —

def test_archiving_moves_the_topic_to_archived_and_seals_the_content_and_chain(world):
    topic = evaluating_topic(world)
    dossier = _archive(world, topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ARCHIVED
    year = timezone.localdate().year
    assert dossier.number == f"档-{year}-000001" and dossier.year == year
    assert dossier.content_sha256 == content_hash(dossier.content)
    dossier.refresh_from_db()  # what the database gives back still hashes the same
    assert dossier.content_sha256 == content_hash(dossier.content)
    head = EventHead.objects.get(subject_type="deliberation.topic", subject_id=str(topic.pk))
    assert dossier.chain_head == head.hash
    assert _entries(dossier.content)[-1]["kind"] == "topic.archived"
    assert dossier.content["archived_by"] == "社区书记 孙书记"
    assert "楼道灯" in dossier.search_text and dossier.category


def test_archiving_twice_is_a_conflict_and_leaves_one_dossier(world):
    topic = evaluating_topic(world)
    _archive(world, topic)
    with pytest.raises(Conflict) as err:
        _archive(world, topic)
    assert err.value.code == "already_archived"
    assert Dossier.objects.count() == 1


def test_numbers_count_per_year(world):
    first = _archive(world, evaluating_topic(world))
    second = _archive(world, evaluating_topic(world))
    assert second.number == first.number[:-6] + "000002"


@pytest.mark.parametrize("setup, code", [
    ("handling", "not_ready"), ("round_open", "evaluation_open"), ("reopened", "reopened"),
    ("task_open", "tasks_open"),
])
def test_a_topic_not_finished_is_refused_and_nothing_changes(world, setup, code):
    topic = evaluating_topic(world)
    if setup == "handling":
        topic_transition(actor=world.users["community_secretary"], topic=topic, to=TopicStatus.HANDLING)
    elif setup == "round_open":
        EvaluationRound.objects.filter(topic=topic).update(status=RoundStatus.OPEN)
    elif setup == "reopened":
        EvaluationRound.objects.filter(topic=topic).update(reopened=True, reopen_reason="不满意超过三成")
    else:
        Task.objects.filter(topic=topic).update(status=TaskStatus.IN_PROGRESS)
    status = Topic_status(topic)
    with pytest.raises(Conflict) as err:
        _archive(world, topic)
    assert err.value.code == code
    assert Topic_status(topic) == status and not Dossier.objects.exists() and not SealedSubject.objects.exists()


def Topic_status(topic) -> str:  # noqa: N802 — reads like the field it checks
    topic.refresh_from_db()
    return topic.status


@pytest.mark.parametrize("persona, allowed", [
    ("resident", False), ("grid_worker", False), ("handler", False), ("community_staff", True),
    ("community_secretary", True), ("street_official", True), ("district_official", True),
])
def test_who_may_archive(world, persona, allowed):
    topic = evaluating_topic(world)
    if allowed:
        assert _archive(world, topic, persona).topic_id == topic.pk
    else:
        with pytest.raises(PermissionDeniedError):
            _archive(world, topic, persona)
        assert Topic_status(topic) == TopicStatus.EVALUATING


def test_staff_of_another_community_may_not_archive(world):
    from yishiting.areas.choices import Role
    from yishiting.areas.services import person_create, role_assign
    from yishiting.common.testing import make_user

    person = person_create(actor=None, name="何社工", mobile="13800000099", area=world.areas["C2"])
    make_user(world, "c2_staff", person)
    role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=world.areas["C2"])
    topic = evaluating_topic(world)
    with pytest.raises(PermissionDeniedError):
        _archive(world, topic, "c2_staff")
    assert Topic_status(topic) == TopicStatus.EVALUATING


def _direct_task(world) -> Task:
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="家门口的下水道堵了，请帮忙疏通", area=world.areas["B1"]))
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=5)))
    demand.refresh_from_db()
    task = demand.task
    task_accept(actor=world.users["handler"], task=task)
    task_report(actor=world.users["handler"], task=task, text="已疏通", percent=100, photos=[("现场.jpg", jpeg())])
    task_submit(actor=world.users["handler"], task=task, evidence="疏通完毕")
    return task_verify(actor=world.users["community_staff"], task=task, approve=True)


def test_a_closed_direct_handling_task_is_archived_with_its_demand(world):
    task = _direct_task(world)
    dossier = dossier_archive_task(actor=world.users["community_staff"], task=task)
    kinds = [e["kind"] for e in _entries(dossier.content)]
    assert kinds[:2] == ["demand.submitted", "demand.handling"] and "task.closed" in kinds
    assert dossier.content["attachments"][0]["name"] == "现场.jpg"
    with pytest.raises(Conflict, match="已经归档"):
        dossier_archive_task(actor=world.users["community_staff"], task=task)


def test_a_topics_task_or_an_open_task_is_not_archived_alone(world):
    topic = evaluating_topic(world)
    with pytest.raises(Conflict) as err:
        dossier_archive_task(actor=world.users["community_staff"], task=topic.tasks.get())
    assert err.value.code == "archive_with_topic"
    task = _direct_task(world)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    with pytest.raises(Conflict, match="销号后才能归档"):
        dossier_archive_task(actor=world.users["community_staff"], task=task)


# — immutable —

def test_the_database_refuses_to_update_or_delete_a_dossier(world):
    dossier = _archive(world, evaluating_topic(world))
    attempts = [
        lambda: Dossier.objects.filter(pk=dossier.pk).update(title="改过的标题"),
        lambda: connection.cursor().execute("DELETE FROM handling_dossier WHERE id = %s", [dossier.pk]),
        lambda: SealedSubject.objects.filter(dossier=dossier).delete(),
        lambda: connection.cursor().execute("UPDATE handling_dossier SET content = '{}' WHERE id = %s",
                                            [dossier.pk]),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="archived_immutable"), transaction.atomic():
            attempt()
    dossier.refresh_from_db()
    assert dossier.title == "幸福苑3栋楼道照明改造" and dossier.content_sha256 == content_hash(dossier.content)


def test_nothing_about_an_archived_matter_can_change_afterwards(world):
    topic = evaluating_topic(world)
    _archive(world, topic)
    task, notice = topic.tasks.get(), Notice.objects.get(topic=topic)
    demand = topic.demands.get()
    before = Event.objects.count()
    attempts = [
        lambda: task_reopen(actor=world.users["community_staff"], task=task, reason="居民不满意"),
        lambda: supervision_record(actor=world.users["community_staff"], task=task, kind=SupervisionKind.REVISIT,
                                   text="回访", happened_on=timezone.localdate()),
        lambda: event_append(subject=notice, kind="objection.raised", actor=world.users["resident"],
                             payload={"text": "迟到的异议"}),
        lambda: event_append(subject=demand, kind="demand.merged", actor=world.users["community_staff"]),
        lambda: event_append(subject=topic, kind="topic.analysed", actor=world.users["community_secretary"]),
    ]
    for attempt in attempts:  # a service that checks first answers in Chinese; the database refuses the rest
        with pytest.raises((IntegrityError, Conflict), match="archived_sealed|已归档"), transaction.atomic():
            attempt()
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and Event.objects.count() == before
    assert not task.supervision_records.exists()


def test_flush_still_empties_the_archive(world):
    """transaction=True tests flush between tests: `flush` may empty the tables no one else may delete from."""
    _archive(world, evaluating_topic(world))
    if connection.vendor == "postgresql":  # TRUNCATE may not run while deferred FK checks are pending
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Dossier.objects.exists() and not SealedSubject.objects.exists()


# — verify —

def test_verify_passes_on_an_intact_archive(world, capsys):
    _archive(world, evaluating_topic(world))
    call_command("verify")
    out = capsys.readouterr().out
    assert "1 份档案" in out and "全部校验通过" in out


def test_verify_names_a_dossier_whose_content_was_changed_behind_the_triggers(world, capsys):
    dossier = _archive(world, evaluating_topic(world))
    other = _archive(world, evaluating_topic(world))
    tampered = {**dossier.content, "title": "被篡改的标题"}
    with _triggers_off():
        Dossier.objects.filter(pk=dossier.pk).update(content=tampered)
    with pytest.raises(CommandError, match="1 份校验失败"):
        call_command("verify")
    out = capsys.readouterr().out
    assert f"档案 {dossier.number}" in out and "内容被修改" in out and other.number not in out


def test_verify_names_a_dossier_whose_sealed_event_was_rewritten(world, capsys):
    topic = evaluating_topic(world)
    dossier = _archive(world, topic)
    last = Event.objects.get(subject_type="deliberation.topic", subject_id=str(topic.pk), hash=dossier.chain_head)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE common_event SET hash = %s WHERE id = %s", ["0" * 64, last.pk])
    with pytest.raises(CommandError):
        call_command("verify")
    out = capsys.readouterr().out
    assert f"档案 {dossier.number}" in out and "事件链哈希已不在" in out
    assert f"deliberation.topic#{topic.pk}" in out


def test_a_local_step_shared_by_two_stages_heads_only_the_later_one(world):
    topic = evaluating_topic(world)
    topic.template.stage_names = {"collect": ["确定议题"], "decide": ["确定议题"], "deliberate": ["协商议事"]}
    topic.template.save(update_fields=["stage_names"])
    headings = [s["heading"] for s in dossier_assemble(topic=topic)["stages"]]
    assert headings[0] == "集 · 收集诉求" and headings[1] == "定 · 确定议题" and headings[2] == "议 · 协商议事"


def test_sign_ins_are_one_record_each_in_the_content_and_one_line_in_every_rendering(world):
    from yishiting.deliberation.choices import Party
    from yishiting.deliberation.models import Meeting
    from yishiting.handling.dossier_render import dossier_docx, dossier_view

    topic = evaluating_topic(world)
    meeting = Meeting.objects.get(agenda__topic=topic)
    invited = []
    for persona, party in [("resident", Party.RESIDENT), ("resident2", Party.RESIDENT),
                           ("community_staff", Party.STAFF)]:
        invited.append(make.participant(meeting, world.people[persona], party=party, signed_in=False))
    for participant in invited:  # signed in one after another, as at the door
        make.sign_in(participant, actor=world.users["community_secretary"])
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    stored = [e for e in _entries(dossier.content) if e["kind"] == "meeting.signed_in"]
    assert [e["what"] for e in stored] == ["参会人 张* 签到", "参会人 李* 签到", "参会人 社区工作人员 钱社工 签到"]
    shown = [e for s in dossier_view(dossier).stages for e in s["entries"] if e["kind"] == "meeting.signed_in"]
    assert [e["what"] for e in shown] == ["3 位参会人签到：张*、李*、社区工作人员 钱社工"]
    import io

    from docx import Document
    cells = [c.text for t in Document(io.BytesIO(dossier_docx(dossier))).tables for r in t.rows for c in r.cells]
    assert "3 位参会人签到：张*、李*、社区工作人员 钱社工" in cells and "参会人 张* 签到" not in cells


def test_phone_and_id_numbers_in_a_dossiers_texts_are_masked_when_shown(world):
    from yishiting.handling.dossier_render import dossier_view

    dossier = dossier_archive(actor=world.users["community_secretary"], topic=evaluating_topic(world))
    typed = {**dossier.content, "title": "13812345678反映的路灯",
             "demands": [{"number": "2026-000123", "category": "市政", "text": "路灯坏了，电话13812345678"}]}
    view = dossier_view(Dossier(content=typed, content_sha256=dossier.content_sha256))
    assert view.title == "138****5678反映的路灯" and view.demands[0]["text"] == "路灯坏了，电话138****5678"
    assert view.demands[0]["number"] == "2026-000123" and "13812345678" not in str(view.meta)
