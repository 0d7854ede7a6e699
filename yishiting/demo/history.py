"""The demo district's history (`demo_history_build`): months of demands, topics, meetings, votes, notices,
tasks, supervision, evaluations and archived dossiers, written through the real services.

Nothing is written as rows: every step is the service a person's click would call, as that person, with the
clock set to the moment it happened (clock.py), so the event log's hash chains, timelines, dossiers and figures
are the real ones and `yishiting verify` passes. The scheduled job (`tick`: notices completed, task warnings,
rounds closed) runs every day of the history, as cron would.

Where things stand at the end (today) — see stories.py for the persona community, `_hotline` for the rest:
every community has a venue and a few demands from the 12345 hotline (some new, some overdue, some handled
directly, escalated or not accepted); the persona community (the resident's) holds a topic in every status,
demands with site photos, and a newcomer's household claim waiting for the community to verify it (认领审核);
what the officials oversee (oversight.py): the persona estate's plan with its demands on it, a 举一反三 cluster
raised as a 类案 and one not yet raised, a recurrence, two 整改清单, unit ratings and last month's kept 月报.
Same seed, same history: the numbers, texts and states depend only on the seed (the times on today's date).
"""

from __future__ import annotations

import contextlib
import heapq
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from yishiting.accounts.models import User
from yishiting.accounts.services import account_register, sms_code_send
from yishiting.areas.choices import ClaimRelation, Role
from yishiting.areas.claims import household_claim_submit
from yishiting.areas.models import Area, Household, Person, RoleAssignment
from yishiting.common import messaging
from yishiting.deliberation.models import Meeting, Topic, Vote
from yishiting.demands.choices import Channel, Nature, Outcome
from yishiting.demands.models import ConsultationRule, Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.grid.demo import grid_bulk
from yishiting.handling.models import Dossier, EvaluationRound, Notice, Task
from yishiting.handling.services.evaluation import rounds_tick
from yishiting.handling.services.notices import notices_tick
from yishiting.handling.services.tasks import task_submit, task_verify
from yishiting.handling.tick import tick_run
from yishiting.handling.warnings import warnings_tick
from yishiting.mediation.models import MediationCase
from yishiting.oversight.warnings import rectification_tick

from .bodies import demo_bodies_build
from .cast import Cast
from .clock import Clock
from .oversight import OversightStories
from .steps import Steps, photo
from .stories import Stories
from .texts import HOTLINE, PRIVATE, PRIVATE_REASON

HISTORY_DAYS = 150  # calendar days the daily tick covers (the oldest story starts ~96 working days back)


@dataclass
class HistoryResult:
    """What `demo_history_build` wrote: counts by kind and the demand numbers in the order they were filed."""

    counts: dict[str, int]
    demand_numbers: list[str] = field(default_factory=list)
    seconds: float = 0.0


def demo_history_build(district: Area, *, seed: int, today: date | None = None) -> HistoryResult:
    """Write the history of the built demo `district` (yishiting.areas.demo.demo_build) up to `today`
    (default: today). One transaction; messages go to memory, not the console. Deterministic for a seed."""
    started = time.monotonic()
    clock = Clock(today or timezone.localdate())
    # Messages of the past are not sent again today: the SMS (sent after commit) go to memory and are dropped.
    with override_settings(MESSAGING_BACKEND="memory"), transaction.atomic(), \
            clock.running(clock.at(clock.today - timedelta(days=HISTORY_DAYS), 8)):
        cast = Cast(district, seed)
        steps = Steps(cast)
        stories: list[Iterator[datetime]] = [_ticks(clock), _hotline(steps, clock, seed)]
        stories += OversightStories(steps, clock).all()  # first: the plan, before any demand has a place on it
        stories += Stories(steps, clock).all()
        stories.append(_newcomer(cast, clock))
        _run(clock, stories)
        grid_bulk(district, seed, clock.today)  # 网格工作 of every other estate this month (issue 20)
        _indices(district, clock.today)
        from .templates import demo_templates_assign

        demo_templates_assign(cast)  # templates per area, after the history (issue 20)
    # Standing bodies after the history, at today's real time: its meetings keep the council their plans marked.
    demo_bodies_build(district, seed=seed, today=clock.today)
    with override_settings(MESSAGING_BACKEND="memory"), transaction.atomic():
        tick_run(clock.today)  # `yishiting tick` once, every app: the state each app's scheduled job leaves
    messaging.outbox.clear()
    return HistoryResult(history_counts(district), history_numbers(district), time.monotonic() - started)


