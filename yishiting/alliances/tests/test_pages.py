"""The alliance's pages as role × scope: the office runs it, the area's people see its public side, member units'
liaisons see the internals of their own alliance, and people of another area see nothing (404, not even its name)."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.alliances.rules import may_manage, may_see_internals, may_view

pytestmark = pytest.mark.django_db

# persona → (opens the alliance's pages, sees the internals, runs the office)
MATRIX = {
    "community_staff": (True, True, True), "community_secretary": (True, True, True),
    "street_official": (True, True, True), "district_official": (True, False, False),
    "grid_worker": (True, False, False), "resident": (True, False, False), "unit_a": (True, True, False),
    "resident2": (False, False, False), "resident3": (False, False, False), "handler": (False, False, False),
}


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_rules_matrix(world, setup, persona):
    opens, internals, office = MATRIX[persona]
    user = world.users[persona]
    assert (may_view(user, setup.alliance) or internals) == opens
    assert may_see_internals(user, setup.alliance) == internals
    assert may_manage(user, setup.alliance) == office


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_pages_by_role_and_scope(world, setup, persona):
    opens, internals, office = MATRIX[persona]
    client, pk = _client(world, persona), setup.alliance.pk
    listed = client.get("/alliances/").content.decode()
    assert ("幸福苑社区党建联盟" in listed) == opens
    detail = client.get(f"/alliances/{pk}/")
    assert detail.status_code == (200 if opens else 404)
    for url in (f"/alliances/{pk}/ratings/", f"/alliances/{pk}/meetings/"):
        assert client.get(url).status_code == (200 if internals else 404)
    if opens:
        page = detail.content.decode()
        assert "市供电局党委" in page and "None" not in page
        assert ("林党员" in page) == internals and (("林*" in page) == (not internals))  # liaison masked to the public
        assert ("联络办" in page) == office
        covenant = client.get(f"/alliances/{pk}/covenant/").content.decode()
        assert "资源共享" in covenant


def test_a_draft_and_its_comments_are_internal(world, setup):
    from yishiting.alliances import services

    draft = services.version_draft(actor=world.users["community_staff"], alliance=setup.alliance, title="修订稿",
                                   clauses=["新增：共建阵地开放时间表"])
    services.version_consult(actor=world.users["community_staff"], version=draft)
    services.clause_comment(actor=world.users["unit_b"], clause=draft.clauses.get(), text="建议写明周末开放")
    url = f"/alliances/{setup.alliance.pk}/covenant/?v=2"
    assert "建议写明周末开放" in _client(world, "unit_a").get(url).content.decode()
    public = _client(world, "resident").get(url).content.decode()
    assert "建议写明周末开放" not in public and "共建阵地开放时间表" not in public


def test_the_office_founds_an_alliance_only_in_its_area(world):
    office = _client(world, "community_staff")
    form = office.get("/alliances/new/").content.decode()
    assert "幸福苑社区" in form and "湖滨社区" not in form
    assert _client(world, "resident").get("/alliances/new/").status_code == 403
