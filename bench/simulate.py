"""A Shuangyashan-scale year through the services: demands → screening → meetings → publicity → tasks →
evaluation → archive, on the 五方共议 template. Prints the time of each stage, the total and the peak memory.

    .venv/bin/python bench/simulate.py                      # the full year (23,753 demands …), PostgreSQL
    .venv/bin/python bench/simulate.py --scale 0.1          # a tenth of it

Shuangyashan's year (seed 001): 23,753 demands collected, 18,600 topics, 6,200 meetings, 10,500 matters solved.
Here: each topic comes from one demand (the rest are merged into topics, handled directly or refused), three
topics per meeting, and the matters closed are the direct-handling tasks plus the topics carried through
publicity, handling, evaluation and archive; the other topics end the year in handling with their tasks open.

Every step is the real service a person's click calls (validation, row locks, events, notifications), acted by
the people of the demo district (a user is made for each community's secretary, one grid worker, five
residents who report and rate, and each street's official). Only the calendar is moved by hand: a planned
meeting is brought to its day by shifting its dates, and the publicity window and the rating period end by
running the tick with a later `today` — what cron does as days pass. Text messages go to the memory backend and
are counted (the console backend would print every one).
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from _setup import database_label, machine_label, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_simulate"
YEAR = {"demands": 23_753, "topics": 18_600, "meetings": 6_200, "closed": 10_500}
DIRECT_SHARE, REFUSED_SHARE = 0.063, 0.017   # of all demands: handled directly / refused (the rest merge)
PROBLEMS = [
    ("安全隐患", "楼道堆放杂物和电动车，影响消防通道"), ("环境整治", "垃圾分类点长期满溢，气味很大"),
    ("设施维护", "单元门禁损坏，外来人员随意进出"), ("物业管理", "物业保洁不到位，楼梯扶手积灰"),
    ("文体娱乐", "希望在小区广场增设健身器材"), ("生活关爱", "独居老人多，希望有上门探访"),
    ("普惠公益", "希望开设四点半课堂照看放学孩子"), ("设施维护", "路灯不亮，晚上出行不安全"),
]


@dataclass
class Community:
    index: int                     # its place in the year's plan (demand n goes to community n % count)
    area: object
    secretary: object              # the secretary's User
    worker: object                 # one grid worker's User (handler of the tasks)
    residents: list                # Users of residents who report and rate
    buildings: list
    street_official: object        # the street official's User (legality reviews)
    venue: object = None           # the community's 议事厅
    topics: list = field(default_factory=list)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Stage timings printed as they finish; text messages counted and dropped so they don't pile up."""

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.started = time.perf_counter()
        self.stages: list[tuple[str, float, int]] = []
        self.messages = 0

    def stage(self, name: str, count: int, since: float) -> None:
        from yishiting.common import messaging

        seconds = time.perf_counter() - since
        self.messages += len(messaging.outbox)
        messaging.outbox.clear()
        self.stages.append((name, seconds, count))
        rate = count / seconds if seconds else 0
        print(f"  {self.label}{name}：{count:,} 次，{seconds:,.1f} 秒（{rate:,.0f} 次/秒），峰值内存 {peak_mb():,.0f} MB", flush=True)


class Crew:
    """The worker processes of one year. Each has its own streets; what cron does for everybody (ending the
    publicity windows and the rating periods) runs once, in worker 0, when every worker has reached it."""

    def __init__(self, index: int = 0, size: int = 1, barrier=None) -> None:
        self.index, self.size, self.barrier = index, size, barrier

    def once(self, job):
        if self.barrier is not None:
            self.barrier.wait()
        result = job() if self.index == 0 else None
        if self.barrier is not None:
            self.barrier.wait()
        return result


def counted(value, unit: str) -> str:
    """`value` units, or a note that the tick ran in worker 1 (a cron job runs once, not per worker)."""
    return f"{value:,} {unit}" if value is not None else "由 1 号进程的 tick 执行"


def user_for(person, username: str):
    from yishiting.accounts.models import User

    if person.user_id:
        return person.user
    user = User.objects.create(username=username)
    person.user = user
    person.save(update_fields=["user"])
    return user