def _indices(district: Area, today: date) -> None:
    """堡垒指数 / 先锋指数 of last month (as `tick` left it) and of this month so far, for the ranking pages."""
    from yishiting.oversight.indices.periods import previous
    from yishiting.oversight.indices.services import indices_compute

    for day in (previous("month", today)[0], today):
        indices_compute(period="month", on=day, district=district)


def _run(clock: Clock, stories: list[Iterator[datetime]]) -> None:
    """Resume the story whose next step is earliest (ties: the story listed first), until all have ended."""
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []

    def advance(order: int, story: Iterator[datetime]) -> None:
        with contextlib.suppress(StopIteration):
            heapq.heappush(queue, (next(story), order, story))

    for order, story in enumerate(stories):
        advance(order, story)
    while queue:
        moment, order, story = heapq.heappop(queue)
        clock.set(moment)
        advance(order, story)


def _ticks(clock: Clock) -> Iterator[datetime]:
    """`yishiting tick` at 00:30: notices completed and rounds closed every night; the task warnings (the
    costly part, every open task) twice a week and on the last three nights — each warning still appears,
    at most a few days after cron would have given it, and every one due by today is there."""
    day = clock.today - timedelta(days=HISTORY_DAYS - 1)
    while day <= clock.today:
        yield clock.at(day, 0, 30)
        notices_tick(today=day)
        if day.weekday() in (0, 3) or day > clock.today - timedelta(days=3):
            warnings_tick(today=day)
        rounds_tick(today=day)
        rectification_tick(today=day)
        day += timedelta(days=1)


def _hotline(steps: Steps, clock: Clock, seed: int) -> Iterator[datetime]:
    """Every community but the persona's: a venue, and demands from the 12345 hotline entered by the district
    office for residents — some still new (one overdue), one handled directly, one escalated, one not accepted."""
    cast, official = steps.cast, steps.cast.user("district_official")
    communities = list(Area.objects.filter(path__startswith=cast.district.path, level__code="community")
                       .exclude(pk=cast.community.pk).order_by("path"))
    rule = ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE, text__startswith="纯属个人私事").first()
    mine: list = []
    yield clock.days_ago(60, 9)
    for community in communities:
        steps.venue(community, official)
    for index, community in enumerate(communities):
        rng = cast.rng
        people = cast.residents_of(community, 4)
        if len(people) < 4:
            continue
        estate = Area.objects.filter(parent=community).order_by("path").first()
        building = Area.objects.filter(parent=estate).order_by("path").first()
        words = {"estate": estate.name, "building": building.name, "community": community.name, "unit": ""}
        texts = rng.sample(HOTLINE, 3)
        back = 12 + (len(communities) - 1 - index) * 46 // max(len(communities) - 1, 1)  # 58 … 12, in order
        yield clock.days_ago(back, 9 + index % 8, (index * 7) % 60)
        filed = [steps.submit(spec, area=building, actor_user=official, reporter=person, channel=Channel.HOTLINE,
                              words=words) for spec, person in zip(texts, people, strict=False)]
        filed.append(steps.submit(PRIVATE, area=building, actor_user=official, reporter=people[3],
                                  channel=Channel.HOTLINE, words=words))
        yield clock.days_ago(back - 1, 10 + index % 6)
        handler = _handler_for(community)
        overdue = index % 4 == 0 or handler.user_id is not None
        screened = demand_screen(actor=official, demand=filed[0], decision=Decision(
            outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, reason="由街道综合行政执法队直接办理",
            handler=handler, deadline=clock.working_day(back - 11) if overdue else clock.today + timedelta(days=10)))
        if handler.user_id is not None:  # the persona handler's street: these get worked on below
            mine.append(screened.task)
        demand_screen(actor=official, demand=filed[3], decision=Decision(
            outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, reason=PRIVATE_REASON, rejection_rule=rule))
        if index % 3 == 0:
            demand_screen(actor=official, demand=filed[1], decision=Decision(
                outcome=Outcome.ESCALATE, reason="涉及多个社区，提请上级统筹"))
    yield from _work(steps, clock, mine)
    yield clock.days_ago(2, 11)
    for index, community in enumerate(communities[:8]):  # a few fresh ones in every street's inbox
        people = cast.residents_of(community, 1)
        building = Area.objects.filter(path__startswith=community.path, level__code="building").order_by("path").first()
        estate = Area.objects.get(pk=building.parent_id)
        words = {"estate": estate.name, "building": building.name, "community": community.name, "unit": ""}
        steps.submit(HOTLINE[(index + seed) % len(HOTLINE)], area=building, actor_user=official, reporter=people[0],
                     channel=Channel.HOTLINE, words=words)


