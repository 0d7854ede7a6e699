"""The menu is computed from what the process keeps (the roles with the scopes computed from them, each menu
address reversed once, whether one mediates): what a person sees on the next page still follows every change at
once — a role granted or revoked, a seat on a mediation committee taken or left, the address the site is served
under."""

from __future__ import annotations

import re

import pytest
from django.urls import set_script_prefix

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.rules import scope_for
from yishiting.mediation.services import committee_create, committee_member_add, committee_member_remove

pytestmark = pytest.mark.django_db


def menu(client, path: str = "/") -> list[tuple[str, str]]:
    """(label, address) of each entry of the page's main menu."""
    html = client.get(path).content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return [(label.strip(), href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)]


def test_a_seat_on_a_mediation_committee_shows_in_the_menu_on_the_next_page_and_goes_when_left(world, as_persona):
    client = as_persona("resident2")
    assert "调解" not in dict(menu(client))
    committee = committee_create(actor=world.users["street_official"], area=world.areas["S1"])
    member = committee_member_add(actor=world.users["street_official"], committee=committee,
                                  person=world.people["resident2"])
    assert dict(menu(client))["调解"] == "/mediation/"
    assert client.get("/mediation/").status_code == 200
    committee_member_remove(actor=world.users["street_official"], member=member)
    assert "调解" not in dict(menu(client))


def test_a_role_granted_or_revoked_changes_the_next_page_and_the_kept_scope_cannot_be_changed(world, as_persona):
    client = as_persona("resident2")
    assert "区域" not in dict(menu(client))
    assignment = areas.role_assign(actor=None, person=world.people["resident2"], role=Role.COMMUNITY_STAFF,
                                   area=world.areas["C1"])
    assert dict(menu(client))["区域"] == "/areas/"
    areas.role_revoke(actor=None, assignment=assignment)
    assert "区域" not in dict(menu(client))
    scope = scope_for(world.users["community_staff"], "areas.view")  # shared by the requests while the roles are kept
    assert world.areas["C1"].path in scope.paths
    with pytest.raises(AttributeError):
        scope.paths.add(world.areas["D"].path)


def test_the_menu_addresses_follow_the_address_the_site_is_served_under(as_persona):
    client = as_persona("community_staff")
    plain = dict(menu(client))
    assert plain["议题协商"] == "/topics/"
    set_script_prefix("/yishiting/")  # as the WSGI handler does for a site served under /yishiting/
    try:
        prefixed = dict(menu(client))
    finally:
        set_script_prefix("/")
    assert prefixed["议题协商"] == "/yishiting/topics/" and prefixed["首页"] == "/yishiting/"
    assert dict(menu(client)) == plain  # and back: each prefix keeps its own addresses



def test_an_owners_trust_pages_follow_a_fund_opened_for_their_estate_on_the_next_page(world):
    """The estates an owner reads (the 信托物业 pages and their menu entry) are kept per process for the owner's
    places: a fund opened or removed is seen on the next page."""
    from datetime import date

    from yishiting.trusts.models import TrustFund
    from yishiting.trusts.tests.world import build_cast

    cast = build_cast(world)  # trust_other_owner owns a flat in 和平里小区 (G2), which has no fund yet
    client = cast.client("trust_other_owner")
    assert client.get("/trust/").status_code == 403 and cast.client("trust_owner").get("/trust/").status_code == 200
    fund = TrustFund.objects.create(estate=world.areas["G2"], name="和平里小区信托基金", opened_on=date(2026, 1, 1),
                                    owners_committee=world.organizations["trust_committee"],
                                    property_company=world.organizations["property"])
    page = client.get("/trust/")
    assert page.status_code == 200 and "和平里小区信托基金" in page.content.decode()
    fund.delete()
    assert client.get("/trust/").status_code == 403
