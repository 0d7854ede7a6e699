"""Demands through the API as residents and staff notice them: submitting (idempotent, with photos),
suggestions, lists and filters, the detail with its timeline, my demands, notifications, public topics."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from yishiting.demands.models import Category, Demand, DemandPhoto

from .conftest import ApiClient, assert_error

ELEVATOR = "幸福苑3栋的电梯又坏了，卡在5楼不动，老人上下楼很困难"


def demand_body(world, **overrides) -> dict:
    return {"text": ELEVATOR, "area_id": world.areas["B1"].pk, **overrides}


def file_demand(client: ApiClient, world, **overrides) -> dict:
    response = client.post("/demands", demand_body(world, **overrides))
    assert response.status_code == 201, response.content.decode()
    return response.json()


def image_bytes(fmt: str = "JPEG", gps: bool = False) -> bytes:
    image = Image.new("RGB", (80, 60), (30, 120, 200))
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def post_multipart(client: ApiClient, fields: dict, files: list[tuple[str, bytes]], **headers):
    uploads = []
    for name, data in files:
        upload = io.BytesIO(data)
        upload.name = name
        uploads.append(upload)
    return client.client.post("/api/v1/demands/multipart", {**fields, "photos": uploads},
                              headers={"Authorization": f"Bearer {client.secret}", **headers})


def test_a_resident_submits_and_sees_number_category_masked_name_and_timeline(world, api_as, messages_outbox,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        data = file_demand(api_as("resident"), world, urgency="urgent", address="3栋2单元门口")
    assert data["number"] == f"{date.today().year}-000001"
    assert (data["status"], data["status_label"]) == ("pending", "待筛选")
    assert data["category"]["name"] == "设施维护" and data["suggested_confidence"]
    assert data["reporter"] == {"kind": "self", "kind_label": "本人提交", "name": "张*"}
    assert (data["screening_area"]["name"], data["level_area"]["name"]) == ("幸福苑社区", "幸福苑小区")
    assert data["timeline"][0]["what"].startswith("通过线上提交诉求，编号 " + data["number"])
    # others read 张*; the resident reads their own name in their demand's record (docs/masking.md)
    assert data["timeline"][0]["who"] == "居民 张三"
    assert data["number"] in messages_outbox[0].text and messages_outbox[0].to == "13800000001"


def test_an_idempotent_retry_returns_the_same_demand_with_the_same_status(world, api_as):
    client = api_as("resident")
    first = client.post("/demands", demand_body(world), headers={"Idempotency-Key": "phone-42"})
    retry = client.post("/demands", demand_body(world), headers={"Idempotency-Key": "phone-42"})
    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.json()["id"] == retry.json()["id"] and Demand.objects.count() == 1
    changed = client.post("/demands", demand_body(world, text="小区北门路灯不亮了"), headers={"Idempotency-Key": "phone-42"})
    assert_error(changed, 409, "idempotency_key_reused")
    assert Demand.objects.count() == 1
    # The key is the caller's own: another user's identical key makes a demand of their own.
    other = api_as("grid_worker").post("/demands", demand_body(world), headers={"Idempotency-Key": "phone-42"})
    assert other.status_code == 201 and Demand.objects.count() == 2


def test_photos_come_through_multipart_cleaned_of_their_location(world, api_as):
    client = api_as("resident")
    fields = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    response = post_multipart(client, fields, [("a.jpg", image_bytes(gps=True)), ("b.png", image_bytes("PNG"))])
    assert response.status_code == 201, response.content.decode()
    photos = response.json()["photos"]
    assert [(p["content_type"], p["width"]) for p in photos] == [("image/jpeg", 80), ("image/png", 80)]
    assert response.json()["timeline"][0]["what"].endswith("（附照片 2 张）")
    downloaded = client.client.get(photos[0]["url"], headers={"Authorization": f"Bearer {client.secret}"})
    assert downloaded["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(b"".join(downloaded.streaming_content))).getexif().get(0x8825)
    # Someone who may not see the demand cannot fetch its photos either.
    stranger = api_as("resident3").client.get(photos[0]["url"],
                                              headers={"Authorization": f"Bearer {api_as('resident3').secret}"})
    assert stranger.status_code == 404


def test_a_worker_enters_a_demand_for_a_resident_with_consent(world, api_as):
    client = api_as("grid_worker")
    body = demand_body(world, reporter_kind="on_behalf", reporter_id=world.people["resident"].pk,
                       consent_recorded=True, channel="home_visit", household_id=world.households["H1"].pk)
    data = file_demand(client, world, **{k: v for k, v in body.items() if k not in {"text", "area_id"}})
    assert data["reporter"]["kind_label"] == "工作人员代录" and data["channel_label"] == "民情家访"
    # The reply names the worker as the detail does (the reply takes their role from the request, the detail reads it).
    assert data["timeline"][0]["who"] == client.get(f"/demands/{data['id']}").json()["timeline"][0]["who"] == "网格员 赵网格"  # in office: named
    # The resident finds it among their own demands.
    mine = api_as("resident").get("/me/demands").json()
    assert [d["id"] for d in mine["items"]] == [data["id"]]


def test_the_list_shows_what_the_caller_may_see_and_filters(world, api_as):
    resident, street = api_as("resident"), api_as("street_official")
    mine = file_demand(resident, world)
    file_demand(api_as("grid_worker"), world, text="小区东门垃圾桶满了没人清运，臭气熏天", channel="patrol",
                urgency="critical")
    safety = Category.objects.get(name="安全隐患").pk
    file_demand(api_as("resident2"), world, text="和平里1栋楼道堆满杂物，消防通道堵了", area_id=world.areas["B2"].pk,
                category_id=safety)
    file_demand(api_as("resident3"), world, text="湖滨花园2栋漏水", area_id=world.areas["B3"].pk)

    def numbers(client, **query):
        return sorted(d["number"][-1] for d in client.get("/demands", **query).json()["items"])

    assert numbers(resident) == [mine["number"][-1]]
    assert numbers(street) == ["1", "2", "3"]  # not the other street's
    assert numbers(api_as("community_staff")) == ["1", "2"]
    assert numbers(street, channel="patrol") == ["2"]
    assert numbers(street, under=world.areas["C2"].pk) == ["3"]
    assert numbers(street, category=safety) == ["3"]
    assert numbers(street, status="pending") == ["1", "2", "3"] and numbers(street, status="topic") == []
    assert numbers(street, level="estate") == ["1", "2", "3"]
    today = timezone.localdate()
    assert numbers(street, start=today.isoformat(), end=today.isoformat()) == ["1", "2", "3"]
    assert numbers(street, start=(today + timedelta(days=1)).isoformat()) == []
    page = street.get("/demands", page_size=2).json()
    assert (page["count"], len(page["items"])) == (3, 2)


def test_suggest_gives_a_category_and_similar_demands_same_area_first(world, api_as):
    file_demand(api_as("resident2"), world, text="和平里1栋电梯坏了，卡在五楼不动", area_id=world.areas["B2"].pk)
    local = file_demand(api_as("grid_worker"), world)
    street = api_as("street_official")
    data = street.get("/demands/suggest", text="3栋电梯坏了好几天，卡住不动", area=world.areas["B1"].pk).json()
    assert data["category"]["name"] == "设施维护" and 0 < float(data["confidence"]) <= 1
    assert data["notice"] == "已有相似诉求"
    assert data["similar"][0]["id"] == local["id"] and data["similar"][0]["same_area"] is True
    assert [s["same_area"] for s in data["similar"]] == sorted((s["same_area"] for s in data["similar"]),
                                                                reverse=True)
    # A resident is shown only demands they may see: their own.
    resident = api_as("resident").get("/demands/suggest", text=ELEVATOR, area=world.areas["B1"].pk).json()
    assert resident["similar"] == [] and resident["notice"] == ""
    assert_error(api_as("handler").get("/demands/suggest", text=ELEVATOR), 403, "permission_denied")


def test_the_detail_shows_similar_demands_to_screeners_only(world, api_as):
    first = file_demand(api_as("resident"), world)
    second = file_demand(api_as("grid_worker"), world, text="3栋电梯坏了，卡在5楼好几天了")
    staff_view = api_as("community_staff").get(f"/demands/{second['id']}").json()
    assert [s["number"] for s in staff_view["similar"]] == [first["number"]]
    assert api_as("grid_worker").get(f"/demands/{second['id']}").json()["similar"] == []
    assert_error(api_as("resident2").get(f"/demands/{first['id']}"), 404, "not_found")


def test_my_notifications_list_what_i_was_told(world, api_as):
    data = file_demand(api_as("resident"), world)
    items = api_as("resident").get("/me/notifications").json()["items"]
    assert len(items) == 1 and data["number"] in items[0]["text"]
    assert api_as("admin").get("/me/notifications").json()["items"] == []


def test_catalogues(world, api_as):
    client = api_as("resident")
    names = [c["name"] for c in client.get("/categories").json()]
    assert names[:5] == ["安全隐患", "环境整治", "文体娱乐", "生活关爱", "普惠公益"] and len(names) == 9
    rules = client.get("/consultation-rules", kind="exclude").json()
    assert rules and all(r["kind_label"] == "不议" and r["is_example"] for r in rules)


@pytest.mark.parametrize(("persona", "status"), [
    ("resident", 200), ("grid_worker", 200), ("community_staff", 200), ("street_official", 200),
    ("district_official", 200), ("resident2", 404), ("resident3", 404), ("handler", 200),
])
def test_community_topics_are_public_to_everyone_in_or_above_the_community(world, api_as, persona, status):
    staff = api_as("community_staff")
    demand = file_demand(api_as("resident"), world)
    screened = staff.post(f"/demands/{demand['id']}/screen", {"outcome": "topic", "nature": "public",
                                                              "topic_title": "3栋电梯维修", "reason": "全楼住户受影响"})
    assert screened.status_code == 200, screened.content.decode()
    response = api_as(persona).get(f"/communities/{world.areas['C1'].pk}/topics")
    assert response.status_code == status
    if status == 200:
        [topic] = response.json()["items"]
        assert (topic["title"], topic["status_label"], topic["demand_count"]) == ("3栋电梯维修", "征求意见", 1)
        assert "proposer" not in topic and "张" not in response.content.decode()


def test_topics_of_something_that_is_not_a_community_are_not_found(world, api_as):
    assert_error(api_as("street_official").get(f"/communities/{world.areas['S1'].pk}/topics"), 404)


def test_every_demand_route_is_in_the_openapi_with_a_chinese_summary():
    schema = Client().get("/api/v1/openapi.json").json()
    routes = ["/demands", "/demands/multipart", "/demands/suggest", "/demands/inbox", "/demands/{demand_id}",
              "/demands/{demand_id}/screen", "/demands/merge", "/lists/{kind}", "/lists/{kind}.xlsx", "/me/demands",
              "/me/notifications", "/communities/{community_id}/topics", "/categories", "/consultation-rules"]
    for route in routes:
        for operation in schema["paths"]["/api/v1" + route].values():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in operation["summary"]), route
    submit = schema["paths"]["/api/v1/demands"]["post"]
    assert "Idempotency-Key" in submit["description"]
    assert "multipart/form-data" in schema["paths"]["/api/v1/demands/multipart"]["post"]["requestBody"]["content"]


def test_anonymous_callers_are_refused(world):
    assert_error(ApiClient().get("/demands"), 401, "unauthenticated")
    assert_error(ApiClient().post("/demands", demand_body(world)), 401, "unauthenticated")
    assert Demand.objects.count() == 0 and DemandPhoto.objects.count() == 0


@pytest.mark.parametrize("path", ["/demands", "/demands/inbox", "/lists/problem", "/lists/responsibility",
                                  "/me/demands"])
def test_a_page_of_demands_costs_the_same_queries_whatever_its_size(world, api_as, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yishiting.demands.screening import Decision, demand_screen
    from yishiting.demands.services import Submission, demand_submit

    resident = world.users["resident"]
    for n in range(30):
        demand = demand_submit(actor=resident, submission=Submission(text=f"{ELEVATOR}（{n}）", area=world.areas["B1"]))
        if n % 3 == 0:  # some on the responsibility list, with a task to show
            demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
                outcome="handling", nature="individual", handler=world.people["handler"],
                deadline=timezone.localdate() + timedelta(days=3)))
    client = api_as("resident" if path == "/me/demands" else "community_staff")
    client.get("/categories")  # the token's first use stamps last_used_at; keep that write out of the count
    with CaptureQueriesContext(connection) as small:  # both pages hold a screened demand or two
        assert len(client.get(path, page_size=4).json()["items"]) == 4
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(path, page_size=10).json()["items"]) == 10
    # token, roles, the page, a bounded COUNT (none on a last page: its end is the size) and at most one query
    # per kind of screening record shown
    assert len(large) <= len(small) <= 7, [q["sql"] for q in large.captured_queries]
