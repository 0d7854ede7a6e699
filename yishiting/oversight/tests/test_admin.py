"""The back office: the district's admin sets the weights of the rating's parts (and the rating follows them),
sees the kept ratings and evaluations, and closes last year from the weights list."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.utils import timezone

from yishiting.oversight.models import DistrictRates, RatingWeights, RatingYear
from yishiting.oversight.rating import unit_rating
from yishiting.oversight.services.ratings import annual_evaluation_save

from .world import build

YEAR = timezone.localdate().year


def test_admin_sets_weights_and_closes_last_year(world):
    w = build(world)
    client = Client()
    client.force_login(w.users["admin"])
    for page in ["/admin/oversight/", "/admin/oversight/ratingweights/add/", "/admin/oversight/unitrating/",
                 "/admin/oversight/annualevaluation/", "/admin/oversight/ratingyear/",
                 "/admin/oversight/rectificationlist/"]:
        assert client.get(page).status_code == 200, page
    saved = client.post("/admin/oversight/ratingweights/add/", {
        "district": w.areas["D"].pk, "parties": 0, "organization": 0, "handling": 0, "evaluation": 100,
        "rectification": 0, "whistles": 0, "per_returned": 5, "per_extended": 5, "per_reopened": 10})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    annual_evaluation_save(actor=w.users["community_secretary"], evaluator_area=w.areas["C1"],
                           organization=w.organizations["property"], year=YEAR - 1, score=75)
    assert unit_rating(w.organizations["property"], YEAR - 1).score == Decimal("75.0")
    weights = RatingWeights.objects.get()
    done = client.post("/admin/oversight/ratingweights/", {"action": "close_last_year", "_selected_action": [weights.pk]},
                       follow=True)
    assert "已关闭上一年度" in done.content.decode()
    assert RatingYear.objects.filter(district=w.areas["D"], year=YEAR - 1).exists()


def test_the_rates_of_a_district_are_chosen_among_districts_only(world):
    """The 区 drop-down offered every area down to the units and saving a street answered 500. (The setting is a
    superuser's here; the district's own staff reach it too, see below.)"""
    superuser = world.users["admin"]
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(superuser)
    form = client.get("/admin/oversight/districtrates/add/").content.decode()
    assert "幸福区" in form and "东风街道" not in form
    refused = client.post("/admin/oversight/districtrates/add/",
                          {"district": world.areas["S1"].pk, "rates": ["response", "resolved"]})
    assert refused.status_code == 200 and "选择一个有效的选项" in refused.content.decode()
    saved = client.post("/admin/oversight/districtrates/add/",
                        {"district": world.areas["D"].pk, "rates": ["satisfaction", "on_time", "resolved", "response"]})
    assert saved.status_code == 302
    assert DistrictRates.objects.get(district=world.areas["D"]).keys() == ["response", "resolved", "on_time",
                                                                            "satisfaction"]


def test_the_districts_admin_ticks_the_rates_by_their_chinese_names(world):
    """区考评指标设置 was superusers' only and took English keys typed in a box: the district's scoped admin reaches
    it from the back office's index like the index and rating weights, and ticks 响应率、解决率…"""
    w = build(world)
    client = Client()
    client.force_login(w.users["admin"])  # staff, district official of 幸福区, not a superuser
    assert not w.users["admin"].is_superuser
    assert "/admin/oversight/districtrates/" in client.get("/admin/oversight/").content.decode()
    form = client.get("/admin/oversight/districtrates/add/").content.decode()
    assert 'type="checkbox" name="rates" value="resolved"' in form and "解决率" in form and "按期办结率" in form
    assert "幸福区" in form and "英文逗号" not in form
    saved = client.post("/admin/oversight/districtrates/add/",
                        {"district": w.areas["D"].pk, "rates": ["satisfaction", "resolved", "response"]})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert DistrictRates.objects.get(district=w.areas["D"]).keys() == ["response", "resolved", "satisfaction"]
    listed = client.get("/admin/oversight/districtrates/").content.decode()
    assert "响应率、解决率、满意率" in listed
    none = client.post("/admin/oversight/districtrates/add/", {"district": w.areas["D"].pk, "rates": []})
    assert none.status_code == 200 and "这个字段是必填项" in none.content.decode()
