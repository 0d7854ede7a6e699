"""The ratings list computes a page of units' ratings in a fixed number of grouped queries (oversight.rating_batch):
on random records it gives each unit the score, grade and part scores that the one-unit computation gives
(oversight.rating.unit_rating, the reference: what the list ran per unit until now and what the detail page and
the year's close still run), and the page costs the same queries with 3 units and with 30."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind
from yishiting.common.models import Event
from yishiting.deliberation.models import Topic
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import EvaluationRound, OrgAssessment, PartyRating, Task
from yishiting.handling.services.evaluation import PARTY_REPRESENTATIVES
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.oversight.choices import ItemStatus
from yishiting.oversight.models import AnnualEvaluation, RatingWeights, RectificationItem, RectificationList
from yishiting.oversight.rating import unit_rating
from yishiting.oversight.rating_batch import unit_ratings
from yishiting.whistles.choices import ResponseStatus
from yishiting.whistles.models import Whistle, WhistleResponse
from yishiting.whistles.tests.conftest import add_units, blow

from .world import build, issue

YEAR = timezone.localdate().year
KINDS = [OrganizationKind.PROPERTY_COMPANY, OrganizationKind.GOVERNMENT_AGENCY, OrganizationKind.OWNERS_COMMITTEE,
         OrganizationKind.DUAL_REGISTRATION_UNIT, OrganizationKind.RESIDENTS_COMMITTEE, OrganizationKind.SOCIAL_ORGANIZATION]


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _copies(row, n: int, vary) -> list:
    model = type(row)
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    return model.objects.bulk_create([model(**{**values, **vary(i)}) for i in range(n)])


def _moment(rng: random.Random, around) -> datetime:
    """A time within ±40 days of `around` (a date), at any hour of the UTC day: late UTC hours are the next day
    in Beijing, so the rules' local dates are exercised on both sides of midnight."""
    day = around + timedelta(days=rng.randint(-40, 40))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=rng.randrange(24 * 60))


def _stamp(model, pk: int, **fields) -> None:
    """auto_now_add fields are set on create: the record's own times are written after."""
    model.objects.filter(pk=pk).update(**fields)


