"""Who sees an estate's trust fund, as a role × scope matrix: the estate's verified owners, the authorised persons,
the supervising offices — never the owners of another estate, a tenant, an unverified claimant or a grid worker."""

from __future__ import annotations

from datetime import date

import pytest

from yishiting.trusts import selectors
from yishiting.trusts import services as trust
from yishiting.trusts.rules import may_ask, may_keep, may_view

pytestmark = pytest.mark.django_db

SEES = {"trust_owner": True, "trust_committee": True, "trust_company": True, "community_staff": True,
        "community_secretary": True, "street_official": True, "district_official": True,
        "trust_other_owner": False, "resident": False, "trust_claimant": False, "resident2": False, "resident3": False,
        "grid_worker": False, "handler": False}


def test_who_reads_the_fund(cast):
    line = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="property_fee",
                             amount="100.00", booked_on=date(2026, 2, 1))
    seen = {name: may_view(cast.user(name), cast.fund) for name in SEES}
    assert seen == SEES
    listed = {name: bool(selectors.funds_visible_to(cast.user(name))) for name in SEES}
    assert listed == SEES
    lines = {name: selectors.entry_detail(selectors.funds_visible_to(cast.user(name)), line.pk) is not None
             for name in SEES}
    assert lines == SEES


def test_who_keeps_and_who_asks(cast):
    keepers = {name for name in SEES if may_keep(cast.user(name), cast.fund)}
    askers = {name for name in SEES if may_ask(cast.user(name), cast.fund)}
    assert keepers == {"trust_committee", "trust_company"}
    assert askers == {"trust_owner"}


@pytest.mark.parametrize("name", ["resident", "trust_claimant", "trust_other_owner"])
def test_outsiders_get_nothing_through_pages_or_api(cast, name):
    line = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="parking",
                             amount="50.00", booked_on=date(2026, 2, 1))
    client = cast.client(name)
    assert client.get(f"/trust/funds/{cast.fund.pk}/").status_code == 404
    assert client.get(f"/trust/entries/{line.pk}/").status_code == 404
    assert client.get(f"/trust/funds/{cast.fund.pk}/statements/2026-2.pdf").status_code == 404
    assert client.get(f"/api/v1/trust/funds/{cast.fund.pk}").status_code == 404
    assert client.get("/api/v1/trust/funds").json() == []
