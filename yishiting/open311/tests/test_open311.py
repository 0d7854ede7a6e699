"""Open311 GeoReport v2 as a civic app sees it: the catalogue, creating requests with an api_key, reading
them back (only what the key may see, masked), open/closed, filters, XML, and the spec's error format."""

from __future__ import annotations

import base64
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.demands.choices import Channel
from yishiting.demands.models import Demand
from yishiting.handling.models import Task

BASE = "/open311/v2"
ELEVATOR = "幸福苑3栋电梯坏了，卡在5楼不动"


@pytest.fixture
def key(world):
    def make(persona: str) -> str:
        return token_create(actor=world.users[persona], name="Open311 应用")[1]
    return make


def post_request(client: Client, fmt: str = "json", **fields):
    data = {"service_code": "facilities", "description": ELEVATOR, "lat": "31.230416", "long": "121.473701",
            **fields}
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_services_list_the_category_catalogue_in_json_and_xml(world):
    client = Client()
    services = client.get(f"{BASE}/services.json").json()
    assert [s["service_code"] for s in services][:3] == ["safety", "environment", "culture"]
    first = services[0]
    assert (first["service_name"], first["metadata"], first["type"], first["group"]) == ("安全隐患", True, "realtime",
                                                                                         "问题清单")
    xml = ElementTree.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services" and xml.find("service/service_name").text == "安全隐患"
    assert xml.find("service/metadata").text == "true"


def test_the_service_definition_offers_the_area_code_attribute(world):
    definition = Client().get(f"{BASE}/services/facilities.json").json()
    assert definition["service_code"] == "facilities"
    assert [(a["code"], a["required"]) for a in definition["attributes"]] == [("area_code", False)]
    xml = ElementTree.fromstring(Client().get(f"{BASE}/services/facilities.xml").content)
    assert xml.find("attributes/attribute/code").text == "area_code"
    missing = Client().get(f"{BASE}/services/unicorns.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_a_registered_client_creates_a_request_in_its_owners_area(world, key):
    response = post_request(Client(), api_key=key("grid_worker"), address_string="幸福苑3栋2单元门口",
                            media_url="https://example.org/photos/1.jpg")
    assert response.status_code == 201, response.content.decode()
    [created] = response.json()
    demand = Demand.objects.get(pk=created["service_request_id"])
    assert demand.number in created["service_notice"] and "幸福苑社区" in created["service_notice"]
    assert (demand.channel, demand.area, demand.category.code) == (Channel.OPEN311, world.areas["G1"], "facilities")
    assert (str(demand.latitude), demand.address) == ("31.230416", "幸福苑3栋2单元门口")
    assert demand.text.endswith("（附图链接：https://example.org/photos/1.jpg）")


def test_the_area_code_attribute_picks_a_more_precise_place(world, key):
    response = post_request(Client(), api_key=key("grid_worker"), **{"attribute[area_code]": "B1"})
    assert response.status_code == 201
    assert Demand.objects.get().area == world.areas["B1"]


def test_creating_answers_in_xml_too(world, key):
    response = post_request(Client(), "xml", api_key=key("resident"))
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    xml = ElementTree.fromstring(response.content)
    assert xml.tag == "service_requests"
    assert xml.find("request/service_request_id").text == str(Demand.objects.get().pk)
    assert Demand.objects.get().area == world.areas["U1"]  # a resident's own unit


@pytest.mark.parametrize(("fields", "status", "words"), [
    ({"api_key": None}, 403, "需要 api_key"),
    ({"api_key": "yst_not-a-real-key"}, 403, "api_key 无效"),
    ({"service_code": "unicorns"}, 400, "service_code"),
    ({"service_code": ""}, 400, "service_code 必填"),
    ({"description": "  "}, 400, "description 必填"),
    ({"description": "电" * 2001}, 400, "不能超过 2000 字"),
    ({"lat": None, "long": None}, 400, "请提供位置"),
    ({"long": None}, 400, "同时提供"),
    ({"lat": "north"}, 400, "应为数字"),
    ({"lat": "95"}, 400, "超出范围"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"attribute[area_code]": "G2"}, 400, "G2"),          # another community: not in the owner's scope
])
def test_bad_requests_get_the_spec_error_format_and_write_nothing(world, key, fields, status, words):
    fields = {"api_key": key("grid_worker"), **fields}
    response = post_request(Client(), **fields)
    assert response.status_code == status, response.content.decode()
    [problem] = response.json()
    assert problem["code"] == status and words in problem["description"]
    assert Demand.objects.count() == 0


