"""公开统计 without login: the page, and the same figures as CSV, XLSX and JSON with the documented columns."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from yishiting.demands.models import Category
from yishiting.oversight.selectors.public_stats import OPEN_DATA_COLUMNS
from yishiting.oversight.tests.test_public import file

MARCH = {"from": "2026-03", "to": "2026-03"}


@pytest.fixture
def history(world):
    env, safety = Category.objects.order_by("pk")[:2]
    file(world, "resident", "B1", 7, env, date(2026, 3, 1))
    file(world, "resident", "B1", 2, safety, date(2026, 3, 1))
    file(world, "resident2", "B2", 6, env, date(2026, 3, 1))
    return env, safety


def test_anyone_reads_the_page_without_logging_in_and_it_explains_the_rule(world, history):
    html = Client().get(reverse("web:public_stats"), {"area": world.areas["D"].pk, **MARCH}).content.decode()
    assert "公开统计" in html and "2026年3月" in html and "幸福苑社区" in html and "和平里社区" in html
    assert "&lt;5" in html and "为防止用合计减去其他数字反推" in html
    assert "按汇总表计算，统计截至" in html  # read from the roll-ups, and says up to when
    for name in ("张三", "李四", "楼道里堆满了杂物", "13800000001"):  # no name, no text, no phone
        assert name not in html


def test_the_login_page_and_a_residents_home_link_to_it(world, as_persona):
    assert reverse("web:public_stats") in Client().get(reverse("web:login")).content.decode()
    home = as_persona("resident").get(reverse("web:home")).content.decode()
    assert f'{reverse("web:public_stats")}?area={world.areas["C1"].pk}' in home


def _csv(world) -> list[dict]:
    body = Client().get(reverse("web:public_stats_csv"), {"area": world.areas["D"].pk, **MARCH}).content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_open_data_parses_back_the_same_in_every_format(world, history):
    query = {"area": world.areas["D"].pk, **MARCH}
    rows = _csv(world)
    assert list(rows[0]) == OPEN_DATA_COLUMNS
    data = json.loads(Client().get(reverse("web:public_stats_json"), query).content)
    assert data["columns"] == OPEN_DATA_COLUMNS and len(data["rows"]) == len(rows)
    book = load_workbook(io.BytesIO(Client().get(reverse("web:public_stats_xlsx"), query).content))
    sheet = list(book.active.iter_rows(values_only=True))
    assert list(sheet[0]) == OPEN_DATA_COLUMNS and len(sheet) - 1 == len(rows)
    env = history[0]
    c2 = next(r for r in data["rows"] if r["areaCode"] == "C2" and r["categoryCode"] == env.code
              and r["measure"] == "received")
    assert c2["value"] == 6 or c2["suppressed"] == "complementary"
    for row in data["rows"]:
        assert row["value"] is None or not 0 < row["value"] < 5
        assert (row["value"] is None) == bool(row["suppressed"])
    small = [r for r in rows if r["suppressed"] == "small"]
    assert small and all(r["value"] == "" for r in small)


def test_bad_parameters_fall_back_to_defaults(world):
    for query in ({"area": "x", "from": "2026-13"}, {"area": "999999", "to": "abc"}, {"measure": "names"}):
        assert Client().get(reverse("web:public_stats"), query).status_code == 200
        assert Client().get(reverse("web:public_stats_json"), query).status_code == 200