def random_records(world, rng: random.Random) -> list:
    """Units of every kind in random areas, with random topics, rounds, 五方互评, 组织考评, tasks (any status,
    closed early or late, their returns, extensions, reopenings), annual evaluations, 整改 items and whistle
    answers over this year and the last, and the district's weights. Returns the units."""
    w = build(world)
    add_units(w)
    places = [w.areas[k] for k in ("D", "S1", "C1", "G1", "B1") if k in w.areas]
    units = list(w.organizations.values())
    for i in range(8):
        units.append(areas.organization_create(actor=None, kind=rng.choice(KINDS), name=f"随机单位{i}",
                                               area=rng.choice(places)))
    today = timezone.localdate()
    ends = [today, today.replace(month=1, day=1), today.replace(year=YEAR - 1, month=12, day=20)]
    base_topic, resolution = handling_topic(w)
    topics = [base_topic] + _copies(Topic.objects.get(pk=base_topic.pk), 6,
                                    lambda i: {"title": f"随机议题{i}", "path": rng.choice(places).path})
    base_task = assign(w, base_topic, resolution)
    rounds = []
    for topic in topics:
        for number in range(1, rng.randint(1, 3)):
            r = EvaluationRound.objects.create(topic=topic, number=number, closes_on=today)
            _stamp(EvaluationRound, r.pk, opened_at=_moment(rng, rng.choice(ends)))
            rounds.append(r)
    parties = list(PARTY_REPRESENTATIVES)
    for r in rounds:
        for rater in rng.sample(parties, 3):
            for ratee in rng.sample([p for p in parties if p != rater], 2):
                PartyRating.objects.create(round=r, rater=w.people["community_secretary"], rater_party=rater,
                                           ratee_party=ratee, score=rng.randint(40, 100))
        if rng.random() < 0.7:
            OrgAssessment.objects.create(round=r, score=rng.randint(50, 100), assessed_by=w.users["street_official"])
    statuses = list(TaskStatus.values)
    seq = 100
    for unit in units:
        for task in _copies(Task.objects.get(pk=base_task.pk), rng.randint(0, 7), lambda i, unit=unit: {
                "organization_id": unit.pk, "title": f"随机任务{i}", "status": rng.choice(statuses),
                "topic_id": rng.choice(topics).pk if rng.random() < 0.6 else None}):
            deadline = rng.choice(ends) + timedelta(days=rng.randint(-20, 20))
            closed = _moment(rng, deadline) if rng.random() < 0.6 else None
            _stamp(Task, task.pk, created_at=_moment(rng, rng.choice(ends)), deadline=deadline, closed_at=closed)
            for kind in rng.sample(["task.returned", "task.extended", "task.reopened", "task.reported"], rng.randint(0, 3)):
                for _n in range(rng.randint(1, 2)):
                    seq += 1
                    Event.objects.create(subject_type="handling.task", subject_id=str(task.pk), seq=seq, kind=kind,
                                         at=timezone.now(), hash=f"{seq:064d}")
    evaluators = [w.areas[k] for k in ("S1", "C1") if k in w.areas] + [w.areas["D"]]
    for unit in units:
        for area in rng.sample(evaluators, rng.randint(0, len(evaluators))):
            AnnualEvaluation.objects.create(evaluator_area=area, organization=unit, year=rng.choice([YEAR, YEAR - 1]),
                                            score=rng.randint(30, 100))
    base_list = issue(w)
    old_list = issue(w, title="上年度整改清单")
    _stamp(RectificationList, old_list.pk, issued_at=_moment(rng, ends[2]))
    item = base_list.items.get()
    item_statuses = list(ItemStatus.values)
    for i, copy in enumerate(_copies(item, 30, lambda i: {"seq": 10 + i, "organization_id": rng.choice(units).pk,
                                                          "status": rng.choice(item_statuses)})):
        deadline = rng.choice(ends) + timedelta(days=rng.randint(-20, 20))
        accepted = _moment(rng, deadline) if rng.random() < 0.6 else None
        _stamp(RectificationItem, copy.pk, deadline=deadline, accepted_at=accepted,
               list_id=(base_list if i % 3 else old_list).pk)
    whistle = blow(w)
    for n, copy in enumerate(_copies(Whistle.objects.get(pk=whistle.pk), 5, lambda i: {"number": f"CS-R{i:04d}"})):
        deadline = rng.choice(ends) + timedelta(days=rng.randint(-20, 20))
        _stamp(Whistle, copy.pk, blown_at=_moment(rng, rng.choice(ends)), deadline=deadline)
        for unit in rng.sample(units, rng.randint(1, 5)):
            status = rng.choice(list(ResponseStatus.values))
            WhistleResponse.objects.create(whistle=copy, organization=unit, status=status, late=rng.random() < 0.4,
                                           deadline=deadline,
                                           responded_at=_moment(rng, today) if rng.random() < 0.7 else None)
        assert n < 5
    RatingWeights.objects.create(district=w.areas["D"], **{k: rng.randint(0, 40) for k in (
        "parties", "organization", "handling", "evaluation", "rectification", "whistles")},
        per_returned=rng.randint(0, 10), per_extended=rng.randint(0, 10), per_reopened=rng.randint(0, 15))
    return units


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_batch_gives_every_unit_the_rating_the_one_unit_computation_gives(world, seed):
    units = random_records(world, random.Random(seed))
    scored = 0
    for year in (YEAR, YEAR - 1):
        batch = unit_ratings(units, year)
        for unit in units:
            reference, found = unit_rating(unit, year), batch[unit.pk]
            assert {p.part: p.score for p in reference.parts} == found.parts, (seed, year, unit.name)
            assert (found.score, found.grade, found.cutoff) == (reference.score, reference.grade, reference.cutoff)
            scored += reference.score is not None
    assert scored >= len(units) // 2  # the random records rate most units: the comparison is not of empties


def test_the_ratings_page_costs_the_same_queries_with_3_units_and_with_30(world):
    """Until now each listed unit's rating took ~7 queries (30 rows: ~220); now the page's count is fixed."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    units = random_records(world, random.Random(7))
    client = Client()
    client.force_login(world.users["district_official"])
    task = Task.objects.filter(organization=units[0]).first()

    def more_units(n: int) -> None:
        for unit in _copies(units[0], n, lambda i: {"name": f"副本{Task.objects.count()}-{i:03d}"}):
            _copies(task, 2, lambda i, unit=unit: {"organization_id": unit.pk, "title": f"副本任务{i}"})

    def queries() -> tuple[int, int]:
        client.get("/oversight/ratings/?all=1&q=副本")  # warm: the header's per-process cache, the session
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/oversight/ratings/?all=1&q=副本")
        assert page.status_code == 200
        return len(captured), page.content.decode().count('<tr><td data-label="')

    more_units(3)
    few_queries, few_rows = queries()
    more_units(27)  # 30 units: one full page (a longer list adds the pager's own look-ahead)
    many_queries, many_rows = queries()
    assert (few_rows, many_rows) == (3, 30)
    assert many_queries == few_queries and many_queries <= 25, (few_queries, many_queries)
