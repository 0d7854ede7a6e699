"""热点分布 and the plan on the demand form: staff see their subtree's demands on the plan and open them; residents
never see anyone's demands on a plan; a tap's point is stored as the demand's location."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yishiting.demands.models import Demand
from yishiting.oversight.models import AreaPlan
from yishiting.oversight.tests.plans import POINTS, at_pixel, image_bytes, make_plan

pytestmark = pytest.mark.usefixtures("file_media")


@pytest.fixture
def drawn(world, new_demand):
    """A plan of 幸福苑小区 with two demands on it (one in 3栋, one filed by a grid worker), one off the plan and
    one of 和平里 (another community) at a point that would fall on it."""
    plan = make_plan(world)
    return {
        "plan": plan,
        "lift": new_demand("resident", area=world.areas["B1"], **at_pixel(400, 300)),
        "light": new_demand("grid_worker", text="小区东门路灯坏了，晚上很黑，希望尽快修好", area=world.areas["G1"],
                            **at_pixel(700, 100)),
        "far": new_demand("resident", text="小区外面马路上的井盖松了，车过去哐哐响", area=world.areas["B1"],
                          latitude=at_pixel(0, 0)["latitude"] + 1, longitude=at_pixel(0, 0)["longitude"]),
        "other": new_demand("resident2", text="和平里1栋门口的垃圾桶满了没人清", area=world.areas["B2"],
                            **at_pixel(100, 100)),
    }


def _points(html: str) -> set[str]:
    return set(re.findall(r'<a href="/demands/(\d+)/" class="hotspot-point"', html))


@pytest.mark.parametrize("persona", ["grid_worker", "community_staff", "street_official", "district_official"])
def test_staff_see_the_demands_of_their_subtree_on_the_plan_and_each_opens(world, as_persona, drawn, persona):
    client = as_persona(persona)
    html = client.get(reverse("web:hotspots")).content.decode()
    assert '<svg class="hotspot-map" viewBox="0 0 800 600"' in html and "hotspot-density" in html
    assert _points(html) == {str(drawn["lift"].pk), str(drawn["light"].pk)}  # not the far one, not 和平里's
    assert 'cx="400.0" cy="300.0"' in html
    assert client.get(reverse("web:demand_detail", args=[drawn["lift"].pk])).status_code == 200


def test_filters_by_category_and_period(world, as_persona, drawn):
    client = as_persona("community_staff")
    category = drawn["lift"].category
    html = client.get(reverse("web:hotspots"), {"plan": drawn["plan"].pk, "category": category.pk}).content.decode()
    expected = {str(d.pk) for d in (drawn["lift"], drawn["light"]) if d.category_id == category.pk}
    assert _points(html) == expected
    html = client.get(reverse("web:hotspots"), {"start": "2001-01-01", "end": "2001-12-31"}).content.decode()
    assert _points(html) == set() and "所选条件下图上没有诉求" in html


def test_another_communitys_staff_see_no_plan_of_this_one(world, as_persona, drawn):
    from yishiting.areas import services
    from yishiting.areas.choices import Role

    services.role_assign(actor=None, person=world.people["resident2"], role=Role.COMMUNITY_STAFF,
                         area=world.areas["C2"])
    html = as_persona("resident2").get(reverse("web:hotspots"), {"plan": drawn["plan"].pk}).content.decode()
    assert "还没有可查看的平面图" in html and _points(html) == set()


@pytest.mark.parametrize("persona", ["resident", "resident2", "handler"])
def test_residents_and_handlers_have_no_hot_spot_page(world, as_persona, drawn, persona):
    assert as_persona(persona).get(reverse("web:hotspots")).status_code == 403


def test_the_demand_form_offers_the_bare_plan_of_the_chosen_place_to_a_resident(world, as_persona, drawn):
    html = as_persona("resident").get(reverse("web:demand_new")).content.decode()
    assert "在平面图上点选位置" in html and reverse("web:plan_image", args=[drawn["plan"].pk]) in html
    assert f'"{world.areas["B1"].pk}": {drawn["plan"].pk}' in html  # 3栋 is read on the estate's plan
    # Nobody's demand is on it: no point, no number, no density.
    assert "hotspot" not in html and drawn["lift"].number not in html and drawn["light"].number not in html


def test_plan_image_is_served_to_people_of_the_area_only(world, as_persona, drawn, client):
    url = reverse("web:plan_image", args=[drawn["plan"].pk])
    assert as_persona("resident").get(url).status_code == 200
    assert as_persona("grid_worker").get(url).status_code == 200
    assert as_persona("resident2").get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_a_tapped_point_is_stored_as_the_demands_location(world, as_persona, file_media):
    make_plan(world)
    client = as_persona("resident")
    response = client.post(reverse("web:demand_new"), {
        "text": "3栋门口的台阶裂了，老人走路容易绊倒", "area": world.areas["B1"].pk, "urgency": "normal",
        **{k: str(v) for k, v in at_pixel(250, 125).items()}})
    assert response.status_code == 302
    demand = Demand.objects.latest("pk")
    assert (str(demand.latitude), str(demand.longitude)) == ("30.258750", "120.102500")
    html = as_persona("community_staff").get(reverse("web:hotspots")).content.decode()
    assert 'cx="250.0" cy="125.0"' in html


def test_staff_upload_a_plan_on_the_page_and_bad_input_keeps_nothing(world, as_persona, file_media):
    client = as_persona("community_staff")
    url = reverse("web:plan_edit", args=[world.areas["G1"].pk])
    fields = {"title": "幸福苑小区平面图"}
    for i, p in enumerate(POINTS, start=1):
        fields.update({f"p{i}_{k}": str(v) for k, v in p.items()})
    bad = client.post(url, {**fields, "image": SimpleUploadedFile("plan.png", b"not a picture", "image/png")})
    assert "无法识别平面图，请上传 PNG 或 JPEG 图片。" in bad.content.decode() and not AreaPlan.objects.exists()
    one_point = {k: v for k, v in fields.items() if not k.startswith(("p2_", "p3_"))}
    missing = client.post(url, {**one_point, "image": SimpleUploadedFile("plan.png", image_bytes(), "image/png")})
    assert "请填写前两个参照点。" in missing.content.decode() and not AreaPlan.objects.exists()
    good = client.post(url, {**fields, "image": SimpleUploadedFile("plan.png", image_bytes(), "image/png")})
    plan = AreaPlan.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"?plan={plan.pk}")
    assert len(plan.reference_points) == 3


@pytest.mark.parametrize("persona, status", [("grid_worker", 403), ("resident", 403), ("community_secretary", 200),
                                             ("street_official", 403)])
def test_who_may_open_the_plan_page(world, as_persona, persona, status):
    assert as_persona(persona).get(reverse("web:plan_edit", args=[world.areas["G1"].pk])).status_code == status


def test_community_staff_cannot_open_another_communitys_plan_page(world, as_persona):
    assert as_persona("community_staff").get(reverse("web:plan_edit", args=[world.areas["G2"].pk])).status_code == 404




def test_with_no_plan_the_page_says_who_uploads_one_and_links_those_who_may(world, as_persona):
    """A street official read only "还没有可查看的平面图。": now he is told who uploads a plan, and community staff
    get the link to upload it."""
    official = as_persona("street_official").get(reverse("web:hotspots")).content.decode()
    assert "还没有可查看的平面图" in official and "平面图由社区工作人员或社区书记在本页上传" in official
    assert "/oversight/plans/area/" not in official
    staff = as_persona("community_staff").get(reverse("web:hotspots")).content.decode()
    assert "还没有可查看的平面图" in staff and 'href="#upload"' in staff and 'id="upload"' in staff
    assert reverse("web:plan_edit", args=[world.areas["C1"].pk]) in staff
