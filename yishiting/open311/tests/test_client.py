"""A real Open311 client library from PyPI (georeport 0.3.1) against the live server.

georeport only reads (services, service definition, requests) and sends no api_key on reads, so the key
goes in the URL as HTTP Basic user name (https://yst_…:@host/open311/v2), which our endpoint accepts.
It has no call to create a request; that POST is sent form-encoded with `requests`, exactly as the spec says.
"""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from yishiting.accounts.services import token_create
from yishiting.demands.models import Demand

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live_server flushes the DB


def test_a_georeport_client_lists_services_and_reads_back_the_request_it_filed(world, live_server):
    root = f"{live_server.url}/open311/v2"
    secret = token_create(actor=world.users["grid_worker"], name="街道App")[1]
    filed = requests.post(f"{root}/requests.json", timeout=30, data={
        "api_key": secret, "service_code": "environment", "description": "小区东门垃圾桶满了没人清运，臭气熏天",
        "address_string": "幸福苑小区东门", "media_url": "https://example.org/1.jpg"})
    assert filed.status_code == 201, filed.text
    request_id = filed.json()[0]["service_request_id"]

    public = GeoReport(root)
    services = public.get_service_list()
    assert {"service_code": "environment", "service_name": "环境整治"}.items() <= services[1].items()
    assert public.get_service_definition("environment")["attributes"][0]["code"] == "area_code"
    assert public.get_service_requests() == []  # without a key nothing is shown

    client = GeoReport(root.replace("://", f"://{secret}:@", 1))
    [listed] = client.get_service_requests(service_code="environment", status="open")
    assert (listed["service_request_id"], listed["service_name"]) == (request_id, "环境整治")
    one = client.get_service_request(request_id)
    assert one["description"].startswith("小区东门垃圾桶满了") and one["address"].startswith("幸福苑")
    assert "*" in one["address"]  # masked
    assert Demand.objects.get(pk=request_id).channel == "open311"


def test_the_same_client_reads_xml(world, live_server):
    root = f"{live_server.url}/open311/v2"
    secret = token_create(actor=world.users["community_staff"], name="XML 客户端")[1]
    filed = requests.post(f"{root}/requests.xml", timeout=30, data={
        "api_key": secret, "service_code": "facilities", "description": "3栋电梯坏了", "lat": "31.2304",
        "long": "121.4737"})
    assert filed.status_code == 201 and b"<service_request_id>" in filed.content
    client = GeoReport(root.replace("://", f"://{secret}:@", 1), output_format="xml")
    services = client.get_service_list()
    assert services[0]["service_name"] == "安全隐患" and services[0]["metadata"] == "true"
    request = client.get_service_requests(service_code="facilities")  # one request: xmltodict gives a dict
    assert (request["status"], request["lat"]) == ("open", "31.2304")
    assert client.get_service_request(request["service_request_id"])["service_code"] == "facilities"