def test_a_key_whose_owner_may_not_file_is_refused(world, key):
    response = post_request(Client(), api_key=key("handler"))
    assert response.status_code == 403 and "没有提交诉求的权限" in response.json()[0]["description"]
    xml = ElementTree.fromstring(post_request(Client(), "xml", api_key=key("handler")).content)
    assert xml.tag == "errors" and xml.find("error/code").text == "403"
    assert Demand.objects.count() == 0


def test_wrong_method_is_answered_in_the_spec_format(world):
    response = Client().delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405


def _file(client: Client, secret: str, **fields) -> int:
    response = post_request(client, api_key=secret, **fields)
    assert response.status_code == 201, response.content.decode()
    return int(response.json()[0]["service_request_id"])


def test_reading_shows_only_what_the_key_may_see_masked(world, key):
    client, worker = Client(), key("grid_worker")
    mine = _file(client, worker, address_string="幸福苑3栋2单元门口")
    other = _file(client, key("resident2"), description="和平里1栋楼道灯坏了")
    street = client.get(f"{BASE}/requests.json", {"api_key": key("street_official")}).json()
    assert {int(r["service_request_id"]) for r in street} == {mine, other}
    seen = client.get(f"{BASE}/requests.json", {"api_key": worker}).json()
    assert [int(r["service_request_id"]) for r in seen] == [mine]
    request = seen[0]
    assert (request["status"], request["service_code"], request["agency_responsible"]) == (
        "open", "facilities", "幸福区/东风街道/幸福苑社区")
    assert request["address"] == "幸福苑3栋*****" and request["lat"] == pytest.approx(31.230416)
    assert "赵" not in str(request)  # the reporter is never named
    assert client.get(f"{BASE}/requests.json").json() == []  # anonymous: demands are not public
    assert client.get(f"{BASE}/requests/{other}.json", {"api_key": worker}).status_code == 404


def test_the_key_can_come_as_basic_auth_or_bearer(world, key):
    secret = key("grid_worker")
    mine = _file(Client(), secret)
    basic = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    for header in (basic, f"Bearer {secret}"):
        found = Client().get(f"{BASE}/requests/{mine}.json", headers={"Authorization": header})
        assert found.status_code == 200 and found.json()[0]["service_request_id"] == str(mine)
    bad = Client().get(f"{BASE}/requests.json", headers={"Authorization": "Bearer yst_nope"})
    assert bad.status_code == 403


def test_open_and_closed_follow_what_happened_to_the_demand(world, key, api_screen):
    client, secret = Client(), key("community_staff")
    waiting = _file(client, secret)
    rejected = _file(client, secret, description="请社区帮我家换个新防盗门")
    handled = _file(client, secret, description="3栋2单元楼道灯坏了")
    api_screen(rejected, {"outcome": "reject", "nature": "individual", "reason": "个人私事",
                          "rejection_rule_id": api_screen.exclude_rule})
    api_screen(handled, {"outcome": "handling", "nature": "individual", "handler_id": world.people["handler"].pk,
                         "deadline": (timezone.localdate() + timedelta(days=3)).isoformat()})

    def ids(**query):
        return {int(r["service_request_id"])
                for r in client.get(f"{BASE}/requests.json", {"api_key": secret, **query}).json()}

    assert ids(status="closed") == {rejected}
    assert ids(status="open") == {waiting, handled}
    Task.objects.update(status=Task.Status.CLOSED)  # the handling issue will close tasks with evidence
    assert ids(status="closed") == {rejected, handled} and ids(status="open,closed") == {waiting, rejected, handled}
    notes = client.get(f"{BASE}/requests/{rejected}.json", {"api_key": secret}).json()[0]["status_notes"]
    assert notes == "不予受理：个人私事"
    assert ids(service_code="environment") == set() and ids(service_code="facilities,environment") >= {waiting}
    assert ids(service_request_id=f"{waiting},{handled}") == {waiting, handled}
    listed = client.get(f"{BASE}/requests.json", {"api_key": secret, "status": "open,closed"}).json()
    for request in listed:  # a request reads the same in a list (plain values) as alone (the demand itself)
        alone = client.get(f"{BASE}/requests/{request['service_request_id']}.json", {"api_key": secret}).json()
        assert alone == [request]
    assert {r["status"] for r in listed} == {"open", "closed"} and len(listed) == 3


