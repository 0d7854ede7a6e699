"""/legal/experts/<pk>/availability/: the expert sets their own, the pool's managers anyone's in their area;
residents and other lawyers are refused; bad input leaves the state as it was with a Chinese error; the page is
linked from the lawyer's home and inbox and from the pool's expert page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.legal.choices import Availability as A
from yishiting.legal.models import Expert
from yishiting.legal.tests.conftest import build_pool

from .pages import main

pytestmark = pytest.mark.django_db


def url(expert: Expert) -> str:
    return f"/legal/experts/{expert.pk}/availability/"


def state(expert: Expert) -> tuple[str, object]:
    fresh = Expert.objects.get(pk=expert.pk)
    return fresh.availability, fresh.busy_until


def test_a_lawyer_sets_busy_until_a_date_from_the_inbox_and_gets_no_new_questions(world):
    pool = build_pool(world)
    lawyer = pool.client("lawyer")
    assert url(pool.lawyer) in main(lawyer.get("/legal/"))
    inbox = main(lawyer.get("/legal/inbox/"))
    assert url(pool.lawyer) in inbox and "可约请" in inbox
    page = main(lawyer.get(url(pool.lawyer)))
    assert "已认领的咨询仍由原律师解答" in page and "次日起自动恢复为可约请" in page
    until = timezone.localdate() + timedelta(days=5)
    done = lawyer.post(url(pool.lawyer), {"availability": "busy", "busy_until": until.isoformat()}, follow=True)
    assert "可约请状态已更新" in main(done) and f"{until.month}月{until.day}日" in main(done)
    assert state(pool.lawyer) == (A.BUSY, until)
    pool.client("resident").post("/legal/ask/", {"field": pool.field("law").pk, "text": "押金不退怎么办？"})
    inbox = main(pool.client("lawyer").get("/legal/inbox/"))
    assert "押金不退" not in inbox and "不接收新的咨询" in inbox
    assert "押金不退" in main(pool.client("lawyer2").get("/legal/inbox/"))


@pytest.mark.parametrize(("data", "error"), [
    ({"availability": "busy", "busy_until": "2020-01-01"}, "繁忙截止日期不能早于今天"),
    ({"availability": "busy", "busy_until": ""}, "请填写繁忙截止日期"),
    ({"availability": "holiday"}, "状态不正确"),
    ({"availability": "busy", "busy_until": "2026-13-45"}, "请填写正确的日期"),
])
def test_bad_input_shows_a_chinese_error_and_changes_nothing(world, data, error):
    pool = build_pool(world)
    page = pool.client("lawyer").post(url(pool.lawyer), data)
    assert page.status_code == 400 and error in main(page)
    assert state(pool.lawyer) == (A.AVAILABLE, None)


def test_the_pool_manager_sets_it_from_the_experts_page(world, as_persona):
    pool = build_pool(world)
    office = as_persona("district_official")
    assert url(pool.lawyer) in main(office.get(f"/legal/experts/{pool.lawyer.pk}/"))
    done = office.post(url(pool.lawyer), {"availability": "away"}, follow=True)
    assert "暂停服务" in main(done) and state(pool.lawyer) == (A.AWAY, None)
    assert "暂停服务" in main(office.get("/legal/experts/"))


@pytest.mark.parametrize("who", ["resident", "lawyer2", "builder", "community_staff"])
def test_others_cannot_change_someone_elses(world, as_persona, who):
    pool = build_pool(world)
    client = pool.client(who) if who in ("lawyer2", "builder") else as_persona(who)
    assert client.get(url(pool.lawyer)).status_code == 403
    assert client.post(url(pool.lawyer), {"availability": "away"}).status_code == 403
    assert state(pool.lawyer) == (A.AVAILABLE, None)
    assert Client().get(url(pool.lawyer)).status_code == 302  # to the sign-in page


def test_an_unknown_or_retired_expert_is_a_404(world, as_persona):
    pool = build_pool(world)
    Expert.objects.filter(pk=pool.builder.pk).update(is_active=False)
    office = as_persona("district_official")
    assert office.get(url(pool.builder)).status_code == 404
    assert office.get("/legal/experts/999999/availability/").status_code == 404