def residents_of(path: str, i: int):
    """The i-th of the five residents who report and rate in a grid (registered once, in a flat of it)."""
    from yishiting.areas import services
    from yishiting.areas.choices import Role
    from yishiting.areas.models import Household, Person

    home = Household.objects.filter(path__startswith=path).order_by("path", "number")[i * 7]
    person = Person.objects.filter(household=home).first()
    if person is None:
        person = services.person_create(actor=None, name=f"居民{home.pk}", mobile=f"1390{home.pk:07d}",
                                        household=home)
        services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=home.unit)
    return person


def cast(district, communities_wanted: int) -> list[Community]:
    """Users for the people who act in each community (as many communities as the year needs)."""
    from yishiting.areas.choices import Role
    from yishiting.areas.models import Area, RoleAssignment

    def holder(role, path):
        return (RoleAssignment.objects.filter(role=role, path__startswith=path, is_active=True)
                .select_related("person", "person__user").order_by("path", "pk").first())

    result = []
    for index, community in enumerate(spread_over_streets(district, communities_wanted)):
        street = Area.objects.get(pk=community.parent_id)
        grid = holder(Role.GRID_WORKER, community.path)  # the grid worker enters demands in their own grid
        residents = [residents_of(grid.path, i) for i in range(5)]
        result.append(Community(
            index=index, area=community,
            secretary=user_for(holder(Role.COMMUNITY_SECRETARY, community.path).person, f"sim-sec-{community.code}"),
            worker=user_for(grid.person, f"sim-gw-{community.code}"),
            residents=[user_for(p, f"sim-r{i}-{community.code}") for i, p in enumerate(residents)],
            buildings=list(Area.objects.filter(path__startswith=grid.path, level__code="building")
                           .order_by("path")[:40]),
            street_official=user_for(holder(Role.STREET_OFFICIAL, street.path).person, f"sim-so-{street.code}")))
    return result


def spread_over_streets(district, wanted: int) -> list:
    """The communities that hold the year, taken from each street in turn (all of them at full scale), so a
    small run spans several streets as the full year does and the workers have streets to share."""
    from yishiting.areas.models import Area

    by_street: dict[int, list] = {}
    for community in Area.objects.filter(path__startswith=district.path, level__code="community").order_by("path"):
        by_street.setdefault(community.parent_id, []).append(community)
    queues = list(by_street.values())
    chosen = []
    while len(chosen) < wanted and any(queues):
        for queue in queues:
            if queue and len(chosen) < wanted:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda area: area.path)


def submit_demands(places: list[Community], count: int, clock: Clock, mine: set[int]) -> list[tuple]:
    from yishiting.demands.choices import Channel, ReporterKind
    from yishiting.demands.models import Category
    from yishiting.demands.services import Submission, demand_submit

    categories = {c.name: c for c in Category.objects.all()}
    channels = [Channel.HOME_VISIT, Channel.PATROL, Channel.OPINION_CARD, Channel.ONLINE, Channel.QUESTIONNAIRE]
    started, demands = time.perf_counter(), []
    for n in range(count):
        place = places[n % len(places)]
        if place.index not in mine:  # another worker's street
            continue
        building = place.buildings[(n // len(places)) % len(place.buildings)]
        category, problem = PROBLEMS[n % len(PROBLEMS)]
        reporter = place.residents[n % len(place.residents)]
        demand = demand_submit(actor=place.worker, submission=Submission(
            text=f"{building.name}{problem}（第{n + 1}条）", area=building, channel=channels[n % len(channels)],
            category=categories[category], reporter_kind=ReporterKind.ON_BEHALF, reporter=reporter.person,
            consent_recorded=True))
        demands.append((n, place, demand))
    clock.stage("集：收集诉求", len(demands), started)
    return demands


def screen(demands: list[tuple], topics: int, direct: int, refused: int, clock: Clock) -> list:
    from django.utils import timezone

    from yishiting.demands.choices import Nature, Outcome
    from yishiting.demands.models import ConsultationRule
    from yishiting.demands.screening import Decision, demand_screen

    rule = ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE, is_active=True).first()
    deadline = timezone.localdate() + timedelta(days=10)
    started, tasks = time.perf_counter(), []
    for n, place, demand in demands:
        if n < topics:
            decision = Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="涉及全楼居民的公共事务",
                                topic_title=demand.text[:60])
        elif n < topics + direct:
            decision = Decision(outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, reason="个人需求，直接办理",
                                handler=place.worker.person, deadline=deadline)
        elif n < topics + direct + refused:
            decision = Decision(outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, reason="属于法定途径解决的事项",
                                rejection_rule=rule)
        else:  # the same problem again: merged into an open topic of the community
            open_topics = [t for t in place.topics if t.status in ("open", "analysing")]
            decision = Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="与已有议题相同",
                                topic=open_topics[n % len(open_topics)] if open_topics else None,
                                topic_title=demand.text[:60])
        screened = demand_screen(actor=place.secretary, demand=demand, decision=decision)
        if n < topics:
            place.topics.append(screened.topic)
        elif screened.task_id:
            tasks.append((place, screened.task))
    clock.stage("定：筛选", len(demands), started)
    return tasks


