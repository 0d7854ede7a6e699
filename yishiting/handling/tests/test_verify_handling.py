"""`yishiting verify` against tasks, ratings, rounds and dossiers tampered with by raw SQL (issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yishiting.common.testing import run_verify, tamper, verify_clean
from yishiting.handling.choices import Satisfaction
from yishiting.handling.models import Rating, Task
from yishiting.handling.services import evaluation as services

from .tasks_world import assign, handling_topic
from .test_evaluation import evaluating_topic

T = Task._meta.db_table


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(world):
    made = assign(world, *handling_topic(world))
    verify_clean()
    return made


def test_a_moved_deadline_is_named(task):
    tamper(f"UPDATE {T} SET deadline = %s WHERE id = %s", [task.deadline + timedelta(days=30), task.pk],
           "handling.task", task.pk, "办理期限 与事件记录不符")


def test_a_task_closed_by_sql_is_named(task):
    tamper(f"UPDATE {T} SET status = 'closed' WHERE id = %s", [task.pk], "handling.task", task.pk,
           "状态 与事件记录不符（事件：in_progress，表中：closed）")


def test_a_task_handed_to_someone_else_is_named(task, world):
    tamper(f"UPDATE {T} SET handler_id = %s WHERE id = %s", [world.people["resident2"].pk, task.pk],
           "handling.task", task.pk, "经办人 与事件记录不符")


def test_an_approved_extension_reconciles(task, world):
    from yishiting.handling.services.tasks import extension_decide, extension_request

    asked = extension_request(actor=world.users["handler"], task=task, new_deadline=task.deadline + timedelta(days=40),
                              reason="材料未到")
    extension_decide(actor=world.users["community_staff"], extension=asked, approve=True)
    verify_clean()


def test_a_changed_rating_is_named_on_its_round(world):
    _, round_ = evaluating_topic(world)
    rating = services.rating_give(actor=world.users["resident"], round=round_, value=Satisfaction.DISSATISFIED,
                                  comment="还是不亮")
    assert run_verify()[0]
    tamper(f"UPDATE {Rating._meta.db_table} SET value = %s WHERE id = %s", [Satisfaction.SATISFIED, rating.pk],
           "handling.evaluationround", round_.pk, f"群众评价#{rating.pk} 与事件记录不符（事件：dissatisfied，表中：satisfied）")


def test_an_extension_whose_dates_or_status_were_changed_is_named(task, world):
    from yishiting.handling.models import Extension
    from yishiting.handling.services.tasks import extension_request

    asked = extension_request(actor=world.users["handler"], task=task, new_deadline=task.deadline + timedelta(days=40),
                              reason="材料未到")
    assert run_verify()[0]
    tamper(f"UPDATE {Extension._meta.db_table} SET new_deadline = %s, status = 'approved' WHERE id = %s",
           [task.deadline + timedelta(days=90), asked.pk], "handling.task", task.pk,
           f"延期申请（状态）#{asked.pk} 与事件记录不符（事件：pending，表中：approved）",
           f"延期申请（申请延至）#{asked.pk} 与事件记录不符")


def test_an_objection_rewritten_or_answered_by_sql_is_named(world, monkeypatch):
    from yishiting.handling.models import Objection
    from yishiting.handling.services import notices

    from .test_notices import published

    notice = published(world, monkeypatch)
    objection = notices.objection_raise(actor=world.users["resident"], notice=notice, text="灯太亮影响休息")
    out = run_verify()[1]
    assert f"handling.notice#{notice.pk}" not in out and "无法核对" not in out, out
    tamper(f"UPDATE {Objection._meta.db_table} SET text = %s, answer = %s, substantial = %s WHERE id = %s",
           ["没有意见", "已处理", False, objection.pk], "handling.notice", notice.pk,
           *(f"异议（{what}）#{objection.pk} 与事件记录不符" for what in ("内容", "答复", "实质性")))


def test_a_closed_rounds_result_rewritten_by_sql_is_named(world):
    import json

    from yishiting.handling.models import EvaluationRound

    _, round_ = evaluating_topic(world)
    services.rating_give(actor=world.users["resident"], round=round_, value=Satisfaction.SATISFIED, comment="")
    closed = services.round_close(actor=world.users["community_staff"], round=round_)
    assert run_verify()[0] and closed.result["satisfaction"]["percent"] == "100.00"
    forged = {**closed.result, "satisfaction": {**closed.result["satisfaction"], "percent": "60.00"}}
    tamper(f"UPDATE {EvaluationRound._meta.db_table} SET result = %s WHERE id = %s", [json.dumps(forged), round_.pk],
           "handling.evaluationround", round_.pk, "评价结果 与事件记录不符")


def test_a_progress_report_or_its_photo_changed_by_sql_is_named(task, world):
    from yishiting.handling.models import ProgressReport, TaskFile
    from yishiting.handling.services.tasks import task_report

    from .archive_world import jpeg

    report = task_report(actor=world.users["handler"], task=task, text="已更换2盏灯", percent=30,
                         photos=[("进展1.jpg", jpeg())])
    verify_clean()
    tamper(f"UPDATE {ProgressReport._meta.db_table} SET percent = %s WHERE id = %s", [90, report.pk],
           "handling.task", task.pk, f"进展报告（进度）#{report.pk} 与事件记录不符（事件：30，表中：90）")
    tamper(f"UPDATE {TaskFile._meta.db_table} SET sha256 = %s WHERE report_id = %s", ["f" * 64, report.pk],
           "handling.task", task.pk, f"进展报告（照片 SHA-256）#{report.pk} 与事件记录不符")


def test_an_organisation_score_raised_by_sql_is_named(world):
    from yishiting.handling.models import OrgAssessment

    _, round_ = evaluating_topic(world)
    services.org_assess(actor=world.users["street_official"], round=round_, score=60)
    verify_clean()
    tamper(f"UPDATE {OrgAssessment._meta.db_table} SET score = %s WHERE round_id = %s", [98, round_.pk],
           "handling.evaluationround", round_.pk, "组织考评得分 与事件记录不符（事件：60，表中：98）")
