"""复发 stored once per demand (CheckedRecurrence), so no page compares demand texts.

When: the roll-up catch-up (projection, run by the pages, `yishiting rollups` and `yishiting tick`) checks each
demand it counts that has no row yet — a new demand is checked once, by `clusters.recurrence_of` (the screening
page's 复发 banner rule), and its "recurrences" cell is counted on the day it came in (not while rejected).
Whether a demand repeats a matter is fixed when it comes in (the matter must have been archived before), so the
row is not rechecked; `backfill` (run by `yishiting rollups --rebuild`, or alone by `--recurrences` after
upgrading or changing the template's M months or threshold) rechecks a whole district month by month in bulk
(`clusters.found_between`) and recounts the demands whose figure changed. `demands` never imports this.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from yishiting.demands.models import Demand

from .clusters import Settings, cluster_settings, found_between, recurrence_of
from .models import CheckedRecurrence


def check(ids: list[int], settings: Settings | None = None) -> dict[int, bool]:
    """{demand id: repeats an archived matter} for these demands; those not checked yet are checked now (one
    bounded query each) and stored."""
    done = dict(CheckedRecurrence.objects.filter(demand_id__in=ids).values_list("demand_id", "earlier_id"))
    missing = [pk for pk in ids if pk not in done]
    if missing:
        settings = settings or cluster_settings()
        rows = []
        for demand in Demand.objects.filter(pk__in=missing).select_related("area"):
            hit = recurrence_of(demand, settings=settings)
            rows.append(_row(demand, hit))
            done[demand.pk] = hit.earlier.pk if hit else None
        CheckedRecurrence.objects.bulk_create(rows, ignore_conflicts=True)
    return {pk: earlier is not None for pk, earlier in done.items()}


def _row(demand: Demand, hit) -> CheckedRecurrence:
    return CheckedRecurrence(demand_id=demand.pk, path=demand.path, created_at=demand.created_at,
                             earlier_id=hit.earlier.pk if hit else None, dossier_id=hit.dossier_id if hit else None,
                             archived_at=hit.archived_at if hit else None)


def _months(first: datetime, last: datetime):
    start = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while start <= last:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield start, end
        start = end


def backfill(path: str = "") -> list[int]:
    """Recheck every demand under `path` in bulk, a month of arrivals at a time (two queries and the candidate
    comparisons per month), and store the result. Returns the demands whose answer changed and those that
    repeat (few: their cells are recounted, so a cell lost by a restore or an older release's recount comes
    back; the rebuild recounts all anyway)."""
    span = Demand.objects.filter(path__startswith=path).aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    settings, changed = cluster_settings(), []
    for lo, hi in _months(timezone.localtime(span["first"]), timezone.localtime(span["last"])):
        changed += _backfill_month(path, lo, hi, settings)
    return changed


@transaction.atomic
def _backfill_month(path: str, lo: datetime, hi: datetime, settings: Settings) -> list[int]:
    hits = {hit.demand.pk: hit for hit in found_between(path, lo, hi, settings=settings, rejected=True)}
    rows = CheckedRecurrence.objects.filter(path__startswith=path, created_at__gte=lo, created_at__lt=hi)
    before = dict(rows.filter(earlier__isnull=False).values_list("demand_id", "earlier_id"))
    changed = [pk for pk in set(before) | set(hits)
               if before.get(pk) != (hits[pk].earlier.pk if pk in hits else None)]
    rows.filter(demand_id__in=changed).delete()
    CheckedRecurrence.objects.bulk_create([_row(hit.demand, hit) for hit in hits.values()], ignore_conflicts=True)
    table, demands = CheckedRecurrence._meta.db_table, Demand._meta.db_table
    with connection.cursor() as cursor:  # every other demand of the month: checked, none
        cursor.execute(f"INSERT INTO {table} (demand_id, path, created_at, found_at) "
                       f"SELECT id, path, created_at, %s FROM {demands} "
                       f"WHERE path LIKE %s AND created_at >= %s AND created_at < %s "
                       f"ON CONFLICT (demand_id) DO NOTHING", [timezone.now(), path + "%", lo, hi])
    return sorted(set(changed) | set(hits))