def agenda_plan(places: list[Community], topics: int, meetings: int) -> list[tuple[Community, int, int]]:
    """The year's meetings in order, (community, first topic, number of the first resolution), the same for
    every worker: community k holds the topics of demands k, k + count, … below `topics`, three a meeting, and
    the communities take turns (each one's first meeting, then each one's second …) as the year goes by — so
    the first `closed` resolutions, the ones carried through to the archive, are spread over all of them."""
    own = {place.index: len(range(place.index, topics, len(places))) for place in places}
    rounds = max(own.values(), default=0)
    turns = [(place, first) for first in range(0, rounds, 3) for place in places if first < own[place.index]]
    plan, resolved = [], 0
    for place, first in turns[:meetings]:
        plan.append((place, first, resolved))
        resolved += min(3, own[place.index] - first)
    return plan


def deliberate(places: list[Community], topics: int, meetings: int, clock: Clock, mine: set[int]) -> list:
    """Three topics a meeting: plan, bring to its day, sign in, record the steps, resolve, close."""
    from django.utils import timezone

    from yishiting.deliberation.choices import NextStep, Party, StepKind
    from yishiting.deliberation.models import Meeting, ProcessTemplate
    from yishiting.deliberation.services import meetings as plan
    from yishiting.deliberation.services import procedure

    template = ProcessTemplate.objects.get(code="shuangyashan-5fang")
    for place in places:
        place.venue = plan.venue_save(actor=place.secretary, name=f"{place.area.name}议事厅", kind="hall",
                                      area=place.area, capacity=40)
    started, held, resolutions = time.perf_counter(), 0, []
    for place, first, number in agenda_plan(places, topics, meetings):
        if place.index not in mine:
            continue
        agenda = place.topics[first:first + 3]
        secretary = place.secretary
        start = timezone.now() + timedelta(days=template.notice_days + 1)
        people = [(u.person, Party.RESIDENT, True) for u in place.residents[:4]] + [
            (place.worker.person, Party.GRID_WORKER, True)]
        meeting = plan.meeting_plan(
            actor=secretary, title=f"{place.area.name}五方共议", form="round_table", template=template,
            level_area=place.area, venue=place.venue, starts_at=start, ends_at=start + timedelta(hours=2),
            chair=secretary.person, topics=agenda, participants=people)
        now = timezone.now()  # the day comes
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2))
        meeting.refresh_from_db()
        plan.meeting_notify(actor=secretary, meeting=meeting)
        plan.meeting_start(actor=secretary, meeting=meeting)
        for participant in meeting.participants.all():
            procedure.participant_sign_in(actor=secretary, meeting=meeting, code=participant.sign_in_code)
        procedure.step_record(actor=secretary, meeting=meeting, kind=StepKind.OPENING, text="说明议题来源、审查情况和议程。")
        for offset, topic in enumerate(agenda):
            procedure.step_record(actor=secretary, meeting=meeting, kind=StepKind.SPEECH, topic=topic,
                                  text="同意尽快解决，建议物业配合。", speaker=place.residents[0].person)
            procedure.step_record(actor=secretary, meeting=meeting, kind=StepKind.SUMMARY, topic=topic,
                                  text="各方意见一致，形成决议。")
            resolutions.append((number + offset, place, topic, procedure.resolution_record(
                actor=secretary, meeting=meeting, topic=topic, text=f"{topic.title}：由社区牵头、物业实施，15 个工作日内完成。",
                next_step=NextStep.PUBLICITY)))
        plan.meeting_close(actor=secretary, meeting=meeting)
        held += 1
    clock.stage(f"议：协商会议（{held:,} 场，决议 {len(resolutions):,} 项）", held, started)
    return resolutions


