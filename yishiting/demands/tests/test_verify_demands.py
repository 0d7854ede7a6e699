"""`yishiting verify` against a demand tampered with by raw SQL (issue 16): each change is named, verify fails."""

import pytest

from yishiting.common.models import Event
from yishiting.common.testing import (
    delete_chain,
    drop_fields,
    raw_sql,
    rewrite_event,
    run_verify,
    tamper,
    verify_clean,
    verify_names,
)
from yishiting.demands.choices import Outcome
from yishiting.demands.models import Category, Demand
from yishiting.demands.screening import Decision, demand_screen

D = Demand._meta.db_table


@pytest.fixture
def demand(submit, world):
    made = submit("resident", text="幸福苑3栋楼道灯坏了一个星期", area=world.areas["B1"])
    submit("resident", text="小区东门的路灯不亮", area=world.areas["B1"])  # an untouched neighbour
    verify_clean()
    return made


def test_an_intact_demand_reconciles_and_verify_passes(demand):
    verify_clean()


@pytest.mark.parametrize(("column", "value", "what", "also"), [
    ("text", "楼道灯已经修好了，不用管", "内容", "1 个对象与事件记录不符"),
    # a status changed by hand also leaves the "open now" gauge counting a pending demand that is not one
    ("status", "rejected", "状态", "在办统计（区域 幸福区，环节 screening"),
])
def test_an_edited_demand_column_is_named(demand, column, value, what, also):
    tamper(f"UPDATE {D} SET {column} = %s WHERE id = %s", [value, demand.pk], "demands.demand", demand.pk,
           f"{what} 与事件记录不符", also)


def test_a_moved_demand_and_a_changed_reporter_are_named(demand, world):
    tamper(f"UPDATE {D} SET area_id = %s, reporter_id = %s WHERE id = %s",
           [world.areas["B2"].pk, world.people["resident2"].pk, demand.pk], "demands.demand", demand.pk,
           "发生地 与事件记录不符", "诉求人 与事件记录不符")


def test_a_deleted_only_event_and_its_head_leave_a_demand_without_chain(demand):
    delete_chain("demands.demand", demand.pk)
    verify_names("demands.demand", demand.pk, "该对象没有事件链")


def test_a_demand_deleted_with_its_event_and_head_leaves_a_hole_in_the_numbers(demand):
    delete_chain("demands.demand", demand.pk)
    raw_sql(f"DELETE FROM {Demand.keys.rel.related_model._meta.db_table} WHERE demand_id = %s", [demand.pk])
    raw_sql("DELETE FROM notifications_delivery WHERE notification_id IN (SELECT id FROM notifications_notification"
            " WHERE subject_type = 'demands.demand' AND subject_id = %s)", [str(demand.pk)])  # its SMS outbox rows
    raw_sql("DELETE FROM notifications_notification WHERE subject_type = 'demands.demand' AND subject_id = %s",
            [str(demand.pk)])
    raw_sql(f"DELETE FROM {D} WHERE id = %s", [demand.pk])
    passed, out = run_verify()
    assert not passed and f"诉求编号 {demand.number} 不见了" in out, out


def test_a_deleted_demand_row_leaves_its_chain_without_object(demand):
    raw_sql(f"DELETE FROM {Demand.keys.rel.related_model._meta.db_table} WHERE demand_id = %s", [demand.pk])
    tamper(f"DELETE FROM {D} WHERE id = %s", [demand.pk], "demands.demand", demand.pk, "有事件链，但对象本身已被删除")


def test_a_demand_whose_event_predates_the_fields_cannot_be_reconciled_and_strict_says_so(demand):
    """An event written before the reconciliation release: listed as "cannot reconcile", never a silent pass."""
    drop_fields(Event.objects.get(subject_type="demands.demand", subject_id=str(demand.pk)),
                "text_sha256", "reporter", "household")
    passed, out = run_verify()
    assert passed and f"? demands.demand#{demand.pk}: 无法核对 住户、诉求人、内容" in out, out
    passed, out = run_verify("--strict")
    assert not passed and "1 个对象无法核对" in out


def test_keyed_submissions_verify_and_a_recomputed_plain_hash_does_not(submit, world, settings):
    """With EVENT_HMAC_KEY the first event is signed (on PostgreSQL by the one-statement insert)."""
    settings.EVENT_HMAC_KEY = "test-event-key-0123456789abcdefghijklmnop"
    demand = submit("resident", text="3栋门禁坏了", area=world.areas["B1"])
    passed, out = run_verify("--anchor-out", "/dev/null")  # the persona world's own unkeyed events: adopted
    assert passed and f"demands.demand#{demand.pk}" not in out, out
    event = Event.objects.get(subject_type="demands.demand", subject_id=str(demand.pk))
    signed = event.hash
    assert rewrite_event(event, event.payload) != signed  # the same payload, re-hashed without the key
    verify_names("demands.demand", demand.pk, "第 1 条事件（demand.submitted）没有密钥签名")


def test_a_recategorised_or_reprioritised_demand_is_named(demand):
    other = Category.objects.exclude(pk=demand.category_id).order_by("pk").first()
    tamper(f"UPDATE {D} SET category_id = %s, urgency = %s WHERE id = %s", [other.pk, "critical", demand.pk],
           "demands.demand", demand.pk, f"类别 与事件记录不符（事件：{demand.category_id}，表中：{other.pk}）",
           "紧急程度 与事件记录不符（事件：normal，表中：critical）")


def test_a_screening_outcome_rewritten_by_sql_is_named(demand, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
            outcome=Outcome.ESCALATE, reason="涉及多个社区，需街道协调"))
    verify_clean()
    tamper(f"UPDATE {D} SET outcome = %s WHERE id = %s", [Outcome.REJECT, demand.pk], "demands.demand", demand.pk,
           "筛选结果 与事件记录不符（事件：escalate，表中：reject）")


def test_a_demand_whose_event_predates_category_and_urgency_lists_them_as_unknown(demand):
    drop_fields(Event.objects.get(subject_type="demands.demand", subject_id=str(demand.pk)), "category_id", "urgency")
    passed, out = run_verify()
    assert passed and f"? demands.demand#{demand.pk}: 无法核对 类别、紧急程度" in out, out
    assert not run_verify("--strict")[0]
