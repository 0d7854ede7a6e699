"""The meeting plan page and the people/organization pickers on the default demo district (`yishiting demo`:
5 streets × 5 communities, about 20,000 households): the plan page's size and time, and each picker search's
time, as the first community's secretary (in this process, through Django's test client: the server's own
time, without the network).

    .venv/bin/python bench/pickers.py --database-url postgresql://postgres@127.0.0.1:5432/yishiting_bench_pickers
    .venv/bin/python bench/pickers.py --runs 50                # default: 30 runs of each, after 3 warm-ups
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from _setup import database_label, machine_label, setup

TOPIC_TITLE = "压测：3号楼加装电梯"
# (what is searched, picker URL, parameters): a surname, pinyin initials, a building, a role, an organization
SEARCHES = [
    ("姓氏“王”", "/meetings/invitees/", {"invitee_q": "王"}),
    ("拼音首字母 wjh", "/meetings/invitees/", {"invitee_q": "wjh"}),
    ("楼栋“3号楼”", "/meetings/invitees/", {"invitee_q": "3号楼"}),
    ("楼栋“3栋”", "/meetings/invitees/", {"invitee_q": "3栋"}),
    ("角色“业主”", "/meetings/invitees/", {"invitee_q": "业主"}),
    ("单位“人民医院”", "/meetings/invitees/", {"invitee_q": "人民医院"}),
    ("监督小组：楼栋“3号楼”", "/pick/member/", {"name": "person", "person_q": "3号楼"}),
    ("经办人：“执法”", "/pick/handler/", {"name": "handler_role", "handler_role_q": "执法"}),
    ("责任单位：“物业”", "/pick/organization/", {"name": "organization", "organization_q": "物业"}),
]


def ensure_demo() -> None:
    from django.core.management import call_command

    from yishiting.areas.demo import demo_district
    from yishiting.areas.models import Household

    if demo_district() is None or Household.objects.count() < 15_000:
        started = time.perf_counter()
        call_command("demo", force=True, stdout=io.StringIO())
        print(f"已生成默认演示区：{time.perf_counter() - started:.1f} 秒")


def the_topic():
    """A topic of the first community about one of its buildings (made once, then reused)."""
    from yishiting.areas.models import Area, RoleAssignment
    from yishiting.deliberation.models import Topic
    from yishiting.deliberation.services.topics import topic_propose

    community = Area.objects.filter(level__code="community").order_by("path").first()
    secretary = RoleAssignment.objects.get(role="community_secretary", path=community.path, is_active=True).person.user
    topic = Topic.objects.filter(title=TOPIC_TITLE, level_area=community).first()
    if topic is None:
        estate = Area.objects.filter(parent=community).order_by("path").first()
        building = Area.objects.filter(parent=estate).order_by("path")[2]
        topic = topic_propose(actor=secretary, title=TOPIC_TITLE, description="老人多，上下楼难。",
                              level_area=community, scope_area=building)
    return secretary, topic


def timed(client, url: str, params: dict, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url, params)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return seconds, len(response.content), len(queries)


def report(label: str, seconds: list[float], size: int, queries: int, rows: str = "") -> None:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"{label}：中位 {statistics.median(seconds) * 1000:.1f} ms，p95 {p95 * 1000:.1f} ms，"
          f"{size / 1024:.1f} KB，{queries} 条 SQL{rows}")


def main() -> None:
    parser = argparse.ArgumentParser(description="会议安排页和人员/单位选择器（默认演示区）")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/yishiting_bench_pickers",
                        help="压测用数据库（不能是 test）")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup(args.database_url)
    ensure_demo()

    from django.db import connection
    from django.test import Client

    from yishiting.areas.models import Household, Organization, Person

    secretary, topic = the_topic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    client = Client(HTTP_HOST="localhost")
    client.force_login(secretary)
    print(f"数据库：{database_label()}；机器：{machine_label()}")
    print(f"演示区：住户 {Household.objects.count():,}，人员 {Person.objects.count():,}，"
          f"组织 {Organization.objects.count():,}；议题“{topic.title}”（{topic.level_area.full_name}，"
          f"范围 {topic.scope.name}）；{args.runs} 次，先预热 3 次")
    seconds, size, queries = timed(client, "/meetings/new/", {"topic": topic.pk}, args.runs)
    listed = client.get("/meetings/new/", {"topic": topic.pk}).content.decode().count('name="party-')
    report("会议安排页", seconds, size, queries, f"，预先列出 {listed} 人")
    for label, url, params in SEARCHES:
        seconds, size, queries = timed(client, url, {**params, "topic": topic.pk}, args.runs)
        html = client.get(url, {**params, "topic": topic.pk}).content.decode()
        rows = html.count('name="extra"') + html.count('type="radio"')
        more = "，还有更多" if "还有更多" in html else ""
        report(f"查找 {label}", seconds, size, queries, f"，{rows} 行{more}")


if __name__ == "__main__":
    main()
