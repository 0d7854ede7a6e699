"""A unit's yearly rating computed from real records, with exact expected figures: handling record (on time,
late, returned), 组织考评, the street's annual evaluation, the 整改 record (an open overdue item counts against
it), the district's weights, the property company's 五方互评, and closing the year keeps the rating."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.handling.models import EvaluationRound, OrgAssessment, PartyRating
from yishiting.handling.services import tasks as tasks_services
from yishiting.handling.tests.tasks_world import assign, backdate, handling_topic, photo
from yishiting.oversight.models import RatingWeights, RectificationItem, UnitRating
from yishiting.oversight.rating import unit_rating
from yishiting.oversight.services import rectification as rect
from yishiting.oversight.services.ratings import annual_evaluation_save, rating_year_close

from .world import build, issue

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _close(w, task) -> None:
    tasks_services.task_submit(actor=w.users["handler"], task=task, evidence="已办结", files=[("a.jpg", photo())])
    tasks_services.task_verify(actor=w.users["community_staff"], task=task, approve=True)


@pytest.fixture
def records(world):
    """The agency's year: 3 tasks (one on a topic, closed on time and assessed 90; one returned once then closed
    on time; one open past its deadline), the street's evaluation 80, two 整改 items (one accepted on time, one
    open past its deadline)."""
    w = build(world)
    topic, resolution = handling_topic(w)
    _close(w, assign(w, topic, resolution))
    round_ = EvaluationRound.objects.get(topic=topic)
    OrgAssessment.objects.create(round=round_, score=90, assessed_by=w.users["street_official"])
    returned = assign(w, accepted=False, title="清理3栋楼道杂物")
    tasks_services.task_return(actor=w.users["handler"], task=returned, reason="不属于本单位职责")
    tasks_services.task_reassign(actor=w.users["community_staff"], task=returned, handler=w.people["handler"],
                                 reason="经核实属于本单位")
    tasks_services.task_accept(actor=w.users["handler"], task=returned)
    _close(w, returned)
    late = assign(w, title="修复3栋门禁")
    today = timezone.localdate()
    backdate(late, today - timedelta(days=10), today - timedelta(days=1))
    annual_evaluation_save(actor=w.users["street_official"], evaluator_area=w.areas["S1"],
                           organization=w.organizations["agency"], year=YEAR, score=80, comment="响应及时")
    first, second = issue(w, days=(5, 5)).items.order_by("seq")
    rect.rectification_acknowledge(actor=w.users["handler"], item=first)
    rect.rectification_submit(actor=w.users["handler"], item=first, text="完成")
    rect.rectification_accept(actor=w.users["street_official"], item=first)
    RectificationItem.objects.filter(pk=second.pk).update(deadline=today - timedelta(days=1))
    return w, round_


def test_the_agency_rating_with_default_weights_is_exact_and_shows_its_records(records):
    w, _round = records
    d = unit_rating(w.organizations["agency"], YEAR)
    parts = {p.part: p for p in d.parts}
    assert parts["parties"].score is None  # an agency is none of the five parties: left out
    assert str(parts["organization"].score) == "90"
    assert str(parts["handling"].score) == "185/3"  # 2 of 3 on time × 100 − 5 for one return
    expected = {"on_time": 2, "late": 1, "returned": 1, "counted": 3, "deduction": 5}
    assert {k: parts["handling"].figures[k] for k in expected} == expected
    assert str(parts["evaluation"].score) == "80"
    assert str(parts["rectification"].score) == "50"
    # (20×90 + 30×185/3 + 20×80 + 10×50) ÷ 80 = 71.875
    assert d.score == Decimal("71.9") and d.grade == "C"
    assert [r["outcome"] for r in parts["handling"].records] == ["on_time", "on_time", "late"]
    assert [r["outcome"] for r in parts["rectification"].records] == ["on_time", "late"]


def test_district_weights_change_the_figure(records):
    w, _round = records
    RatingWeights.objects.create(district=w.areas["D"], parties=0, organization=0, handling=50, evaluation=50,
                                 rectification=0, per_returned=10)
    d = unit_rating(w.organizations["agency"], YEAR)
    # handling 200/3 − 10 = 170/3; (50×170/3 + 50×80) ÷ 100 = 68.33…
    assert d.score == Decimal("68.3") and d.grade == "C"


def test_the_property_companys_service_credit_from_five_party_ratings(records):
    w, round_ = records
    for party, score in [("residents_committee", 70), ("owners_committee", 85)]:
        PartyRating.objects.create(round=round_, rater=w.people["community_secretary"], rater_party=party,
                                   ratee_party="property", score=score)
    d = unit_rating(w.organizations["property"], YEAR)
    assert d.score == Decimal("77.5") and d.grade == "C"
    assert unit_rating(w.organizations["co_unit"], YEAR).score is None  # no records: no rating


def test_annual_evaluation_is_one_per_evaluator_and_editable_until_the_year_closes(records):
    w, _round = records
    again = annual_evaluation_save(actor=w.users["street_official"], evaluator_area=w.areas["S1"],
                                   organization=w.organizations["agency"], year=YEAR, score=95)
    assert again.score == 95 and w.organizations["agency"].annual_evaluations.count() == 1
    with pytest.raises(DomainError) as refused:  # a street does not evaluate the community's co-building unit
        annual_evaluation_save(actor=w.users["street_official"], evaluator_area=w.areas["S1"],
                               organization=w.organizations["co_unit"], year=YEAR, score=60)
    assert refused.value.code == "not_evaluable"
    with pytest.raises(PermissionDeniedError):
        annual_evaluation_save(actor=w.users["handler"], evaluator_area=w.areas["S1"],
                               organization=w.organizations["agency"], year=YEAR, score=60)
    annual_evaluation_save(actor=w.users["community_secretary"], evaluator_area=w.areas["C1"],
                           organization=w.organizations["property"], year=YEAR - 1, score=70)
    rating_year_close(actor=w.users["district_official"], district=w.areas["D"], year=YEAR - 1)
    kept = UnitRating.objects.get(organization=w.organizations["property"], year=YEAR - 1)
    assert kept.score == Decimal("70.0") and kept.derivation["parts"][3]["records"][0]["score"] == 70
    with pytest.raises(Conflict) as closed:
        annual_evaluation_save(actor=w.users["community_secretary"], evaluator_area=w.areas["C1"],
                               organization=w.organizations["property"], year=YEAR - 1, score=90)
    assert closed.value.message == f"{YEAR - 1} 年度评议已关闭，不能再修改。"


def test_the_units_page_tables_every_years_rating_besides_the_year_select(records):
    """The detail showed one year at a time (and no table until a year was closed): the table lists this year's
    rating as computed so far and every kept year's, each year opening its derivation."""
    from django.test import Client

    w, _round = records
    agency = w.organizations["agency"]
    UnitRating.objects.create(organization=agency, year=YEAR - 1, score=Decimal("88.0"), grade="B")
    client = Client()
    client.force_login(w.users["street_official"])
    page = client.get(f"/oversight/ratings/{agency.pk}/").content.decode()
    history = page.split('id="history-h"')[1]
    assert f"{YEAR} <span" in history and "71.9" in history and "（未关闭，按现有记录计算）" in history
    assert f'href="?year={YEAR - 1}"' in history and "88.0" in history and ">B<" in history
    fresh = client.get(f"/oversight/ratings/{w.organizations['property'].pk}/").content.decode()
    assert "历年评级" in fresh and "往年的评级在区关闭该年度后保存" in fresh
    today = timezone.localdate()  # this year is counted up to today, written as the page's language writes a day
    assert f"计至 {today.month}月{today.day}日。" in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/oversight/ratings/{agency.pk}/").content.decode()
    assert f"Counted up to {today.day} {today:%b}." in english and "年" not in english.split("Counted up to")[1][:20]