def publicise(resolutions: list, clock: Clock, crew: Crew) -> None:
    from django.utils import timezone

    from yishiting.handling.models import LegalReview
    from yishiting.handling.services import notices

    started = time.perf_counter()
    for _number, place, _topic, resolution in resolutions:
        notice = notices.notice_draft(actor=place.secretary, resolution=resolution, responsible="社区居委会",
                                      plan=[{"when": "15 个工作日内", "what": "实施", "who": "物业服务企业"}])
        notices.notice_publish(actor=place.secretary, notice=notice)
    completed = crew.once(lambda: notices.notices_tick(today=timezone.localdate() + timedelta(days=14)))  # window passed
    reviews, officials = 0, {topic.pk: place.street_official for _n, place, topic, _r in resolutions}
    for review in LegalReview.objects.filter(status="pending", topic_id__in=list(officials)).order_by("pk"):
        official = officials[review.topic_id]
        notices.legal_review_decide(actor=official, review=review, approve=True, opinion="程序合法，内容符合法律法规。")
        reviews += 1
    clock.stage(f"公：公示（期满 {counted(completed, '项')}，合法性审核 {reviews:,} 项）", len(resolutions), started)


def handle(matters: list, finish: int, jpeg: bytes, clock: Clock) -> list:
    """Assign a task for each topic; the first `finish` are done, verified and closed (销号)."""
    from yishiting.handling.services import tasks

    started, closed = time.perf_counter(), []
    for n, place, topic, resolution in matters:
        topic.refresh_from_db(fields=["status"])
        task = tasks.task_assign(actor=place.secretary, title=topic.title, area=topic.scope, topic=topic,
                                 resolution=resolution, handler=place.worker.person, subject_kind="community",
                                 deadline_days=15, standard="按决议完成并经居民代表验收")
        tasks.task_accept(actor=place.worker, task=task)  # 签收 first
        tasks.task_report(actor=place.worker, task=task, text="已进场施工，完成一半。", percent=50,
                          photos=[("现场.jpg", jpeg)])
        if n < finish:
            tasks.task_submit(actor=place.worker, task=task, evidence="已完工，居民代表验收合格。",
                              files=[("完工.jpg", jpeg)])
            tasks.task_verify(actor=place.secretary, task=task, approve=True, note="核验无误，同意销号。")
            closed.append((place, topic))
    clock.stage(f"办：任务（交办 {len(matters):,}，销号 {len(closed):,}）", len(matters), started)
    return closed


def close_direct(direct: list, jpeg: bytes, clock: Clock) -> None:
    from yishiting.handling.services import archive, evaluation, tasks

    started = time.perf_counter()
    for place, task in direct:
        tasks.task_accept(actor=place.worker, task=task)
        tasks.task_submit(actor=place.worker, task=task, evidence="已上门处理。", files=[("处理后.jpg", jpeg)])
        tasks.task_verify(actor=place.secretary, task=task, approve=True, note="同意销号。")
        reporter = task.demands.values_list("reporter__user_id", flat=True).first()
        rater = next(u for u in place.residents if u.pk == reporter)
        evaluation.rating_give(actor=rater, task=task, value="satisfied", comment="处理及时。")
        archive.dossier_archive_task(actor=place.secretary, task=task)
    clock.stage("办评备：直接办理的诉求（销号、评价、归档）", len(direct), started)


