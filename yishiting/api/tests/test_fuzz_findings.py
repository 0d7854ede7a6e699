"""What fuzzing the API found (issue 16), one test each: every input answered in the error shape, never a 500,
and every reply as the OpenAPI document describes it."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from ninja import Schema

from yishiting.api.api import api
from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.deliberation.models import Venue
from yishiting.deliberation.tests import votes_world
from yishiting.demands.models import Demand

from . import wsgi
from .conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db

ELEVATOR = "幸福苑3栋的电梯又坏了，卡在5楼不动，老人上下楼很困难"


def multipart(client: ApiClient, path: str, fields: dict):
    return client.client.post("/api/v1" + path, fields, headers={"Authorization": f"Bearer {client.secret}"})


def fields_of(response) -> list[tuple[str, str]]:
    return [(e["location"], e["field"]) for e in response.json()["details"]["errors"]]


# ---- multipart validation errors: 422, not 500 -----------------------------------------------------------

def test_a_multipart_form_with_a_missing_field_is_a_422_naming_it(world, api_as):
    response = multipart(api_as("resident"), "/demands/multipart", {"text": ""})
    assert_error(response, 422, "validation_error")
    assert ("form", "area_id") in fields_of(response)
    assert Demand.objects.count() == 0


@pytest.mark.parametrize("path", ["/tasks/{task}/reports/multipart", "/tasks/{task}/submit",
                                  "/topics/{topic}/attachments"])
def test_every_multipart_endpoint_answers_bad_fields_with_a_422(world, api_as, path):
    from yishiting.handling.tests import tasks_world

    task, topic = tasks_world.assign(world), votes_world.topic(world)
    url = path.format(task=task.pk, topic=topic.pk)
    response = multipart(api_as("community_staff"), url, {"unknown": "x", "note": "\x00"})
    assert_error(response, 422, "validation_error")


# ---- page numbers ------------------------------------------------------------------------------------------

def test_a_page_past_any_list_is_a_422_and_the_last_allowed_page_is_empty(world, api_as):
    resident = api_as("resident")
    huge = resident.get("/me/demands", page="200000000000000000")
    assert_error(huge, 422, "validation_error")
    assert fields_of(huge) == [("query", "page")]
    far = resident.get("/me/demands", page="1000000")
    assert far.status_code == 200 and far.json()["items"] == []
    staff = api_as("community_staff")
    for path in ("/areas", "/people", "/topics", "/tasks", "/demands", "/meetings"):
        assert_error(staff.get(path, page=str(2**70)), 422, "validation_error")


# ---- text the product accepts (docs/text-input.md) ---------------------------------------------------------

@pytest.mark.parametrize("bad", ["a\x00b", "响铃\x07", "\x1b[31m红", "a\x85b"])
def test_control_characters_in_demand_text_are_a_422_on_both_intake_paths(world, api_as, bad):
    resident = api_as("resident")
    body = {"text": ELEVATOR + bad, "area_id": world.areas["B1"].pk}
    as_json = resident.post("/demands", body)
    assert_error(as_json, 422, "validation_error")
    assert fields_of(as_json) == [("body", "text")]
    as_form = multipart(resident, "/demands/multipart", body)
    assert_error(as_form, 422, "validation_error")
    assert fields_of(as_form) == [("form", "text")]
    # Through the server's own application (the fast intake path answers first on PostgreSQL).
    from config.wsgi import application

    reply = wsgi.call(application, wsgi.environ("/api/v1/demands", body, token=resident.secret))
    assert reply.code == 422 and reply.json()["details"]["errors"][0]["field"] == "text"
    assert Demand.objects.count() == 0


def test_an_unpaired_surrogate_sent_as_json_is_a_422(world, api_as):
    raw = '{"text": "电梯坏了\\ud800", "area_id": ' + str(world.areas["B1"].pk) + "}"
    response = api_as("resident").post("/demands", raw=raw)
    assert_error(response, 422, "validation_error")
    assert fields_of(response) == [("body", "text")]


def test_tabs_and_line_breaks_are_text(world, api_as):
    response = api_as("resident").post("/demands", {"text": ELEVATOR + "\n\t第二行\r\n", "area_id": world.areas["B1"].pk})
    assert response.status_code == 201, response.content.decode()


def test_a_text_without_a_length_of_its_own_is_bounded(world, api_as):
    response = api_as("resident").post("/demands", {"text": "长" * 20_001, "area_id": world.areas["B1"].pk})
    body = assert_error(response, 422, "validation_error")
    assert fields_of(response) == [("body", "text")] and "20000" in body["message"]


def test_a_nul_in_a_venue_name_is_a_422_naming_it(world, api_as):
    response = api_as("community_secretary").post("/meetings/venues", {
        "name": "议事厅\x00", "area_id": world.areas["C1"].pk, "capacity": 30})
    assert_error(response, 422, "validation_error")
    assert fields_of(response) == [("body", "name")]
    assert not Venue.objects.exists()


@pytest.mark.parametrize("path", ["/areas", "/topics", "/people"])
def test_a_nul_in_a_search_is_a_422_naming_it(world, api_as, path):
    response = api_as("community_staff").get(path, q="a\x00b")
    assert_error(response, 422, "validation_error")
    assert fields_of(response) == [("query", "q")]


def test_a_nul_in_an_open311_service_code_is_refused_naming_it(world):
    from yishiting.accounts.services import token_create

    _, secret = token_create(actor=world.users["resident"], name="测试")
    response = Client().post("/open311/v2/requests.json", {
        "api_key": secret, "service_code": "road\x00", "description": ELEVATOR, "address_string": "3栋"})
    assert response.status_code == 400, response.content.decode()
    assert "service_code" in response.content.decode()
    assert Demand.objects.count() == 0


# ---- replies that match the schema --------------------------------------------------------------------------

def test_no_two_schemas_share_a_name(world):
    """ninja names OpenAPI components by class name: two `TopicRef`s made one describe the other's replies."""
    names: dict[str, set[str]] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("yishiting."):
                names.setdefault(sub.__name__, set()).add(sub.__module__)
            walk(sub)

    walk(Schema)
    assert {name: mods for name, mods in names.items() if len(mods) > 1} == {}


