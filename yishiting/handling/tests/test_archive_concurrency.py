"""Archiving at the same moment, on PostgreSQL (SQLite serializes every write, so there is no race there):
two staff archiving one topic — exactly one dossier, the other told it is archived already; several topics
archived at once — every dossier gets its own number, none is lost."""

from __future__ import annotations

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.handling.models import Dossier
from yishiting.handling.services.archive import dossier_archive

from .archive_world import evaluating_topic

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]





def test_two_staff_archiving_one_topic_make_one_dossier(world):
    topic = evaluating_topic(world)
    results = race([lambda p=p: dossier_archive(actor=world.users[p], topic=topic)
                    for p in ("community_secretary", "community_staff")])
    assert sum(isinstance(r, Dossier) for r in results) == 1
    refused = [r for r in results if not isinstance(r, Dossier)]
    assert isinstance(refused[0], Conflict) and refused[0].code == "already_archived"
    assert Dossier.objects.filter(topic=topic).count() == 1


def test_topics_archived_at_once_get_distinct_numbers(world):
    topics = [evaluating_topic(world) for _ in range(4)]
    results = race([lambda t=t: dossier_archive(actor=world.users["community_secretary"], topic=t) for t in topics])
    assert all(isinstance(r, Dossier) for r in results), results
    numbers = sorted(Dossier.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 4 and numbers[-1].endswith("000004")
