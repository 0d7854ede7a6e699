"""Chinese punctuation never stands in the site's own English sentences: counts joined by "，", lists by "、",
labels by "：", asides in "（…）". The pages where sentences are composed from parts — the staff home's counts,
the resident's demand page that follows the matter to its end, a staff member's roles in the header — read in
English with English punctuation; what people typed keeps its own. (The every-page English crawl in
test_english.py applies the same check, english.foreign_punctuation, to every page and persona.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.areas.models import Person
from yishiting.demands.models import Demand
from yishiting.handling.tests.archive_world import evaluating_topic

from .english import FULL_WIDTH, data_text, foreign_punctuation
from .test_crawl import _Page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("file_media")]


def shown(response) -> str:
    page = _Page()
    page.feed(response.content.decode())
    return " ".join(page.text)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_staff_homes_counts_read_in_english(world, as_persona):
    topic = evaluating_topic(world)
    demand = Demand.objects.get(topic=topic)
    Demand.objects.filter(pk=demand.pk).update(status="pending", topic=None,
                                               screening_deadline=timezone.localdate() - timezone.timedelta(days=3))
    text = shown(english(as_persona("community_staff")).get("/"))
    assert "1 overdue" in text, text[:600]
    assert foreign_punctuation(text, data_text()) == []
    chinese = shown(as_persona("community_staff").get("/"))
    assert "，" in chinese and "件已逾期" in chinese  # the same sentence in Chinese keeps its own comma


def test_the_residents_demand_page_follows_the_matter_in_english_punctuation(world, as_persona):
    topic = evaluating_topic(world)
    demand = Demand.objects.get(topic=topic)
    text = shown(english(as_persona("resident")).get(f"/demands/{demand.pk}/"))
    assert "Publicity" in text or "publicity" in text  # the notice's step is there to be read
    assert foreign_punctuation(text, data_text()) == []


def test_a_staff_member_with_two_roles_sees_them_listed_in_english(world, as_persona):
    from yishiting.areas import services

    staff: Person = world.people["community_staff"]
    services.role_assign(actor=None, person=staff, role="grid_leader", area=world.areas["C1"])
    text = shown(english(as_persona("community_staff")).get("/"))
    assert not any(mark in text.split("Home")[0] for mark in FULL_WIDTH), text[:300]
    assert foreign_punctuation(text, data_text()) == []


def test_the_check_fails_when_a_chinese_comma_comes_back_between_english_words(world, as_persona):
    """The check itself, on a page: the staff home's count sentence with the Chinese comma put back."""
    topic = evaluating_topic(world)
    Demand.objects.filter(topic=topic).update(status="pending", topic=None,
                                              screening_deadline=timezone.localdate() - timezone.timedelta(days=3))
    text = shown(english(as_persona("community_staff")).get("/"))
    broken = text.replace("1 overdue", "，1 overdue", 1)
    assert broken != text and any("，1 overdue" in found for found in foreign_punctuation(broken, data_text()))
