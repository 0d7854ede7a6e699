"""The worker's fast entry: keyboard-ready page, the area picker (`xfy3` finds 幸福苑3栋; the demo examples are in areas/tests/test_area_search.py), the masked resident
picker, consent required on a resident's behalf, registering a new resident, and the reset after saving."""

from __future__ import annotations

import re

import pytest

from yishiting.areas.models import Person
from yishiting.demands.models import Demand

pytestmark = pytest.mark.django_db

TEXT = "有人把电瓶车推到楼道里充电，插线板拖了老长，着火了谁负责"


def entry(client, **fields):
    data = {"area_q": "xfy3", "text": TEXT, "channel": "home_visit", "urgency": "normal", "mode": "resident",
            "person_q": "13800000001", **fields}
    return client.post("/demands/entry/", {k: v for k, v in data.items() if v is not None})


def test_the_page_is_ready_for_the_keyboard(as_persona):
    html = as_persona("grid_worker").get("/demands/entry/").content.decode()
    area_input = re.search(r'<input type="text" name="area_q"[^>]*>', html).group(0)
    assert "autofocus" in area_input and 'accesskey="a"' in area_input and "data-picker-input" in area_input
    assert 'accesskey="n"' in html and 'accesskey="r"' in html and 'accesskey="s"' in html
    assert "data-ctrl-enter" in html and 'value="home_visit" selected' in html
    # The save button is the form's first submit button, so Enter in any field saves.
    form = html.split('class="form card entry-form"')[1]
    assert form.index('type="submit"') == form.index('type="submit" class="button button-primary button-block"')


@pytest.mark.parametrize("persona, status", [("grid_worker", 200), ("community_staff", 200),
                                             ("street_official", 200), ("resident", 403), ("handler", 403)])
def test_who_may_enter_for_residents(as_persona, persona, status):
    assert as_persona(persona).get("/demands/entry/").status_code == status


def test_pinyin_initials_find_the_building(world, as_persona):
    html = as_persona("grid_worker").get("/demands/entry/areas/?area_q=xfy3").content.decode()
    assert html.count('type="radio" name="area"') == 1
    assert f'value="{world.areas["B1"].pk}" checked' in html and "幸福苑3栋" in html
    several = as_persona("community_staff").get("/demands/entry/areas/?area_q=xfy").content.decode()
    assert several.count('name="area"') == 3  # 社区, 小区, 3栋
    outside = as_persona("grid_worker").get("/demands/entry/areas/?area_q=hpl").content.decode()
    assert "和平里" not in outside and "没有找到" in outside


def test_the_resident_list_is_masked_and_needs_a_whole_name_or_mobile(world, as_persona):
    client = as_persona("grid_worker")
    found = client.get("/demands/entry/people/?person_q=张三").content.decode().split('class="picker-list"')[1]
    assert "张* 138****0001 · 幸福苑3栋1单元101" in found and "张三" not in found and "13800000001" not in found
    assert 'name="reporter"' not in client.get("/demands/entry/people/?person_q=张").content.decode()
    outside = client.get("/demands/entry/people/?person_q=李四").content.decode()  # lives outside the grid
    assert 'name="reporter"' not in outside and "没有找到" in outside


def test_on_behalf_needs_consent(world, as_persona):
    html = entry(as_persona("grid_worker"), consent=None).content.decode()
    assert "须先取得本人同意" in html and not Demand.objects.exists()


def test_entry_without_javascript_takes_single_matches_then_resets_for_the_next(world, as_persona,
                                                                                django_capture_on_commit_callbacks,
                                                                                messages_outbox):
    client = as_persona("grid_worker")
    with django_capture_on_commit_callbacks(execute=True):
        response = entry(client, consent="on", channel="patrol")
    demand = Demand.objects.get()
    assert demand.area == world.areas["B1"] and demand.reporter == world.people["resident"]
    assert demand.reporter_kind == "on_behalf" and demand.consent_recorded and demand.channel == "patrol"
    assert demand.entered_by == world.users["grid_worker"] and demand.category.name == "安全隐患"
    assert response["Location"] == f"/demands/entry/?channel=patrol&last={demand.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f'<strong id="last-number">{demand.number}</strong>' in html
    assert TEXT not in html and 'value="patrol" selected' in html  # empty form, same channel
    assert messages_outbox[-1].to == "13800000001" and demand.number in messages_outbox[-1].text


def test_several_matches_are_offered_as_choices(world, as_persona):
    html = entry(as_persona("community_staff"), area_q="xfy", consent="on").content.decode()
    assert "找到多个区域，请选择一个" in html and html.count('name="area"') == 3
    assert not Demand.objects.exists()
    response = entry(as_persona("community_staff"), area_q="xfy", area=world.areas["G1"].pk, consent="on")
    assert response.status_code == 302 and Demand.objects.get().area == world.areas["G1"]


def test_a_new_resident_is_registered_with_the_demand(world, as_persona, django_capture_on_commit_callbacks,
                                                      messages_outbox):
    client = as_persona("grid_worker")
    with django_capture_on_commit_callbacks(execute=True):
        entry(client, mode="new", person_q="", new_name="刘奶奶", new_mobile="139 0000 1234", consent="on")
    person = Person.objects.get(mobile="13900001234")
    demand = Demand.objects.get()
    assert person.name == "刘奶奶" and person.area == world.areas["B1"] and demand.reporter == person
    assert messages_outbox[-1].to == "13900001234"
    # The same mobile again: the person already registered is used, not a second record.
    entry(client, mode="new", person_q="", new_name="刘奶奶", new_mobile="13900001234", consent="on",
          text="3栋门口的路灯不亮了")
    assert Person.objects.filter(mobile="13900001234").count() == 1 and Demand.objects.count() == 2


def test_a_new_resident_needs_a_valid_mobile(world, as_persona):
    html = entry(as_persona("grid_worker"), mode="new", new_name="刘奶奶", new_mobile="12345",
                 consent="on").content.decode()
    assert "手机号应为 11 位数字" in html and not Person.objects.filter(name="刘奶奶").exists()


def test_anonymous_and_own_observations_need_no_consent(world, as_persona):
    client = as_persona("grid_worker")
    entry(client, mode="anonymous", person_q="")
    entry(client, mode="self", person_q="", text="巡查发现3栋东侧井盖松动")
    kinds = sorted(Demand.objects.values_list("reporter_kind", flat=True))
    assert kinds == ["anonymous", "self"]
    assert Demand.objects.get(reporter_kind="self").reporter == world.people["grid_worker"]
