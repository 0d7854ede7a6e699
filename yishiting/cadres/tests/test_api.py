"""/api/v1/cadres: the same services, selectors and scope as the pages; errors in the API's one shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_archives_attendance_ranking_and_pledges_through_the_api(world, training, api_as):
    assert [a["name"] for a in api_as("grid_worker").get("/cadres/archives").json()["items"]] == ["赵网格"]
    assert_error(api_as("community_secretary").get(f"/cadres/archives/{training.cadre.pk}"), 404)
    made = api_as("street_official").post(f"/cadres/activities/{training.course.pk}/attendance",
                                          {"cadre_id": training.cadre.pk})
    assert made.status_code == 201, made.content.decode()
    assert (made.json()["rank"], made.json()["credits"]) == (1, "2.0")
    assert_error(api_as("street_official").post(f"/cadres/activities/{training.course.pk}/attendance",
                                                {"cadre_id": training.cadre.pk}), 409, "already_recorded")
    month = timezone.localdate().replace(day=1).isoformat()
    rows = api_as("street_official").get(f"/cadres/programmes/{training.programme.pk}/ranking", month=month).json()
    assert [(r["name"], r["rank"], r["bottom"]) for r in rows] == [("赵网格", 1, False), ("孙书记", 2, True)]
    assert_error(api_as("grid_worker").get(f"/cadres/programmes/{training.programme.pk}/ranking", month=month), 403)

    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    pledge = api_as("grid_worker").post("/cadres/pledges", {"what": "建立网格微信群", "measure": "覆盖全部住户",
                                                            "due_on": due}).json()
    assert pledge["status"] == "active" and pledge["progress"] == 0
    updated = api_as("grid_worker").post(f"/cadres/pledges/{pledge['id']}/progress", {"progress": 50, "note": "过半"})
    assert updated.json()["progress"] == 50
    assert_error(api_as("street_official").post(f"/cadres/pledges/{pledge['id']}/progress",
                                                {"progress": 60, "note": "代填"}), 403)
    done = api_as("grid_worker").post(f"/cadres/pledges/{pledge['id']}/complete", {"result": "全部入群"}).json()
    assert (done["status"], done["progress"]) == ("done", 100)
    archive = api_as("grid_worker").get(f"/cadres/archives/{training.cadre.pk}").json()
    assert archive["credits"][0]["credits"] == "2.0" and archive["mentors"] == ["王导师"]
    assert {m["key"] for m in archive["matters"]} == {"topics", "meetings", "tasks", "cases", "whistles"}
    public = Client().get(f"/api/v1/cadres/public/{world.areas['S1'].pk}/pledges").json()
    assert [p["what"] for p in public["items"]] == ["建立网格微信群"]