def _work(steps: Steps, clock: Clock, tasks: list) -> Iterator[datetime]:
    """The persona handler works on the hotline tasks of their street: every one started and reported on, every
    other one finished and verified by the district office (the rest stay overdue, warned by the tick)."""
    official = steps.cast.user("district_official")
    yield clock.days_ago(8, 9)
    for task in tasks:
        steps.start(task)
        steps.report(task, "已到现场查看，联系相关单位制定处理方案。", 30)
    yield clock.days_ago(5, 15)
    for task in tasks[1::2]:
        task_submit(actor=steps.cast.user("handler"), task=task, evidence="已处理完毕，电话回访诉求人，情况属实已解决。",
                    files=[photo(task.pk)])
        task_verify(actor=official, task=task, approve=True, note="回访核实，同意销号")


NEWCOMER = "林新"  # registers by SMS yesterday evening and claims a flat in the resident's building as its tenant


def _newcomer(cast: Cast, clock: Clock) -> Iterator[datetime]:
    """A newcomer registers with their mobile (the SMS code, as the register page does) and claims a flat in
    the resident's building as its tenant: the claim waits in the community's 认领审核 for staff."""
    yield clock.days_ago(1, 20, 15)
    mobile = next(m for n in range(100) for m in [f"1770000{n:04d}"]
                  if not Person.objects.filter(mobile=m).exists() and not User.objects.filter(username=m).exists())
    sms_code_send(mobile=mobile, purpose="register")
    code = messaging.outbox[-1].text.split("验证码是 ")[1][:6]
    user = account_register(mobile=mobile, code=code, name=NEWCOMER)
    flat = Household.objects.filter(path__startswith=cast.building.path).order_by("path", "number").last()
    household_claim_submit(actor=user, household=flat, relation=ClaimRelation.TENANT)


def _handler_for(community: Area) -> Person:
    """The first handler of the community's street (its 综合行政执法队)."""
    found = (RoleAssignment.objects.filter(role=Role.HANDLER, is_active=True, path__in=community.ancestor_paths())
             .order_by("-path", "pk").select_related("person").first())
    return found.person


def history_counts(district: Area) -> dict[str, int]:
    prefix = district.path
    counts: Counter[str] = Counter()
    counts["demands"] = Demand.objects.filter(path__startswith=prefix).count()
    counts["topics"] = Topic.objects.filter(path__startswith=prefix).count()
    counts["meetings"] = Meeting.objects.filter(path__startswith=prefix).count()
    counts["votes"] = Vote.objects.filter(path__startswith=prefix).count()
    counts["notices"] = Notice.objects.filter(topic__path__startswith=prefix).count()
    counts["tasks"] = Task.objects.filter(path__startswith=prefix).count()
    counts["rounds"] = EvaluationRound.objects.filter(topic__path__startswith=prefix).count()
    counts["dossiers"] = Dossier.objects.filter(topic__path__startswith=prefix).count()
    counts["cases"] = MediationCase.objects.filter(path__startswith=prefix).count()
    return dict(counts)


def history_numbers(district: Area) -> list[str]:
    return list(Demand.objects.filter(path__startswith=district.path).order_by("pk").values_list("number", flat=True))


def has_history(district: Area) -> bool:
    return Demand.objects.filter(path__startswith=district.path).exists()