def test_date_filters_and_their_limits(world, key):
    client, secret = Client(), key("grid_worker")
    made = _file(client, secret)
    now = timezone.localtime()
    start, end = (now - timedelta(days=1)).isoformat(), (now + timedelta(days=1)).isoformat()

    def answer(**query):
        return client.get(f"{BASE}/requests.json", {"api_key": secret, **query})

    assert [r["service_request_id"] for r in answer(start_date=start, end_date=end).json()] == [str(made)]
    assert answer(start_date=(now + timedelta(hours=1)).isoformat()).json() == []
    assert answer(end_date=(now - timedelta(hours=1)).isoformat()).json() == []
    too_long = answer(start_date=(now - timedelta(days=100)).isoformat(), end_date=end)
    assert too_long.status_code == 400 and "90 天" in too_long.json()[0]["description"]
    assert answer(start_date="yesterday").status_code == 400
    assert answer(status="resolved").status_code == 400
    xml = ElementTree.fromstring(client.get(f"{BASE}/requests.xml", {"api_key": secret}).content)
    assert xml.tag == "service_requests" and xml.find("request/status").text == "open"


@pytest.fixture
def api_screen(world):
    """Screen a demand as community staff through the JSON API (Open311 itself has no screening)."""
    secret = token_create(actor=world.users["community_staff"], name="筛选")[1]
    from yishiting.demands.models import ConsultationRule

    def screen(demand_id: int, body: dict) -> None:
        response = Client().post(f"/api/v1/demands/{demand_id}/screen", body, content_type="application/json",
                                 headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, response.content.decode()

    screen.exclude_rule = ConsultationRule.objects.filter(kind="exclude").first().pk
    return screen


def _copies(demand_id: int, n: int) -> list[int]:
    """`n` copies of a filed request under new numbers (test data: reads only)."""
    demand = Demand.objects.get(pk=demand_id)
    copies = []
    for i in range(n):
        demand.pk, demand.number = None, f"P{i:05d}"
        copies.append(Demand(**{f.attname: getattr(demand, f.attname) for f in Demand._meta.concrete_fields}))
    return [d.pk for d in Demand.objects.bulk_create(copies)]


@pytest.mark.parametrize("n", [3, 120])
def test_requests_are_paged_and_cost_the_same_queries_at_any_size(world, key, n, django_assert_max_num_queries):
    """100 a page by default (up to 1,000 with page_size), newest first, page by page; one read of the demands
    however many there are, whatever their outcome records (issue 18: no query per request)."""
    client, secret = Client(), key("street_official")
    _copies(_file(client, key("grid_worker")), n - 1)
    newest = Demand.objects.order_by("-created_at", "-pk")
    Demand.objects.filter(pk=newest[1].pk).update(status="rejected", outcome_reason="个人私事")
    with django_assert_max_num_queries(6):
        first = client.get(f"{BASE}/requests.json", {"api_key": secret}).json()
    assert len(first) == min(n, 100)
    assert [r["service_request_id"] for r in first] == [str(pk) for pk in Demand.objects.order_by(
        "-created_at", "-pk").values_list("pk", flat=True)[:100]]
    assert [r["status"] for r in first[:3]] == ["open", "closed", "open"][:n]
    rest = client.get(f"{BASE}/requests.json", {"api_key": secret, "page": 2}).json()
    assert len(rest) == max(0, n - 100) and not {r["service_request_id"] for r in rest} & {
        r["service_request_id"] for r in first}
    everything = client.get(f"{BASE}/requests.json", {"api_key": secret, "page_size": 1000}).json()
    assert len(everything) == n
    for bad in ({"page_size": "1001"}, {"page_size": "0"}, {"page": "x"}):
        response = client.get(f"{BASE}/requests.json", {"api_key": secret, **bad})
        assert response.status_code == 400 and "之间的整数" in response.json()[0]["description"]
