"""Bad input to the demand API: a clear Chinese error in the one shape, and nothing written — no demand, no
photo, no event, no notification."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from yishiting.common.models import Event
from yishiting.demands.models import Demand, DemandPhoto
from yishiting.notifications.models import Notification

from .conftest import assert_error
from .test_demands import ELEVATOR, demand_body, file_demand, image_bytes, post_multipart


@pytest.fixture
def nothing_written():
    """Asserts, after the test body, that the counts it captured before are unchanged."""
    models = [Demand, DemandPhoto, Event, Notification]
    before = {}

    def capture():
        before.update({m: m.objects.count() for m in models})

    yield capture
    assert {m: m.objects.count() for m in models} == before


def decompression_bomb() -> bytes:
    """A real PNG of 12,000 × 12,000 pixels (144 megapixels) that weighs a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(("text", "code", "words"), [
    ("", "required", "请填写诉求内容"),
    ("   \n ", "required", "请填写诉求内容"),
    ("电" * 2001, "too_long", "不能超过 2000 字"),
])
def test_empty_or_oversized_text(world, api_as, nothing_written, text, code, words):
    nothing_written()
    body = assert_error(api_as("resident").post("/demands", demand_body(world, text=text)), 400, code)
    assert words in body["message"]


def test_a_body_larger_than_the_request_limit_is_413(world, api_as, nothing_written, settings):
    nothing_written()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    response = api_as("resident").post("/demands", demand_body(world, text="电" * 100_000))
    assert_error(response, 413, "request_too_large")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("photo.jpg", "这不是图片，只是一段文字。".encode(), "无法识别"),
    ("scan.png", pdf_bytes(), "无法识别"),
    ("photo.png", image_bytes("GIF"), "不是 JPEG、PNG 或 WebP"),
])
def test_a_disguised_file_is_refused_by_its_content(world, api_as, nothing_written, name, data, words):
    nothing_written()
    fields = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    response = post_multipart(api_as("resident"), fields, [("ok.jpg", image_bytes()), (name, data)])
    body = assert_error(response, 400, "invalid_photo")
    assert "第 2 张照片" in body["message"] and words in body["message"]


def test_a_decompression_bomb_is_refused_without_decoding_it(world, api_as, nothing_written):
    nothing_written()
    bomb = decompression_bomb()
    assert len(bomb) < 100_000
    fields = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    body = assert_error(post_multipart(api_as("resident"), fields, [("bomb.png", bomb)]), 400, "invalid_photo")
    assert "像素过大" in body["message"]


def test_too_many_photos_or_an_oversized_one(world, api_as, nothing_written):
    nothing_written()
    fields = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    client = api_as("resident")
    too_many = post_multipart(client, fields, [(f"{i}.jpg", image_bytes()) for i in range(10)])
    assert_error(too_many, 400, "too_many_photos")
    huge = image_bytes() + os.urandom(10 * 1024 * 1024)  # a valid JPEG with 10 MB of trailing bytes
    body = assert_error(post_multipart(client, fields, [("a.jpg", image_bytes()), ("big.jpg", huge)]), 413,
                        "file_too_large")  # refused as it is read (common.uploads), before any of it is stored
    assert body["message"] == "第 2 张照片超过 10 MB，请换一个或压缩后再传。"
    assert body["details"] == {"field": "photos", "index": 2, "name": "big.jpg", "max_bytes": 10 * 1024 * 1024}


@pytest.mark.parametrize(("persona", "area", "status"), [
    ("resident", "C2", 404),         # the sibling community: not even visible
    ("grid_worker", "G2", 404),
    ("community_staff", "C3", 404),
    ("handler", "B1", 403),          # sees the street's areas but files no demands
])
def test_an_area_outside_the_actors_scope(world, api_as, nothing_written, persona, area, status):
    nothing_written()
    response = api_as(persona).post("/demands", demand_body(world, area_id=world.areas[area].pk))
    assert_error(response, status)


def test_entering_for_someone_needs_consent_and_the_right_role(world, api_as, nothing_written):
    nothing_written()
    on_behalf = {"reporter_kind": "on_behalf", "reporter_id": world.people["resident"].pk}
    assert_error(api_as("grid_worker").post("/demands", demand_body(world, **on_behalf)), 400, "consent_required")
    body = demand_body(world, **on_behalf, consent_recorded=True)
    assert_error(api_as("resident").post("/demands", body), 403, "permission_denied")


