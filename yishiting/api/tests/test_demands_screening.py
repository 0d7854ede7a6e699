"""Screening through the API: the inbox, the five outcomes, escalation upward, conflicts, bulk merge,
the three lists and their XLSX export, and who may do each."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yishiting.common.models import Event
from yishiting.deliberation.models import Topic
from yishiting.demands.models import ConsultationRule, Demand
from yishiting.handling.models import Task

from .conftest import assert_error
from .test_demands import ELEVATOR, file_demand

LITTER = "小区东门垃圾桶满了没人清运，臭气熏天"
TOPIC = {"outcome": "topic", "nature": "public", "topic_title": "3栋电梯维修", "reason": "全楼住户受影响"}


def exclude_rule() -> ConsultationRule:
    return ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE).first()


def test_the_inbox_sorts_by_urgency_then_deadline_and_marks_what_is_overdue(world, api_as):
    client = api_as("resident")
    normal = file_demand(client, world)
    late = file_demand(client, world, text=LITTER)
    critical = file_demand(client, world, text="3栋楼道电线冒火花，很危险", urgency="critical")
    Demand.objects.filter(pk=late["id"]).update(screening_deadline=timezone.localdate() - timedelta(days=1))
    inbox = api_as("community_staff").get("/demands/inbox").json()["items"]
    assert [(d["id"], d["overdue"]) for d in inbox] == [(critical["id"], False), (late["id"], True),
                                                        (normal["id"], False)]
    overdue = api_as("community_staff").get("/demands/inbox", overdue=True).json()["items"]
    assert [d["id"] for d in overdue] == [late["id"]]
    assert_error(api_as("grid_worker").get("/demands/inbox"), 403, "permission_denied")


def test_screening_to_a_topic_then_a_second_screening_is_a_conflict(world, api_as, messages_outbox,
                                                                   django_capture_on_commit_callbacks):
    demand = file_demand(api_as("resident"), world)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("community_staff").post(f"/demands/{demand['id']}/screen", TOPIC)
    assert response.status_code == 200, response.content.decode()
    data = response.json()
    assert (data["status"], data["nature_label"], data["responsibility"]["title"]) == ("topic", "公共事务", "3栋电梯维修")
    assert "转为议题“3栋电梯维修”" in data["timeline"][-1]["what"] and data["timeline"][-1]["who"] == "社区工作人员 钱社工"
    assert "已转为议题" in messages_outbox[-1].text
    again = api_as("community_secretary").post(f"/demands/{demand['id']}/screen",
                                               {"outcome": "reject", "nature": "individual", "reason": "x",
                                                "rejection_rule_id": exclude_rule().pk})
    assert_error(again, 409, "already_screened")
    assert Demand.objects.get().status == "topic" and Topic.objects.count() == 1


def test_screening_opens_the_topic_under_the_template_of_the_matters_area(world, api_as):
    from yishiting.deliberation.models import ProcessTemplate
    from yishiting.deliberation.services.assignments import template_assign

    demand = file_demand(api_as("resident"), world)
    staff = api_as("community_staff")
    unknown = staff.post(f"/demands/{demand['id']}/screen", {**TOPIC, "template_code": "atlantis"})
    assert_error(unknown, 400, "invalid_template")
    staff.post(f"/demands/{demand['id']}/screen", {**TOPIC, "topic_title": "东门垃圾清运"})
    assert Topic.objects.get(title="东门垃圾清运").template.code == "kenli-345"  # nothing set: the district's default
    template_assign(actor=world.users["admin"], area=world.areas["S1"],
                    template=ProcessTemplate.objects.get(code="nanchang-round-table"), reason="街道推行幸福圆桌会")
    other = file_demand(api_as("resident"), world, text=LITTER)
    picked = staff.post(f"/demands/{other['id']}/screen", {**TOPIC, "template_code": "yangzhou-5yi"})
    assert_error(picked, 400, "template_by_area")  # staff do not choose: the street's template applies
    assert "幸福圆桌会" in picked.json()["message"] and "东风街道" in picked.json()["message"]
    assert staff.post(f"/demands/{other['id']}/screen", TOPIC).status_code == 200
    assert Demand.objects.get(pk=other["id"]).topic.template.code == "nanchang-round-table"  # inherited from S1


def test_expected_status_guards_against_a_stale_screen(world, api_as):
    demand = file_demand(api_as("resident"), world)
    response = api_as("community_staff").post(f"/demands/{demand['id']}/screen",
                                              {**TOPIC, "expected_status": "escalated"})
    assert_error(response, 409, "already_screened")
    assert Demand.objects.get().status == "pending" and Topic.objects.count() == 0


def test_escalation_hands_the_demand_to_the_street_whose_official_screens_it(world, api_as):
    demand = file_demand(api_as("resident"), world)
    staff, street = api_as("community_staff"), api_as("street_official")
    up = staff.post(f"/demands/{demand['id']}/screen", {"outcome": "escalate", "reason": "涉及多个社区，需街道协调"})
    assert up.status_code == 200, up.content.decode()
    assert (up.json()["status_label"], up.json()["screening_area"]["name"]) == ("已提请上级", "东风街道")
    assert "提请东风街道研究处理" in up.json()["timeline"][-1]["what"]
    assert staff.get("/demands/inbox").json()["count"] == 0
    assert [d["id"] for d in street.get("/demands/inbox").json()["items"]] == [demand["id"]]
    # The community staff can no longer decide it: it is the street's now.
    assert_error(staff.post(f"/demands/{demand['id']}/screen", TOPIC), 403, "permission_denied")
    done = street.post(f"/demands/{demand['id']}/screen", TOPIC)
    assert done.status_code == 200 and done.json()["status"] == "topic"


def test_direct_handling_assigns_a_handler_with_a_deadline(world, api_as):
    demand = file_demand(api_as("resident"), world)
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = api_as("community_staff").post(f"/demands/{demand['id']}/screen", {
        "outcome": "handling", "nature": "individual", "handler_id": world.people["handler"].pk, "deadline": deadline})
    assert response.status_code == 200, response.content.decode()
    responsibility = response.json()["responsibility"]
    assert responsibility == {"kind": "task", "title": ELEVATOR, "status_label": "已交办", "handler": "郑**",
                              "organization": "东风街道城管执法队", "deadline": deadline}
    assert Task.objects.get().handler == world.people["handler"]


def test_a_handler_from_elsewhere_is_not_found_and_nothing_changes(world, api_as):
    demand = file_demand(api_as("resident"), world)
    response = api_as("community_staff").post(f"/demands/{demand['id']}/screen", {
        "outcome": "handling", "nature": "individual", "handler_id": world.people["resident3"].pk,
        "deadline": (timezone.localdate() + timedelta(days=5)).isoformat()})
    assert_error(response, 404, "not_found")
    assert Demand.objects.get().status == "pending" and Task.objects.count() == 0


def test_rejection_cites_an_exclude_rule(world, api_as):
    demand = file_demand(api_as("resident"), world, text="请社区帮我家换个新防盗门")
    response = api_as("community_staff").post(f"/demands/{demand['id']}/screen", {
        "outcome": "reject", "nature": "individual", "rejection_rule_id": exclude_rule().pk,
        "reason": "属于个人私事，可自行联系物业"})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status_label"] == "不予受理"
    assert exclude_rule().text in response.json()["timeline"][-1]["what"]


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler"])
def test_people_without_demands_screen_cannot_screen(world, api_as, persona):
    demand = file_demand(api_as("resident"), world)
    response = api_as(persona).post(f"/demands/{demand['id']}/screen", TOPIC)
    assert response.status_code in {403, 404}
    assert_error(response, response.status_code)
    assert Demand.objects.get().status == "pending"


def test_staff_of_another_community_do_not_even_see_the_demand(world, api_as):
    demand = file_demand(api_as("resident2"), world, area_id=world.areas["B2"].pk)
    assert_error(api_as("community_staff").post(f"/demands/{demand['id']}/screen", TOPIC), 404, "not_found")


def test_bulk_merge_of_duplicates_is_all_or_nothing(world, api_as):
    resident, worker, staff = api_as("resident"), api_as("grid_worker"), api_as("community_staff")
    primary = file_demand(resident, world)
    dup1 = file_demand(worker, world, text="3栋电梯坏了，卡在5楼")
    dup2 = file_demand(worker, world, text="三号楼电梯停了好几天")
    screened = file_demand(worker, world, text=LITTER)
    staff.post(f"/demands/{screened['id']}/screen", {"outcome": "mediation", "nature": "dispute", "reason": "邻里纠纷"})
    events_before = Event.objects.count()
    refused = staff.post("/demands/merge", {"primary_id": primary["id"], "duplicate_ids": [dup1["id"], screened["id"]],
                                            "reason": "同一部电梯"})
    assert_error(refused, 409, "already_screened")
    assert Demand.objects.get(pk=dup1["id"]).status == "pending" and Event.objects.count() == events_before
    merged = staff.post("/demands/merge", {"primary_id": primary["id"], "duplicate_ids": [dup1["id"], dup2["id"]],
                                           "reason": "同一部电梯"})
    assert merged.status_code == 200, merged.content.decode()
    assert [(d["id"], d["status"]) for d in merged.json()["merged"]] == [(dup1["id"], "merged"), (dup2["id"], "merged")]
    assert merged.json()["primary"]["status"] == "pending"
    detail = worker.get(f"/demands/{dup1['id']}").json()
    assert detail["merged_into"] == primary["number"] and primary["number"] in detail["timeline"][-1]["what"]


def test_merging_needs_a_reason(world, api_as):
    primary = file_demand(api_as("resident"), world)
    dup = file_demand(api_as("grid_worker"), world, text="3栋电梯坏了")
    response = api_as("community_staff").post("/demands/merge", {"primary_id": primary["id"],
                                                                 "duplicate_ids": [dup["id"]], "reason": " "})
    assert_error(response, 400, "required")
    assert set(Demand.objects.values_list("status", flat=True)) == {"pending"}


def _screen_three(world, api_as) -> dict[str, dict]:
    resident, staff = api_as("resident"), api_as("community_staff")
    made = {"elevator": file_demand(resident, world), "litter": file_demand(resident, world, text=LITTER),
            "choir": file_demand(resident, world, text="社区能不能组织一个合唱队，我们退休了想唱唱歌")}
    deadline = (timezone.localdate() + timedelta(days=3)).isoformat()
    staff.post(f"/demands/{made['elevator']['id']}/screen", {
        "outcome": "handling", "nature": "individual", "handler_id": world.people["handler"].pk, "deadline": deadline})
    return made


def test_the_three_lists_sort_demands_by_kind_and_responsibility(world, api_as):
    made = _screen_three(world, api_as)
    staff = api_as("community_staff")

    def ids(kind, **query):
        return {d["id"] for d in staff.get(f"/lists/{kind}", **query).json()["items"]}

    assert ids("problem") == {made["elevator"]["id"], made["litter"]["id"]}
    assert ids("need") == {made["choir"]["id"]}
    assert ids("responsibility") == {made["elevator"]["id"]}
    assert ids("problem", status="pending") == {made["litter"]["id"]}
    assert ids("problem", under=world.areas["C2"].pk) == set()
    item = staff.get("/lists/responsibility").json()["items"][0]
    assert (item["responsibility"]["handler"], item["responsibility"]["organization"]) == ("郑**", "东风街道城管执法队")
    assert_error(staff.get("/lists/wishes"), 404, "not_found")


def test_the_three_lists_export_to_xlsx_for_those_allowed(world, api_as):
    _screen_three(world, api_as)
    staff = api_as("community_staff")
    response = staff.client.get("/api/v1/lists/responsibility.xlsx", headers={"Authorization": f"Bearer {staff.secret}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E6%B8%85%E5%8D%95.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2 and "郑经办" in rows[1]  # the handler, an official in office, is named
    problem = load_workbook(io.BytesIO(staff.client.get(
        "/api/v1/lists/problem.xlsx", {"status": "pending"}, headers={"Authorization": f"Bearer {staff.secret}"}
    ).content)).active
    assert len(list(problem.iter_rows(values_only=True))) == 2  # header + the litter demand
    assert_error(api_as("resident").get("/lists/problem.xlsx"), 403, "permission_denied")