def test_the_units_list_puts_units_with_records_first_and_says_when_none_has_any(records):
    """The list paged through every unit in tree order, most reading "暂无记录": now the units with records for
    the year come first, the page counts both kinds, and a year no unit has records for is a clear empty state
    (the units listed only on asking)."""
    from django.test import Client

    w, _round = records
    client = Client()
    client.force_login(w.users["district_official"])
    page = client.get("/oversight/ratings/", {"year": YEAR}).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    with_records = [i for i, row in enumerate(rows) if "本年度无记录" not in row]
    assert with_records == list(range(len(with_records))) and len(with_records) < len(rows)  # first, then the rest
    assert w.organizations["agency"].name in rows[0] + rows[1] and "个单位本年度有记录，排在前面" in page
    empty = client.get("/oversight/ratings/", {"year": YEAR - 3}).content.decode()
    assert f"{YEAR - 3} 年度还没有单位有评级记录。" in empty and "<tbody>" not in empty
    everyone = client.get("/oversight/ratings/", {"year": YEAR - 3, "all": "1"}).content.decode()
    assert everyone.count("本年度无记录") == len(rows)


def test_the_years_table_leaves_out_years_without_a_rating(records):
    from django.test import Client

    w, _round = records
    agency = w.organizations["agency"]
    UnitRating.objects.create(organization=agency, year=YEAR - 1, score=Decimal("88.0"), grade="B")
    UnitRating.objects.create(organization=agency, year=YEAR - 2, score=None, grade="")
    client = Client()
    client.force_login(w.users["street_official"])
    history = client.get(f"/oversight/ratings/{agency.pk}/").content.decode().split('id="history-h"')[1]
    assert f'href="?year={YEAR - 1}"' in history and f'href="?year={YEAR - 2}"' not in history
    assert "另有 1 个已关闭的年度没有可计分的记录，未列出。" in history