@pytest.mark.parametrize(("body", "code"), [
    ({"text": ELEVATOR}, "validation_error"),                       # no area
    ({"text": ELEVATOR, "area_id": "三栋"}, "validation_error"),
    ({"text": ELEVATOR, "area_id": 1, "channel": "carrier_pigeon"}, "invalid_choice"),
    ({"text": ELEVATOR, "area_id": 1, "latitude": "91.5", "longitude": "116"}, "invalid_point"),
    ({"text": ELEVATOR, "area_id": 1, "latitude": "39.1234567"}, "validation_error"),
    ({"text": ELEVATOR, "area_id": 1, "colour": "red"}, "validation_error"),
])
def test_malformed_fields(world, api_as, nothing_written, body, code):
    nothing_written()
    if body.get("area_id") == 1:
        body["area_id"] = world.areas["B1"].pk
    response = api_as("resident").post("/demands", body)
    assert_error(response, 422 if code == "validation_error" else 400, code)


def test_an_overlong_idempotency_key_is_refused(world, api_as, nothing_written):
    nothing_written()
    response = api_as("resident").post("/demands", demand_body(world), headers={"Idempotency-Key": "k" * 129})
    assert_error(response, 400, "invalid_idempotency_key")


REASONLESS = [
    {"outcome": "escalate"},
    {"outcome": "mediation", "nature": "dispute"},
    {"outcome": "reject", "nature": "individual"},
    {"outcome": "topic", "nature": "public"},                       # neither a new title nor a topic to join
    {"outcome": "topic", "nature": "individual", "topic_title": "x"},
    {"outcome": "handling", "nature": "individual"},
    {"outcome": "handling", "nature": "individual", "deadline": "2000-01-01"},
    {"outcome": "whatever", "nature": "public"},
]


@pytest.mark.parametrize("decision", REASONLESS)
def test_a_screening_missing_what_it_needs_changes_nothing(world, api_as, decision):
    demand = file_demand(api_as("resident"), world)
    if decision.get("outcome") == "handling" and "deadline" in decision:
        decision = {**decision, "handler_id": world.people["handler"].pk}
    events = Event.objects.count()
    response = api_as("community_staff").post(f"/demands/{demand['id']}/screen", decision)
    assert_error(response, 400)
    assert Demand.objects.get().status == "pending" and Event.objects.count() == events


def test_changing_the_level_needs_a_reason(world, api_as):
    demand = file_demand(api_as("resident"), world)
    deadline = (timezone.localdate() + timedelta(days=2)).isoformat()
    body = {"outcome": "handling", "nature": "individual", "handler_id": world.people["handler"].pk,
            "deadline": deadline, "level_area_id": world.areas["C1"].pk}
    assert_error(api_as("community_staff").post(f"/demands/{demand['id']}/screen", body), 400, "required")
    assert Demand.objects.get().level_area == world.areas["G1"]
    done = api_as("community_staff").post(f"/demands/{demand['id']}/screen", {**body, "level_reason": "涉及整个社区"})
    assert done.json()["level_area"]["name"] == "幸福苑社区"


def test_screening_an_already_screened_demand(world, api_as):
    demand = file_demand(api_as("resident"), world)
    staff = api_as("community_staff")
    first = staff.post(f"/demands/{demand['id']}/screen", {"outcome": "mediation", "nature": "dispute", "reason": "纠纷"})
    assert first.status_code == 200
    events = Event.objects.count()
    second = staff.post(f"/demands/{demand['id']}/screen", {"outcome": "escalate", "reason": "再议"})
    body = assert_error(second, 409, "already_screened")
    assert "转入调解" in body["message"] and Event.objects.count() == events


def test_a_multipart_body_over_the_upload_limit_is_refused_before_it_is_read(world, api_as, nothing_written,
                                                                             settings):
    nothing_written()
    settings.MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    fields = {"text": ELEVATOR, "area_id": world.areas["B1"].pk}
    photos = [(f"{i}.jpg", image_bytes() + os.urandom(900 * 1024)) for i in range(3)]  # each fine, 2.7 MB in all
    response = post_multipart(api_as("resident"), fields, photos)
    assert assert_error(response, 413, "request_too_large") == {
        "code": "request_too_large", "message": "请求内容过大：上限为 2 MB。", "details": {"max_bytes": 2 * 1024 * 1024}}


def test_a_malformed_multipart_body_gets_the_apis_400(world, api_as, nothing_written):
    nothing_written()
    client = api_as("resident")
    response = client.client.post("/api/v1/demands/multipart", data=b"--x\r\nnot a part",
                                  content_type="multipart/form-data; boundary=\"\"",
                                  headers={"Authorization": f"Bearer {client.secret}"})
    assert_error(response, 400, "malformed_multipart")
