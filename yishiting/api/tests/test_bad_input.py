"""Bad input gets a clear Chinese error in the one shape, never a 500 and never a partial write."""

from __future__ import annotations

import json
import logging

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from yishiting.api.errors import install_error_handlers
from yishiting.areas.models import Area, Household, Person
from yishiting.areas.validation import id_number_checksum

from .conftest import ApiClient, assert_error


def valid_id_number(first17: str = "11010519491231002") -> str:
    return first17 + id_number_checksum(first17)


def test_unknown_field_is_named_and_nothing_is_written(world, api_as):
    before = Person.objects.count()
    response = api_as("community_staff").post("/people", {"name": "王二", "area_id": world.areas["C1"].pk,
                                                          "nmae": "typo"})
    body = assert_error(response, 422, "validation_error")
    assert "nmae" in body["message"]
    assert body["details"]["errors"] == [{"location": "body", "field": "nmae", "type": "extra_forbidden",
                                          "message": "不允许的字段。"}]
    assert Person.objects.count() == before


def test_missing_and_mistyped_fields_are_listed_field_by_field(world, api_as):
    response = api_as("admin").post("/households", {"unit_id": "abc", "exclusive_area": "x"})
    errors = {e["field"]: e for e in assert_error(response, 422, "validation_error")["details"]["errors"]}
    assert set(errors) == {"unit_id", "number", "exclusive_area"}
    assert errors["number"]["message"] == "此项必填。"
    assert errors["unit_id"]["message"] == "应为整数。"


def test_an_empty_body_is_refused(world, api_as):
    body = assert_error(api_as("community_staff").post("/people", raw=""), 422, "validation_error")
    assert "请求体不能为空" in body["message"]


def test_malformed_json_is_400(world, api_as):
    before = Person.objects.count()
    assert_error(api_as("community_staff").post("/people", raw='{"name": "王二",'), 400, "malformed_json")
    assert_error(api_as("community_staff").post("/people", raw=b"\xff\xfe"), 400, "malformed_json")
    assert Person.objects.count() == before


def test_oversized_request_is_413_and_nothing_is_written(world, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    before = Person.objects.count()
    body = json.dumps({"name": "王二", "area_id": world.areas["C1"].pk, "mobile": "", "id_number": None,
                       "padding": "长" * 5000})
    response = api_as("community_staff").post("/people", raw=body)
    assert assert_error(response, 413, "request_too_large")["details"] == {"max_bytes": 4096}
    assert Person.objects.count() == before


def test_duplicate_id_number_is_refused_and_nothing_is_written(world, api_as):
    client = api_as("community_staff")
    number = valid_id_number()
    first = client.post("/people", {"name": "刘一", "area_id": world.areas["C1"].pk, "id_number": number})
    assert first.status_code == 201, first.content
    assert first.json()["id_number"] == number[0] + "*" * 15 + number[-2:]
    again = client.post("/people", {"name": "刘二", "area_id": world.areas["G1"].pk, "id_number": number.lower()})
    body = assert_error(again, 400, "duplicate_id_number")
    assert body["details"] == {"field": "id_number"}
    assert list(Person.objects.filter(id_number=number).values_list("name", flat=True)) == ["刘一"]
    assert not Person.objects.filter(name="刘二").exists()


def test_invalid_id_number_is_refused(world, api_as):
    response = api_as("community_staff").post("/people", {"name": "刘三", "area_id": world.areas["C1"].pk,
                                                          "id_number": "110105194912310021"})
    assert_error(response, 400, "invalid_id_number")


def test_child_at_a_wrong_level_is_refused_and_nothing_is_written(world, api_as):
    admin = api_as("admin")
    before = Area.objects.count()
    response = admin.post("/areas", {"parent_id": world.areas["C1"].pk, "level": "building", "name": "错层楼",
                                     "code": "WRONG1"})
    body = assert_error(response, 400, "wrong_level")
    assert "小区" in body["message"]  # says what may go there
    unit_under_grid = admin.post("/households", {"unit_id": world.areas["G1"].pk, "number": "1",
                                                 "exclusive_area": "50"})
    assert_error(unit_under_grid, 400, "wrong_level")
    assert Area.objects.count() == before
    assert not Household.objects.filter(unit=world.areas["G1"]).exists()


def test_bad_area_code_and_unknown_level_are_clear_errors(world, api_as):
    admin = api_as("admin")
    bad_code = admin.post("/areas", {"parent_id": world.areas["G1"].pk, "level": "building", "name": "新楼",
                                     "code": "有 空格"})
    assert "code" in str(assert_error(bad_code, 422, "validation_error")["details"])
    unknown = admin.post("/areas", {"parent_id": world.areas["G1"].pk, "level": "tower", "name": "新楼",
                                    "code": "B9"})
    assert_error(unknown, 400, "invalid_choice")


def test_exclusive_area_must_be_a_positive_amount_with_two_decimals(world, api_as):
    response = api_as("admin").post("/households", {"unit_id": world.areas["U1"].pk, "number": "909",
                                                    "exclusive_area": "12.345"})
    assert_error(response, 400, "invalid_exclusive_area")
    assert not Household.objects.filter(number="909").exists()


@pytest.mark.parametrize("query", [{"page_size": 201}, {"page": 0}, {"under": "abc"}])
def test_bad_list_parameters_are_422(world, api_as, query):
    assert_error(api_as("admin").get("/people", **query), 422, "validation_error")


def test_unknown_address_and_wrong_method_keep_the_error_shape(world, api_as):
    client = api_as("admin")
    assert_error(client.get("/no-such-thing"), 404, "not_found")
    assert_error(client.post("/areas/1/nothing"), 404, "not_found")
    assert_error(client.get(f"/people/{10**9}"), 404, "not_found")
    wrong = client.request("PUT", "/people")
    assert_error(wrong, 405, "method_not_allowed")
    assert wrong["Allow"] == "GET, POST"


def test_missing_login_is_401(world):
    response = ApiClient().get("/areas")
    assert_error(response, 401, "unauthenticated")


def test_an_unexpected_failure_is_a_logged_500_without_a_traceback(caplog):
    """The handlers of our API, mounted on a throwaway API with a route that breaks."""
    broken = NinjaAPI(urls_namespace="broken-test")
    install_error_handlers(broken)

    @broken.get("/boom")
    def boom(request):
        raise RuntimeError("secret internal detail")

    with caplog.at_level(logging.ERROR, logger="yishiting.api"):
        response = TestClient(broken).get("/boom")
    body = assert_error(response, 500, "server_error")
    assert "secret internal detail" not in json.dumps(body) and "Traceback" not in response.content.decode()
    assert any("secret internal detail" in (r.exc_text or str(r.exc_info)) for r in caplog.records)
