"""办结 is one rule (funnel.DONE_RULE): the public figures and the officials' overview count the same demands as
done — a direct-handling task closed, a topic whose tasks are all closed (evaluating, archived), a mediation case
closed — and both pages say the rule in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.test_evaluation import close_task
from yishiting.oversight import overview, periods, records
from yishiting.oversight.funnel import DONE_RULE
from yishiting.oversight.public import monthly_counts, recount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit(world, text: str) -> Demand:
    return demand_submit(actor=world.users["resident"], submission=Submission(text=text, area=world.areas["B1"]))


def _matters(world) -> tuple[set[str], set[str]]:
    """Demands this month: (the numbers of those done by the rule, those not done)."""
    handled = _submit(world, "家门口路灯不亮")
    handled = demand_screen(actor=world.users["community_staff"], demand=handled, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    close_task(world, handled.task)
    evaluated = Demand.objects.get(topic=evaluating_topic(world))  # its tasks closed, the topic being evaluated
    open_topic = _submit(world, "小区垃圾桶太少，经常满出来")
    demand_screen(actor=world.users["community_staff"], demand=open_topic, decision=Decision(
        outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="垃圾桶"))  # not handled yet
    pending = _submit(world, "楼道堆满杂物")
    return {handled.number, evaluated.number}, {open_topic.number, pending.number}


def test_the_same_demands_count_as_done_on_the_public_page_and_in_the_overview(world):
    done, not_done = _matters(world)
    month = periods.current("month", timezone.localdate())
    district = world.areas["D"]
    public_done = sum(c.done for c in monthly_counts(district, month.start, month.end))
    assert public_done == sum(c.done for c in recount(district, month.start, month.end)) == 2
    stages = {s.key: s.count for s in overview.funnel(district, month)}
    assert stages["done"] == public_done
    assert sum(row.closed for row in overview.by_category(district, month)) == public_done
    listed = {d.number for d in records.drill("funnel.done", district, month).rows}
    assert listed == done and not listed & not_done


def test_both_pages_state_the_one_rule_in_words(world, client):
    _matters(world)
    rule = str(DONE_RULE)
    public = client.get("/public/stats/", {"area": world.areas["D"].pk})
    assert public.status_code == 200 and rule in public.content.decode()
    client.force_login(world.users["street_official"])
    month = periods.current("month", timezone.localdate())
    page = client.get("/overview/", {"area": world.areas["S1"].pk, "period": month.key}).content.decode()
    assert page.count(rule) >= 2  # the funnel's 办结 row and the note under the categories' 办结 column
    assert "与公开统计的“已办结”是同一口径" in page
