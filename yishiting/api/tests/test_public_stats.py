"""/api/v1/public: 公开统计 with no login — the same figures and suppression as the page's open data, filtered by
area and months, paged without counting (a page costs the same queries at any volume)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yishiting.oversight.projection import catch_up
from yishiting.oversight.tests.test_public import file, file_two_communities

from .conftest import assert_error

pytestmark = pytest.mark.usefixtures("file_media")


@pytest.fixture
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def history(world):
    return file_two_communities(world)


def _all(api, **query) -> list[dict]:
    rows, page = [], 1
    while True:
        body = api.get("/public/stats", page=page, page_size=7, **query).json()
        rows += body["items"]
        if not body["has_next"]:
            assert body["count"] == len(rows) and not body["count_capped"]
            return rows
        page += 1


def test_anyone_reads_the_same_figures_as_the_open_data_page_by_page(world, api_as, history):
    api, query = api_as(None), {"area": world.areas["D"].pk}
    rows = _all(api, start="2026-03", end="2026-04", **query)
    page_json = json.loads(Client().get(reverse("web:public_stats_json"), {**query, "from": "2026-03",
                                                                          "to": "2026-04"}).content)
    assert rows == page_json["rows"]  # the same figures, the same suppression, the same order
    total = next(r for r in rows if (r["month"], r["areaCode"], r["categoryCode"], r["measure"]) ==
                 ("2026-03", "_all", "_all", "received"))
    assert total["value"] == 15  # 7 + 2 in 幸福苑, 6 in 和平里
    assert {r["suppressed"] for r in rows} == {"", "small", "complementary"}
    assert not [r for r in rows if r["value"] is not None and 0 < r["value"] < 5]
    body = api.get("/public/stats", start="2026-03", end="2026-03", measure="received", **query).json()
    assert body["area"]["code"] == "D" and body["counted_to"] and "非零" in body["rule"]
    assert {r["measure"] for r in body["items"]} == {"received"} and {r["month"] for r in body["items"]} == {"2026-03"}
    for text in ("张三", "楼道里堆满了杂物", "13800000001", "reporter"):
        assert text not in json.dumps(body, ensure_ascii=False)


def test_a_street_sees_its_communities_cut_from_the_district_table(world, api_as, history):
    api = api_as(None)
    district = {(r["month"], r["areaCode"], r["categoryCode"], r["measure"]): r
                for r in _all(api, area=world.areas["D"].pk, start="2026-03", end="2026-04")}
    street = _all(api, area=world.areas["S1"].pk, start="2026-03", end="2026-04")
    assert {r["areaCode"] for r in street} == {"C1", "C2"}  # no district total on a street's view
    for row in street:
        assert row == district[(row["month"], row["areaCode"], row["categoryCode"], row["measure"])]


def test_public_areas_list_districts_streets_and_communities_only(world, api_as):
    body = api_as(None).get("/public/areas", page_size=200).json()
    assert {a["code"] for a in body["items"]} == {"D", "S1", "S2", "C1", "C2", "C3"}
    streets = api_as(None).get("/public/areas", parent=world.areas["D"].pk).json()["items"]
    assert [a["name"] for a in streets] == ["东风街道", "西湖街道"]


def test_a_missing_area_and_an_area_not_public_answer_alike_and_bad_months_are_refused(world, api_as):
    api = api_as(None)
    missing = assert_error(api.get("/public/stats", area=999999), 404, "not_found")
    below = assert_error(api.get("/public/stats", area=world.areas["B1"].pk), 404, "not_found")
    assert missing == below
    assert_error(api.get("/public/stats", start="2026-05", end="2026-03"), 400, "invalid_period")
    assert_error(api.get("/public/stats", start="2023-01", end="2026-03"), 400, "period_too_long")
    assert_error(api.get("/public/stats", start="1999-12"), 400, "invalid_month")
    assert_error(api.get("/public/stats", start="2026-13"), 422)
    assert_error(api.get("/public/stats", measure="names"), 422)


def _page_queries(api, world) -> int:
    catch_up()
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/public/stats", area=world.areas["S1"].pk, start="2026-01", end="2026-06", page=3,
                           page_size=20)
    assert response.status_code == 200
    return len(queries)


def test_a_page_reads_the_same_number_of_queries_at_two_volumes(world, api_as, history):
    api = api_as(None)
    few = _page_queries(api, world)
    for month in (1, 2, 5, 6):
        file(world, "resident", "B1", 6, history[0], date(2026, month, 1))
        file(world, "resident3", "B3", 4, history[1], date(2026, month, 1))
    assert _page_queries(api, world) == few <= 10
