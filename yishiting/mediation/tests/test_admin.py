"""The back office for mediation: dispute types and templates changed by admins through services, committees
and cases listed within scope only (a case's parties are no admin's business outside it)."""

from __future__ import annotations

import pytest

from yishiting.common.events import events_of
from yishiting.mediation.models import DisputeType, MediationTemplate
from yishiting.web.tests.test_demands_admin import listed, staff_client

from .world import screened_case

pytestmark = pytest.mark.django_db


def test_dispute_types_are_added_by_admins_through_the_service(world, med):
    admin = staff_client(world, "admin")
    response = admin.post("/admin/mediation/disputetype/add/", {"code": "pets", "name": "宠物纠纷", "order": 90,
                                                                 "is_active": "on"})
    assert response.status_code == 302
    added = DisputeType.objects.get(code="pets")
    assert [e.kind for e in events_of(added)] == ["dispute_type.saved"]
    secretary = staff_client(world, "community_secretary")
    assert "宠物纠纷" in {t.name for t in listed(secretary, "/admin/mediation/disputetype/")}
    assert secretary.get("/admin/mediation/disputetype/add/").status_code == 403


def test_a_template_with_no_attempts_is_refused_in_the_form(world, med):
    admin = staff_client(world, "admin")
    page = admin.post("/admin/mediation/mediationtemplate/add/", {
        "area": world.areas["C1"].pk, "name": "零", "community_attempts": 0, "street_attempts": 0,
        "district_attempts": 0, "limit_days": 30, "yellow_percent": 80, "escalate_after_days": 3,
        "confirmation_days": 30, "auto_escalate": "on"})
    assert page.status_code == 200 and "不能都为 0" in page.content.decode()
    assert not MediationTemplate.objects.exists()


def test_cases_and_committees_are_listed_within_scope(world, med):
    case = screened_case(world)
    assert [c.pk for c in listed(staff_client(world, "community_secretary"), "/admin/mediation/mediationcase/")] \
        == [case.pk]
    assert listed(staff_client(world, "street_official"), "/admin/mediation/mediationcase/") == [case]
    grid = staff_client(world, "grid_worker")
    assert grid.get("/admin/mediation/mediationcase/").status_code == 403
    committees = {c.area.code for c in listed(staff_client(world, "community_secretary"),
                                              "/admin/mediation/mediationcommittee/")}
    assert committees == {"C1"}
