"""The lists that still counted their whole list on every page (Django's Paginator) until issue 18's last pass: my
tasks, the legal reviews, the evaluation rounds, the archive, 整改清单 and the unit ratings. Each: the same
number of queries with a few rows and with pages of them, a pager that goes on and back, a deep page by number,
and past the cap "以上" instead of a count of the whole list."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from yishiting.common import paging
from yishiting.deliberation.models import Topic
from yishiting.handling.models import Dossier, EvaluationRound, LegalReview
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.tasks_world import assign
from yishiting.oversight.tests.world import build, issue

from .pages import main
from .test_lists_scale import link, pager_text
from .test_notice_pages import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def copies(row, n: int, vary: Callable[[int], dict]) -> list:
    """`n` copies of a stored row, each with the fields `vary(i)` gives (test data: the lists only read them)."""
    model = type(row)
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    return model.objects.bulk_create([model(**{**values, **vary(i)}) for i in range(n)])


Maker = Callable[[int], None]


def _maker(row, vary: Callable[[int], dict]) -> Maker:
    """make(n): `n` more copies of `row`, numbered on from the last call."""
    made = [0]

    def make(n: int) -> None:
        copies(row, n, lambda i: vary(made[0] + i))
        made[0] += n

    return make


def task_rows(world) -> Maker:
    return _maker(assign(world), lambda i: {"title": f"副本{i:03d}"})


def review_rows(world) -> Maker:
    published(world, title="幸福苑3栋加装电梯")
    return _maker(LegalReview.objects.get(), lambda i: {"status": "approved", "opinion": f"副本{i:03d}"})


def round_rows(world) -> Maker:
    first = EvaluationRound.objects.get(topic=evaluating_topic(world))
    return _maker(first, lambda i: {"number": first.number + i + 1})


def dossier_rows(world) -> Maker:
    topic = evaluating_topic(world)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    topic_copy = _maker(Topic.objects.get(pk=topic.pk), lambda i: {"title": f"副本{i:03d}"})

    def make(n: int) -> None:
        topic_copy(n)
        topics = list(Topic.objects.filter(title__startswith="副本").exclude(dossier__isnull=False).order_by("pk"))
        start = Dossier.objects.count()
        copies(dossier, n, lambda i: {"topic_id": topics[i].pk, "number": f"DA-{start + i:05d}",
                                      "title": f"副本{start + i:03d}"})

    return make


def rectification_rows(world) -> Maker:
    return _maker(issue(build(world)), lambda i: {"number": f"ZG-{i:05d}", "title": f"副本{i:03d}"})


def unit_rows(world) -> Maker:
    return _maker(world.organizations["agency"], lambda i: {"name": f"副本{i:03d}"})


# (persona, address, rows, the most queries a page may take). The unit ratings compute the listed units' ratings
# of the running year live, all at once (oversight.rating_batch: a fixed number of grouped queries).
LISTS = [
    ("handler", "/tasks/mine/", task_rows, 14),
    ("street_official", "/legal-reviews/?status=approved", review_rows, 14),
    ("street_official", "/evaluations/", round_rows, 14),
    ("street_official", "/archive/", dossier_rows, 16),
    ("street_official", "/oversight/rectifications/", rectification_rows, 16),
    ("street_official", "/oversight/ratings/?all=1", unit_rows, 25),
]
IDS = [address for _, address, _, _ in LISTS]


def _url(address: str, query: str) -> str:
    """`address` with the pager's own query string (which keeps the filter) or a page number added."""
    if query.startswith("?"):
        return address.split("?")[0] + query
    return address + ("&" if "?" in address else "?") + query


@pytest.mark.parametrize("persona, address, rows, budget", LISTS, ids=IDS)
def test_a_list_costs_the_same_queries_at_35_rows_and_at_70(world, as_persona, persona, address, rows, budget,
                                                             django_assert_max_num_queries):
    make = rows(world)
    make(2)
    client = as_persona(persona)
    assert client.get(address).status_code == 200
    make(33)
    client.get(address)  # warm: the header's per-process cache, the session's renewal
    with django_assert_max_num_queries(budget) as fewer:
        client.get(address)
    make(35)
    with django_assert_max_num_queries(budget) as more:
        first = main(client.get(address))
    assert len(more) == len(fewer)
    with django_assert_max_num_queries(budget):
        page2 = main(client.get(_url(address, link(first, "next"))))
    assert "第 2 /" in pager_text(page2) and link(page2, "prev") and link(page2, "next")


@pytest.mark.parametrize("persona, address, rows, budget", LISTS, ids=IDS)
def test_past_the_cap_a_list_says_more_and_deep_pages_still_open(world, as_persona, persona, address, rows, budget,
                                                                 monkeypatch, django_assert_max_num_queries):
    rows(world)(70)
    monkeypatch.setattr(paging, "COUNT_CAP", 40)  # a list longer than the cap: said so, not counted
    client = as_persona(persona)
    first = main(client.get(address))
    assert "第 1 页，共 40 条以上" in pager_text(first)
    with django_assert_max_num_queries(budget):
        deep = main(client.get(_url(address, "page=3")))  # by number (a bookmark), past the cap: no count
    assert pager_text(deep).startswith("第 3 /") and link(deep, "prev") and "下一页" not in deep
    assert "第 2 页" in pager_text(main(client.get(_url(address, link(deep, "prev")))))
    assert client.get(_url(address, "page=99999999999")).status_code == 200
    assert client.get(_url(address, "page=abc")).status_code == 200
