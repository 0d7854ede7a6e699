"""增加应哨单位: the blower or the office names one more unit on an open whistle, with its own deadline, an event
and a notification; others are refused, a closed whistle, a unit already named and the cap are refused with
nothing changed; an answered whistle opens again; the new unit's lateness and warnings follow its own deadline.
Through the services, the API and the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.flows.http import follow, signed_in
from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.notifications.models import Notification
from yishiting.whistles import services as whistles
from yishiting.whistles.choices import ResponseStatus, WhistleStatus
from yishiting.whistles.models import WhistleResponse
from yishiting.whistles.warnings import whistles_run

from .conftest import blow

pytestmark = pytest.mark.django_db
API = "/api/v1/whistles"


def _add(world, w, who="grid_worker", key="police", days=5):
    return whistles.whistle_add_unit(actor=world.users[who], whistle=w, unit=world.organizations[key], days=days)


def test_the_blower_adds_a_unit_with_its_own_deadline_event_and_notice(units):
    w = blow(units, days=1)
    added = _add(units, w, days=5)
    assert added.status == ResponseStatus.PENDING and added.added and not added.late
    assert added.deadline > w.deadline  # 5 working days from today, not the whistle's 1
    assert w.responses.get(organization=units.organizations["agency"]).deadline == w.deadline
    kinds = list(Event.objects.filter(subject_type="whistles.whistle", subject_id=str(w.pk))
                 .values_list("kind", flat=True))
    assert "whistle.unit_added" in kinds
    told = Notification.objects.filter(person__name="民警乙", text__startswith="【吹哨】")
    assert told.count() == 1


def test_the_office_adds_but_a_party_member_or_a_unit_does_not(units):
    w = blow(units, keys=("agency",))
    for who in ("party", "handler", "resident", "property_rep"):
        with pytest.raises(PermissionDeniedError):
            _add(units, w, who=who)
    assert w.responses.count() == 1
    assert _add(units, w, who="community_staff").organization.name == "东风派出所幸福苑警务室"


def test_refusals_change_nothing(units):
    w = blow(units, keys=("agency", "property"))
    with pytest.raises(Conflict) as exc:
        _add(units, w, key="property")
    assert exc.value.code == "unit_already_called"
    with pytest.raises(DomainError) as exc:
        _add(units, w, days=0)
    assert exc.value.code == "invalid_days"
    area = units.areas["S1"]
    for i in range(6):  # up to the cap of 8 units in all
        org = areas.organization_create(actor=None, kind=OrganizationKind.RESIDENT_UNIT, name=f"驻区单位{i}", area=area)
        whistles.whistle_add_unit(actor=units.users["grid_worker"], whistle=w, unit=org, days=3)
    assert w.responses.count() == 8
    with pytest.raises(DomainError) as exc:
        _add(units, w)
    assert exc.value.code == "too_many_units"
    assert w.responses.count() == 8
    closed = whistles.whistle_close(actor=units.users["community_staff"], whistle=w, summary="协调完毕")
    with pytest.raises((Conflict, PermissionDeniedError)):
        _add(units, closed)
    assert not closed.responses.filter(organization=units.organizations["police"]).exists()


def test_an_answered_whistle_opens_again_until_the_new_unit_answers(units):
    w = blow(units, keys=("agency",))
    whistles.response_record(actor=units.users["handler"], response=w.responses.get(), note="已处置")
    w.refresh_from_db()
    assert w.status == WhistleStatus.ANSWERED
    added = _add(units, w)
    w.refresh_from_db()
    assert w.status == WhistleStatus.OPEN
    whistles.response_record(actor=units.users["police"], response=added, note="已到场处置")
    w.refresh_from_db()
    assert w.status == WhistleStatus.ANSWERED


def test_the_added_units_lateness_and_warnings_follow_its_own_deadline(units):
    w = blow(units, keys=("agency",), days=1)
    added = _add(units, w, days=10)
    # the whistle's own deadline has passed: the first unit is warned red, the added one is still in time
    past = timezone.localdate() + timedelta(days=4)
    counts = whistles_run(today=past)
    assert counts.red >= 1
    first = w.responses.get(organization=units.organizations["agency"])
    first.refresh_from_db()
    added.refresh_from_db()
    assert first.late and not added.late
    assert not added.warnings.filter(level="red").exists()


def test_add_a_unit_through_the_api(units):
    w = blow(units, keys=("agency",))
    grid, party = signed_in(units, "grid_worker"), signed_in(units, "party")
    seen = grid.get(f"{API}/{w.pk}").json()
    assert "add_unit" in seen["actions"] and seen["responses"][0]["deadline"] == w.deadline.isoformat()
    made = grid.post(f"{API}/{w.pk}/units", {"unit": units.organizations["police"].pk, "days": 5},
                     content_type="application/json")
    assert made.status_code == 201, made.content.decode()
    rows = made.json()["responses"]
    assert [r["added"] for r in rows] == [False, True] and rows[1]["deadline"] > rows[0]["deadline"]
    again = grid.post(f"{API}/{w.pk}/units", {"unit": units.organizations["police"].pk},
                      content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "unit_already_called"
    unknown = grid.post(f"{API}/{w.pk}/units", {"unit": 999999}, content_type="application/json")
    assert unknown.status_code == 404 and "应哨单位" in unknown.json()["message"]
    assert party.post(f"{API}/{w.pk}/units", {"unit": units.organizations["property"].pk},
                      content_type="application/json").status_code in (403, 404)
    assert WhistleResponse.objects.filter(whistle=w).count() == 2


def test_add_a_unit_on_the_page(units):
    w = blow(units, keys=("agency",))
    grid = signed_in(units, "grid_worker")
    page = grid.get(f"/whistles/{w.pk}/").content.decode()
    assert "增加应哨单位" in page
    empty = grid.post(f"/whistles/{w.pk}/add_unit/", {"days": "3"})
    assert empty.status_code == 400 and "请选择要增加的应哨单位" in empty.content.decode()
    body = follow(grid, f"/whistles/{w.pk}/add_unit/", {"unit": units.organizations["police"].pk, "days": "5"})
    assert "已增加应哨单位东风派出所幸福苑警务室" in body and "增加，应哨期限" in body
    assert "增加应哨单位" not in signed_in(units, "handler").get(f"/whistles/{w.pk}/").content.decode()
