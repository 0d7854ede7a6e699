"""The demo has a 幸福食堂 (yishiting/demo/canteens.py): the `canteen` and `volunteer` logins find today's board and
deliveries, the resident finds today's menu, and the street's subsidy ledger shows the week's meals."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import Client

from yishiting.accounts.models import User
from yishiting.canteens.models import MealOrder

pytestmark = pytest.mark.django_db


def _page(username: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url, response.status_code)
    return response.content.decode()


def test_the_demo_canteen_has_a_week_of_meals_and_todays_orders_in_every_step():
    from yishiting.areas.demo import demo_build
    from yishiting.demo.history import demo_history_build

    district = demo_build(seed=2026, streets=1, communities_per_street=2).district
    demo_history_build(district, seed=2026)
    statuses = set(MealOrder.objects.values_list("status", flat=True))
    assert {"placed", "accepted", "assigned", "confirmed"} <= statuses, statuses
    assert MealOrder.objects.filter(paid_price__lt=F("listed_price")).exists()
    canteen = MealOrder.objects.first().canteen
    assert "待接单" in _page("canteen", f"/canteens/{canteen.pk}/board/")
    assert "待送达" in _page("volunteer", "/canteens/deliveries/") and "送至" in _page("volunteer", "/canteens/deliveries/")
    assert "今日菜单" in _page("resident", "/canteens/") and "手抓饭套餐" in _page("resident", "/canteens/")
    assert "七十岁以上老人" in _page("street_official", "/canteens/ledger/")