def evaluate_and_archive(closed: list, clock: Clock, crew: Crew) -> None:
    from django.utils import timezone

    from yishiting.demands.models import Demand
    from yishiting.handling.models import EvaluationRound
    from yishiting.handling.services import archive, evaluation

    started, ratings = time.perf_counter(), 0
    values = itertools.cycle(["satisfied", "satisfied", "satisfied", "basic", "dissatisfied"])
    for place, topic in closed:
        round_ = EvaluationRound.objects.filter(topic=topic).order_by("-number").first()
        reporters = set(Demand.objects.filter(topic=topic).values_list("reporter__user_id", flat=True))
        for user in place.residents:
            if user.pk in reporters:
                value = next(values)
                evaluation.rating_give(actor=user, round=round_, value=value,
                                       comment="施工期间噪声大，收尾不干净。" if value == "dissatisfied" else "")
                ratings += 1
    closed_rounds = crew.once(lambda: evaluation.rounds_tick(today=timezone.localdate() + timedelta(days=30)))
    clock.stage(f"评：群众评价 {ratings:,} 条，评价轮次结束 {counted(closed_rounds, '轮')}", len(closed), started)
    started = time.perf_counter()
    for place, topic in closed:
        archive.dossier_archive(actor=place.secretary, topic=topic)
    clock.stage("备：一事一档归档", len(closed), started)


def tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 200, 220)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far (same machine, /proc readable), else None."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_year(places: list[Community], mine: set[int], crew: Crew, wanted: dict, direct: int, refused: int) -> dict:
    """One worker's share of the year (all of it with one worker): its streets' demands through to the archive."""
    cpu_before = own_cpu()
    clock = Clock(f"[{crew.index + 1}] " if crew.size > 1 else "")
    jpeg = tiny_jpeg()
    demands = submit_demands(places, wanted["demands"], clock, mine)
    direct_tasks = screen(demands, wanted["topics"], direct, refused, clock)
    del demands
    resolutions = deliberate(places, wanted["topics"], wanted["meetings"], clock, mine)
    publicise(resolutions, clock, crew)
    finish = max(0, wanted["closed"] - direct)  # the first `finish` resolutions of the year are carried through
    closed = handle(resolutions, finish, jpeg, clock)
    close_direct(direct_tasks, jpeg, clock)
    evaluate_and_archive(closed, clock, crew)
    return {"worker": crew.index, "messages": clock.messages, "archived": len(closed) + len(direct_tasks),
            "communities": len(mine), "cpu": own_cpu() - cpu_before, "db_cpu": backend_cpu(),
            "peak_mb": peak_mb(), "seconds": time.perf_counter() - clock.started}


def share_streets(places: list[Community], workers: int) -> list[set[int]]:
    """Whole streets to each worker (a street's communities never split), the largest street first to the
    least loaded worker. Communities are independent: no demand, topic or task crosses a community."""
    streets: dict[int, list[int]] = {}
    for place in places:
        streets.setdefault(place.area.parent_id, []).append(place.index)
    shares: list[set[int]] = [set() for _ in range(workers)]
    for indexes in sorted(streets.values(), key=len, reverse=True):
        min(shares, key=len).update(indexes)
    return [share for share in shares if share]


