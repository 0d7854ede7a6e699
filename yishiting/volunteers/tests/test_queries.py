"""The list pages cost the same number of queries with two rows as with twelve: counts come annotated, people
and teams joined, never one query per row (warmed up first: the per-process header cache, session renewal)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yishiting.volunteers import services as vol

from .conftest import add_resident

pytestmark = pytest.mark.django_db


def _add(v, numbers: range) -> None:
    """Per number: a resident who joins the team, signs up for the main activity and claims a post of their own;
    an activity the resident serves at (confirmed) and a shift the resident logs."""
    now, today = timezone.now(), timezone.localdate()
    for i in numbers:
        add_resident(v.world, f"q{i}", f"居民{i}", f"1391000{i:04d}")
        user = v.world.users[f"q{i}"]
        vol.team_join(actor=user, team=v.team)
        vol.activity_sign_up(actor=user, activity=v.activity)
        a = vol.activity_create(actor=v.user("leader"), team=v.team, area=v.world.areas["C1"], title=f"活动{i}",
                                place="活动室", starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2),
                                capacity=3)
        attendance = vol.activity_check_in_by_code(actor=v.user("resident"), activity=a, token=vol.checkin_token(a))
        vol.attendance_check_out(actor=v.user("leader"), attendance=attendance, rating=5)
        post = vol.post_create(actor=v.user("community_staff"), area=v.world.areas["C1"], name=f"岗位{i}", team=v.team)
        vol.post_claim(actor=user, post=post, starts_on=today, ends_on=today)
        claim = vol.post_claim(actor=v.user("resident"), post=v.post, starts_on=today + timedelta(days=i),
                               ends_on=today + timedelta(days=i)) if i == 0 else None
        if claim is not None:
            vol.shift_log(actor=v.user("resident"), claim=claim, day=today, hours="1")


def _counts(v) -> dict[str, int]:
    pages = {"resident": ["/volunteers/", "/volunteers/teams/", "/volunteers/posts/", "/volunteers/mine/",
                          f"/volunteers/teams/{v.team.pk}/"],
             "leader": [f"/volunteers/{v.activity.pk}/checkin/", f"/volunteers/posts/{v.post.pk}/"]}
    counts = {}
    for persona, urls in pages.items():
        client = v.client(persona)
        for url in urls:
            assert client.get(url).status_code == 200  # warm up
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url] = len(queries)
    return counts


def test_list_pages_cost_the_same_with_more_rows(v):
    v.activity.capacity = 40
    v.activity.save(update_fields=["capacity"])
    _add(v, range(0, 2))
    few = _counts(v)
    _add(v, range(2, 12))
    assert _counts(v) == few
