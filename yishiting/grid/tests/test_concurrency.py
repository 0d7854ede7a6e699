"""Two taps at once on PostgreSQL (SQLite serializes every write, so there is no race there): a finding made a
demand by two people at the same moment is one demand; the same record sent twice with one Idempotency-Key (a
phone retrying while the first request is still running) is one record."""

from __future__ import annotations

import pytest

from yishiting.common.testing import race
from yishiting.demands.models import Demand
from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind
from yishiting.grid.models import FieldRecord, Finding

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]



def _entry(world) -> grid.RecordEntry:
    return grid.RecordEntry(kind=RecordKind.PATROL, place=world.areas["B1"], summary="巡查", findings=["路灯不亮"])


def test_two_taps_make_one_demand(world):
    record = grid.record_create(actor=world.users["grid_worker"], entry=_entry(world))
    finding = record.findings.get()
    outcomes = race([lambda who=who: grid.finding_report(actor=world.users[who], finding=Finding.objects.get(
        pk=finding.pk)) for who in ("grid_worker", "community_staff")])
    assert all(isinstance(o, Demand) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk and Demand.objects.count() == 1


def test_a_retry_racing_the_first_request_is_one_record(world):
    outcomes = race([lambda: grid.record_create(actor=world.users["grid_worker"], entry=_entry(world),
                                                idempotency_key="same") for _ in range(2)])
    assert all(isinstance(o, FieldRecord) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk and FieldRecord.objects.count() == 1
