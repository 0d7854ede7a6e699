"""复发 checked once per demand and counted in the roll-ups: the stored figure equals `clusters.recurrences`
compared now, for random areas and periods, after a rebuild, after the catch-up counts a new demand, and after
`yishiting rollups --rebuild --recurrences` follows a changed template setting or backfills an upgraded install
(the list page, a page of stored rows at a time: web/tests/test_cluster_pages.py)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yishiting.areas.models import Area
from yishiting.deliberation.services.topics import default_template
from yishiting.demands.models import Demand
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.oversight.clusters import recurrences
from yishiting.oversight.models import CheckedRecurrence, ClusterSettings
from yishiting.oversight.projection import catch_up, rebuild
from yishiting.oversight.selectors import rollups, stored_recurrences

from .clusters_world import report

pytestmark = pytest.mark.django_db
AGAIN = "3栋楼道灯又坏了，晚上很黑"


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _history(world) -> Demand:
    """A lamp matter at B1 (estate G1) archived now (an archive cannot be back-dated), reported again 10, 60,
    150 and 200 days on (the last past six months of the archive), once at another estate and once about
    another problem — the later demands dated ahead, as test_cluster_raise does."""
    topic = evaluating_topic(world)
    dossier_archive(actor=world.users["community_secretary"], topic=topic)
    earlier = Demand.objects.get(topic=topic)
    code = earlier.category.code
    for days in (10, 60, 150, 200):
        report(world, AGAIN, "B1", days_ago=-days, category_code=code)
    report(world, "1栋楼道灯坏了，晚上很黑", "B2", days_ago=-60, category_code=code)
    report(world, "3栋门口垃圾没人清理", "B1", days_ago=-30, category_code=code)
    return earlier


def _stored(area: Area, start, end) -> int:
    return rollups.read_cells(area, [rollups.Read("now", start, end)])["now"][None].get("recurrences", 0)


def _assert_equal_for_random_areas_and_periods(seed: int) -> None:
    rng, today = random.Random(seed), timezone.localdate()
    areas = [a for a in Area.objects.all() if a.depth <= 4]
    for _ in range(25):
        area, start = rng.choice(areas), today + timedelta(days=rng.randint(-30, 210))
        end = start + timedelta(days=rng.randint(0, 240))
        expected = len(recurrences(area, start, end))
        assert _stored(area, start, end) == expected, (area.name, start, end)
        assert stored_recurrences(area, start, end).count() == expected, (area.name, start, end)


def test_the_rolled_up_count_equals_recurrences_recomputed_for_random_areas_and_periods(world):
    _history(world)
    rebuild()
    today = timezone.localdate()
    assert len(recurrences(world.areas["S1"], today, today + timedelta(days=365))) == 3  # 10, 60 and 150 days on
    _assert_equal_for_random_areas_and_periods(seed=18)
    assert _stored(world.areas["S1"], today, today + timedelta(days=365)) == 3
    assert _stored(world.areas["S2"], today, today + timedelta(days=365)) == 0


def test_a_new_demand_is_checked_once_by_the_catch_up_and_counted(world):
    earlier = _history(world)
    rebuild()
    ClusterSettings.objects.create(template=default_template(), recurrence_months=3)
    call_command("rollups", "--rebuild", "--recurrences")  # three months: 150 days on no longer repeats
    today = timezone.localdate()
    assert _stored(world.areas["S1"], today, today + timedelta(days=365)) == 2
    again = report(world, AGAIN, "B1", category_code=earlier.category.code)
    catch_up()
    row = CheckedRecurrence.objects.get(demand=again)
    assert row.earlier_id == earlier.pk and row.archived_at is not None
    assert _stored(world.areas["S1"], today, today) == 1 == len(recurrences(world.areas["S1"], today, today))
    _assert_equal_for_random_areas_and_periods(seed=6)


def test_the_backfill_follows_the_template_setting_and_fills_an_upgraded_install(world):
    _history(world)
    rebuild()
    today, year = timezone.localdate(), timezone.localdate() + timedelta(days=365)
    ClusterSettings.objects.create(template=default_template(), recurrence_months=12)
    call_command("rollups", "--rebuild", "--recurrences")
    assert _stored(world.areas["S1"], today, year) == 4 == len(recurrences(world.areas["S1"], today, year))
    CheckedRecurrence.objects.all().delete()  # an install upgraded to the stored recurrences
    call_command("rollups", "--rebuild", "--recurrences")
    assert CheckedRecurrence.objects.filter(earlier__isnull=False).count() == 4
    assert CheckedRecurrence.objects.count() == Demand.objects.count()  # every demand checked, none left to the tick
    _assert_equal_for_random_areas_and_periods(seed=12)
    call_command("verify")  # the cells agree with a recount


def test_a_rejected_demand_is_not_counted(world):
    _history(world)
    rebuild()
    today, year = timezone.localdate(), timezone.localdate() + timedelta(days=365)
    first = stored_recurrences(world.areas["S1"], today, year).first()
    Demand.objects.filter(pk=first.demand_id).update(status="rejected")
    rebuild()
    assert _stored(world.areas["S1"], today, year) == 2 == len(recurrences(world.areas["S1"], today, year))
