"""One 复发 rule (clusters.first_repeat): the screening banner (recurrence_of, one demand), the catch-up that stores
it (recurrence_store.check), the bulk form the backfill and `recurrences` use (found_between) and the stored rows
the overview and its list read all name the same earlier matter, or none, for the same demand — including the
cases where the two older rules parted: a demand at the community itself after a matter in one of its estates,
and more earlier matters at the place than the newest MAX_CANDIDATES that are compared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.demands.models import Demand
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.oversight import clusters, recurrence_store
from yishiting.oversight.clusters import found_between, recurrence_of
from yishiting.oversight.models import CheckedRecurrence
from yishiting.oversight.selectors import stored_recurrences

from .clusters_world import report

pytestmark = pytest.mark.django_db
AGAIN = "3栋楼道灯又坏了，晚上很黑"


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _archived(world) -> Demand:
    """The lamp matter at B1 (estate G1 of community C1), archived now."""
    topic = evaluating_topic(world)
    dossier_archive(actor=world.users["community_secretary"], topic=topic)
    return Demand.objects.get(topic=topic)


def _answers(world, demand: Demand) -> dict[str, int | None]:
    """The earlier demand each place names for `demand` (None: not a recurrence)."""
    hit = recurrence_of(demand)
    lo, hi = demand.created_at - timedelta(days=1), demand.created_at + timedelta(days=1)
    bulk = {h.demand.pk: h.earlier.pk for h in found_between(world.areas["S1"].path, lo, hi,
                                                                settings=clusters.cluster_settings(), rejected=True)}
    recurrence_store.check([demand.pk])
    stored = CheckedRecurrence.objects.get(demand=demand).earlier_id
    recurrence_store.backfill(world.areas["S1"].path)
    listed = {r.demand_id: r.earlier_id for r in stored_recurrences(world.areas["S1"], lo.date(), hi.date())}
    return {"screening": hit.earlier.pk if hit else None, "bulk": bulk.get(demand.pk),
            "stored": stored, "backfilled": CheckedRecurrence.objects.get(demand=demand).earlier_id,
            "overview list": listed.get(demand.pk)}


def _agree(world, demand: Demand, expected: Demand | None) -> None:
    answers = _answers(world, demand)
    assert set(answers.values()) == {expected.pk if expected else None}, answers


CASES = [  # (text, area, days after the archive, same category, repeats)
    (AGAIN, "B1", 10, True, True),  # same building, same problem
    (AGAIN, "G1", 30, True, True),  # at the estate itself
    (AGAIN, "C1", 40, True, True),  # at the community: the matter in its estate is at that place (rules parted)
    (AGAIN, "B2", 20, True, False),  # another estate
    ("3栋门口垃圾没人清理", "B1", 20, True, False),  # another problem
    (AGAIN, "B1", 20, False, False),  # another category
    (AGAIN, "B1", 200, True, False),  # past the six months
]


@pytest.mark.parametrize("text, area, days, same_category, repeats", CASES,
                         ids=["building", "estate", "community", "other estate", "other problem", "other category",
                              "too late"])
def test_screening_the_store_the_backfill_and_the_overview_agree(world, text, area, days, same_category,
                                                                 repeats):
    earlier = _archived(world)
    code = earlier.category.code if same_category else ("property" if earlier.category.code != "property"
                                                         else "facilities")
    demand = report(world, text, area, days_ago=-days, category_code=code)
    _agree(world, demand, earlier if repeats else None)


def test_a_demand_before_the_archive_is_never_a_recurrence_of_it(world):
    code = Demand.objects.get(topic=evaluating_topic(world)).category.code
    before = report(world, AGAIN, "B1", days_ago=1, category_code=code)
    _archived(world)
    _agree(world, before, None)


def test_only_the_newest_candidates_are_compared_in_every_place(world, monkeypatch):
    """More archived matters at the place than MAX_CANDIDATES, the one that reads alike the oldest: none."""
    monkeypatch.setattr(clusters, "MAX_CANDIDATES", 3)
    earlier = _archived(world)
    fields = {f.attname: getattr(earlier, f.attname) for f in Demand._meta.concrete_fields if not f.primary_key}
    Demand.objects.bulk_create([Demand(**{**fields, "number": f"R{i}", "text": f"3栋门口垃圾没人清理{i}",
                                          "created_at": earlier.created_at + timedelta(minutes=i + 1)})
                                for i in range(3)])
    again = report(world, AGAIN, "B1", days_ago=-10, category_code=earlier.category.code)
    _agree(world, again, None)
    monkeypatch.setattr(clusters, "MAX_CANDIDATES", 4)
    CheckedRecurrence.objects.all().delete()
    _agree(world, again, earlier)


def test_the_newest_of_two_alike_matters_is_the_one_named(world):
    earlier = _archived(world)
    fields = {f.attname: getattr(earlier, f.attname) for f in Demand._meta.concrete_fields if not f.primary_key}
    newer = Demand.objects.create(**{**fields, "number": "R-newer", "created_at": timezone.now()})
    again = report(world, AGAIN, "B1", days_ago=-10, category_code=earlier.category.code)
    _agree(world, again, newer)
