"""吹哨·应哨 services: blowing names units and a working-day deadline and files a demand; each unit reports and
answers once; the whistle is answered when all have, closed when its matter is handled or by staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.demands.choices import Channel
from yishiting.notifications.models import Notification
from yishiting.whistles import services as whistles
from yishiting.whistles.choices import ResponseStatus, WhistleStatus
from yishiting.whistles.models import Whistle

from .conftest import blow

pytestmark = pytest.mark.django_db


def _response(whistle, key, world):
    return whistle.responses.get(organization=world.organizations[key])


def test_blowing_names_units_files_a_demand_and_tells_the_units(units):
    w = blow(units)
    assert w.status == WhistleStatus.OPEN and w.number.startswith("CS")
    assert w.demand is not None and w.demand.channel == Channel.WHISTLE
    assert w.deadline > timezone.localdate() and w.blower_role == "grid_worker"
    assert sorted(r.organization.name for r in w.responses.all()) == ["东风街道城管执法队", "幸福苑物业服务有限公司"]
    told = set(Notification.objects.filter(text__startswith="【吹哨】").values_list("person__name", flat=True))
    assert told == {"郑经办", "物业经理甲"}


@pytest.mark.parametrize("who, allowed", [("grid_worker", True), ("community_staff", True), ("party", True),
                                          ("resident", False), ("handler", False), ("resident2", False)])
def test_who_may_blow(units, who, allowed):
    if allowed:
        assert blow(units, who).pk
    else:
        with pytest.raises(PermissionDeniedError):
            blow(units, who)


def test_a_unit_outside_the_calling_kinds_or_no_unit_is_refused(units):
    with pytest.raises(DomainError) as exc:
        blow(units, keys=())
    assert exc.value.code == "units_required"
    with pytest.raises(DomainError) as exc:
        blow(units, days=0)
    assert exc.value.code == "invalid_days"


def test_arrive_then_respond_and_the_last_answer_marks_it_answered(units):
    w = blow(units)
    r = whistles.response_arrive(actor=units.users["handler"], response=_response(w, "agency", units))
    assert r.status == ResponseStatus.ARRIVED and r.arrived_at is not None
    whistles.response_record(actor=units.users["handler"], response=r, note="已到场劝离摊贩，责令整改")
    assert Whistle.objects.get(pk=w.pk).status == WhistleStatus.OPEN
    done = whistles.response_record(actor=units.users["property_rep"], response=_response(w, "property", units),
                                    note="安排保安巡查，加装油烟净化器")
    assert done.arrived_at == done.responded_at and not done.late
    assert Whistle.objects.get(pk=w.pk).status == WhistleStatus.ANSWERED
    assert Notification.objects.filter(person=units.people["grid_worker"], text__contains="已应哨").count() == 2


def test_only_the_units_own_people_answer_and_only_once(units):
    w = blow(units)
    with pytest.raises(PermissionDeniedError):
        whistles.response_record(actor=units.users["property_rep"], response=_response(w, "agency", units), note="x")
    whistles.response_record(actor=units.users["handler"], response=_response(w, "agency", units), note="已处置")
    with pytest.raises(Conflict) as exc:
        whistles.response_record(actor=units.users["handler"], response=_response(w, "agency", units), note="再次")
    assert exc.value.code == "already_responded"


def test_an_answer_after_the_deadline_is_late(units, monkeypatch):
    w = blow(units, keys=("agency",), days=1)
    later = timezone.now() + timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    r = whistles.response_record(actor=units.users["handler"], response=_response(w, "agency", units), note="迟到")
    assert r.late


def test_staff_close_marks_silent_units_missed(units):
    w = blow(units)
    whistles.response_record(actor=units.users["handler"], response=_response(w, "agency", units), note="已处置")
    with pytest.raises(PermissionDeniedError):
        whistles.whistle_close(actor=units.users["grid_worker"], whistle=w, summary="办结")
    closed = whistles.whistle_close(actor=units.users["community_staff"], whistle=w, summary="协调完毕")
    assert closed.status == WhistleStatus.CLOSED and closed.closed_how == "staff"
    missed = _response(w, "property", units)
    assert missed.status == ResponseStatus.MISSED and missed.late


def test_the_blower_withdraws_an_open_whistle(units):
    w = blow(units)
    done = whistles.whistle_cancel(actor=units.users["grid_worker"], whistle=w, reason="误报")
    assert done.status == WhistleStatus.CANCELLED
    assert set(w.responses.values_list("status", flat=True)) == {ResponseStatus.CANCELLED}
    kinds = set(Event.objects.filter(subject_type="whistles.whistle", subject_id=str(w.pk)).values_list("kind", flat=True))
    assert {"whistle.blown", "whistle.cancelled"} <= kinds


def test_verify_reconciles_every_whistle_and_response_with_its_events(units):
    from yishiting.common.testing import run_verify

    w = blow(units)
    whistles.response_record(actor=units.users["handler"], response=_response(w, "agency", units), note="已处置")
    whistles.whistle_close(actor=units.users["community_staff"], whistle=w, summary="协调完毕")
    ok, output = run_verify()
    assert ok, output