def test_a_vote_s_topic_is_described_as_it_is_sent(world, api_as):
    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    topic = votes_world.topic(world)
    vote = api_as("community_secretary").post("/votes", {
        "topic_id": topic.pk, "question": "加装电梯", "method": "owners", "rule": "art278", "matter": "rebuild",
        "scope_area_id": world.areas["B1"].pk}).json()
    sent = api_as("community_secretary").get(f"/votes/{vote['id']}").json()["topic"]
    components = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    ref = components["VoteOut"]["properties"]["topic"]["$ref"].rsplit("/", 1)[1]
    assert set(components[ref]["required"]) <= set(sent)


def test_a_year_in_the_path_out_of_range_is_a_422_not_a_500(world, api_as):
    """`/liaison/deputies/79520072` (found by the fuzz): the year became a date that does not exist."""
    staff = api_as("district_official")
    for year in ("79520072", "0", "1999", "2101"):
        assert_error(staff.get(f"/liaison/deputies/{year}"), 422, "validation_error")
    assert staff.get("/liaison/deputies/2026").status_code == 200


def test_a_path_with_a_line_break_is_the_json_404(world):
    for path in ("/api/v1/topics/1%0A", "/api/v1/votes/%0A/ballots", "/api/v1/x%0D%0Ay"):
        assert_error(Client().get(path), 404, "not_found")


def test_a_meeting_date_filter_takes_dates_not_numbers(world, api_as):
    staff = api_as("community_secretary")
    for number in ("0", "1700000000", "-1", "1.5"):
        response = staff.get("/meetings", start=number)
        assert_error(response, 422, "validation_error")
        assert fields_of(response) == [("query", "start")]
    assert staff.get("/meetings", start="2026-03-01").status_code == 200


# ---- ballots: an outsider cannot tell whether a vote exists --------------------------------------------------

def test_an_outsider_gets_the_same_404_for_someone_else_s_vote_and_for_none(world, api_as):
    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    topic = votes_world.topic(world)
    vote = api_as("community_secretary").post("/votes", {
        "topic_id": topic.pk, "question": "加装电梯", "method": "owners", "rule": "art278", "matter": "rebuild",
        "scope_area_id": world.areas["B1"].pk}).json()
    client = api_as("resident3")  # another street
    for body in ({"choice": "同意"}, {"choice": "不存在的选项"}, {"choice": "同意", "household_id": 1}):
        theirs = client.post(f"/votes/{vote['id']}/ballots", body)
        missing = client.post(f"/votes/{vote['id'] + 1000}/ballots", body)
        assert_error(theirs, 404, "not_found")
        assert theirs.json() == missing.json()


# ---- chunked bodies (no Content-Length) ---------------------------------------------------------------------

def chunked_env(path: str, body: bytes, token: str, content_type: str = "application/json") -> dict:
    """What granian hands the application for `Transfer-Encoding: chunked`: the chunks joined, no length."""
    env = wsgi.environ(path, body, token=token, content_type=content_type)
    del env["CONTENT_LENGTH"]
    env["HTTP_TRANSFER_ENCODING"] = "chunked"
    env["wsgi.input_terminated"] = True
    return env


def test_a_chunked_json_body_is_read_whole(world, api_as):
    from config.wsgi import application

    body = json.dumps({"text": ELEVATOR, "area_id": world.areas["B1"].pk}).encode()
    reply = wsgi.call(application, chunked_env("/api/v1/demands", body, api_as("resident").secret))
    assert reply.code == 201, reply.body.decode()
    assert Demand.objects.get().text == ELEVATOR


def test_a_chunked_body_over_the_limit_is_a_413_read_no_further(world, api_as, settings):
    from config.wsgi import application

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    endless = io.BytesIO(b"x" * 1_000_000)
    env = chunked_env("/api/v1/demands", b"", api_as("resident").secret)
    env["wsgi.input"] = endless
    reply = wsgi.call(application, env)
    assert reply.code == 413 and reply.json()["code"] == "request_too_large"
    assert endless.tell() == 4097
