"""小事不出网格 through HTTP, as the people do it on their phones (the JSON API) and at their desks (the pages): the
grid worker patrols building 3 and records what she found with a photo (a retry on a weak connection stores
nothing twice); one tap makes the finding a demand (网格巡查); the community screens it for direct handling at
the grid's level; the handler closes it with evidence and the secretary verifies it. The month's coverage of
the grid — on the page and in the API — counts the patrol, the finding and one finding solved in the grid."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from yishiting.accounts.services import token_create
from yishiting.demands.models import Demand

from .http import signed_in

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(out, format="PNG")
    return out.getvalue()


class Phone:
    """Someone's phone talking to /api/v1 with their own token."""

    def __init__(self, world, username: str) -> None:
        _, secret = token_create(actor=world.users[username], name="手机")
        self.client, self.auth = Client(), {"Authorization": f"Bearer {secret}"}

    def post(self, path: str, data=None, expect: int = 200, multipart: bool = False, **headers: str) -> dict:
        if multipart:
            response = self.client.post("/api/v1" + path, data or {}, headers={**self.auth, **headers})
        else:
            response = self.client.post("/api/v1" + path, data or {}, content_type="application/json",
                                        headers={**self.auth, **headers})
        assert response.status_code == expect, response.content.decode()[:2000]
        return response.json()

    def get(self, path: str, **query) -> dict:
        response = self.client.get("/api/v1" + path, query, headers=self.auth)
        assert response.status_code == 200, response.content.decode()[:2000]
        return response.json()


def test_a_patrol_finding_solved_in_the_grid(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker, staff, secretary = (Phone(world, n) for n in ("grid_worker", "community_staff", "community_secretary"))
    building = world.areas["B1"]
    fields = {"kind": "patrol", "place_id": str(building.pk), "summary": "巡查3栋楼道和消防通道",
              "position": "3栋东侧消防通道", "findings": "消防通道堆放旧家具，堵住一半通道"}
    photo = ("photos", _png())
    first = worker.post("/grid/records/multipart", {**fields, "photos": io.BytesIO(photo[1])}, expect=201,
                        multipart=True, **{"Idempotency-Key": "patrol-1"})
    retry = worker.post("/grid/records/multipart", {**fields, "photos": io.BytesIO(photo[1])}, expect=201,
                        multipart=True, **{"Idempotency-Key": "patrol-1"})
    assert retry["id"] == first["id"] and len(first["photos"]) == 1
    [finding] = first["findings"]
    assert finding["demand_id"] is None

    reported = worker.post(f"/grid/findings/{finding['id']}/demand", expect=201)
    assert reported["channel"] == "patrol"
    again = worker.post(f"/grid/findings/{finding['id']}/demand", expect=201)
    assert again["demand_id"] == reported["demand_id"]  # one tap, one demand
    demand = staff.get(f"/demands/{reported['demand_id']}")
    assert demand["channel"] == "patrol" and "消防通道" in demand["text"]

    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    screened = staff.post(f"/demands/{reported['demand_id']}/screen", {
        "outcome": "handling", "nature": "individual", "reason": "楼道杂物由网格和物业当天清理",
        "handler_id": world.people["community_staff"].pk, "deadline": deadline})
    assert screened["status"] == "handling" and screened["responsibility"]["kind"] == "task"
    task_id = Demand.objects.get(pk=reported["demand_id"]).task_id  # the task's id, as the handler's inbox lists it
    staff.post(f"/tasks/{task_id}/accept")
    staff.post(f"/tasks/{task_id}/submit", {"evidence": "已联系住户搬走旧家具，通道畅通", "files": io.BytesIO(_png())},
               multipart=True)
    secretary.post(f"/tasks/{task_id}/verify", {"approve": True, "note": "现场核实，通道已畅通"})

    coverage = staff.get("/grid/coverage")
    row = next(r for r in coverage["items"] if r["estate_id"] == world.areas["G1"].pk)
    assert (row["patrols"], row["findings"], row["reported"], row["solved_in_grid"]) == (1, 1, 1, 1)
    assert "小事不出网格" in coverage["definition"]
    page = signed_in(world, "community_staff").get("/grid/coverage/").content.decode()
    assert "小事不出网格" in page and "幸福苑小区" in page
    record_page = signed_in(world, "grid_worker").get(f"/grid/records/{first['id']}/").content.decode()
    assert f"已转为诉求 {demand['number']}" in record_page