def run_workers(places: list[Community], shares: list[set[int]], *args) -> list[dict]:
    """Fork one process per share; each opens its own connection. A worker that fails breaks the barrier,
    so the others stop too instead of waiting for it."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a connection across fork
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(shares)), context.Queue()

    def work(index: int, mine: set[int]) -> None:
        try:
            results.put(run_year(places, mine, Crew(index, len(shares), barrier), *args))
        except BaseException:
            barrier.abort()
            raise
        finally:
            connections.close_all()

    processes = [context.Process(target=work, args=(i, share)) for i, share in enumerate(shares)]
    for process in processes:
        process.start()
    collected = []
    while len(collected) < len(processes):
        try:
            collected.append(results.get(timeout=5))
        except Exception:  # queue.Empty: is everybody still alive?
            if any(p.exitcode not in (None, 0) for p in processes):
                barrier.abort()
                for process in processes:
                    process.join()
                sys.exit("有工作进程失败，见上方的错误。")
    for process in processes:
        process.join()
    return sorted(collected, key=lambda r: r["worker"])


def main() -> None:
    parser = argparse.ArgumentParser(description="双鸭山规模的一年：从诉求到归档，全部经服务层")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="按比例缩放全年数量（默认 1 = 双鸭山一年）")
    parser.add_argument("--workers", type=int, default=2,
                        help="工作进程数，按街道分（默认 2；1 = 在本进程里顺序跑）")
    args = parser.parse_args()
    os.environ["MESSAGING_BACKEND"] = "memory"
    setup(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from yishiting.accounts.models import User
    from yishiting.areas.demo import demo_district
    from yishiting.deliberation.models import ProcessTemplate
    from yishiting.deliberation.services.templates import template_save
    from yishiting.demands.models import Demand

    wanted = {key: max(1, round(value * args.scale)) for key, value in YEAR.items()}
    direct = round(wanted["demands"] * DIRECT_SHARE)
    refused = round(wanted["demands"] * REFUSED_SHARE)
    if Demand.objects.exists():
        sys.exit(f"数据库 {connection.settings_dict['NAME']} 里已有诉求：请换一个空库（--database-url），这样每次从同一起点开始。")
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    print("全年数量：" + "，".join(f"{k} {v:,}" for k, v in wanted.items())
          + f"（其中直接办理 {direct:,}、不予受理 {refused:,}）")
    setup_started = time.perf_counter()
    call_command("demo", scale=4, no_owners=True, stdout=io.StringIO())  # ≈ 100 communities, as Shuangyashan's 102
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("sim-admin")
    template_save(actor=admin, template=ProcessTemplate.objects.get(code="shuangyashan-5fang"), is_default=True)
    per_community = 3 * 60  # enough topics for the meetings a community holds in a year
    places = cast(demo_district(), max(1, min(100, -(-wanted["topics"] // per_community))))
    shares = share_streets(places, max(1, args.workers))
    streets = len({place.area.parent_id for place in places})
    print(f"准备：演示区与 {len(places)} 个社区（{streets} 个街道）的人员 {time.perf_counter() - setup_started:,.1f} 秒；"
          f"{len(shares)} 个工作进程，各 " + "、".join(f"{len(share)}" for share in shares) + " 个社区", flush=True)

    started, cpu_before = time.perf_counter(), own_cpu()
    year = (wanted, direct, refused)
    if len(shares) == 1:
        results = [run_year(places, shares[0], Crew(), *year)]
    else:
        results = run_workers(places, shares, *year)
    tick_started = time.perf_counter()
    call_command("tick", stdout=io.StringIO())  # year end: warnings on the tasks still open
    print(f"  督：年末 yishiting tick（预警）：{time.perf_counter() - tick_started:,.1f} 秒", flush=True)

    total = time.perf_counter() - started
    python_cpu = sum(r["cpu"] for r in results) + (own_cpu() - cpu_before if len(shares) > 1 else 0)
    db_cpu = [r["db_cpu"] for r in results]
    db_text = f"；PostgreSQL 后端 CPU 合计 {sum(db_cpu):,.1f} 秒" if None not in db_cpu else ""
    print(f"合计：墙钟 {total:,.1f} 秒（{total / 60:,.1f} 分钟）；Python 进程 CPU 合计 {python_cpu:,.1f} 秒{db_text}；"
          f"峰值内存（进程常驻集）" + " / ".join(f"{r['peak_mb']:,.0f}" for r in results) + " MB；"
          f"短信 {sum(r['messages'] for r in results):,} 条（memory 后端，计数后丢弃）")
    print(f"归档 {sum(r['archived'] for r in results):,} 件；数据库：{database_label()}；机器：{machine_label()}")


if __name__ == "__main__":
    main()
