"""The lists at city scale (PostgreSQL): the topic index at 100 k topics, 问题清单, an API list page and Open311
requests.json with a million demands — server time per page, p50 and p95.

    .venv/bin/python bench/lists_scale.py                               # 100,000 topics, 1,000,000 demands
    .venv/bin/python bench/lists_scale.py --topics 20000 --demands 200000 --runs 20
    .venv/bin/python bench/lists_scale.py --code /work/main             # the same database, another checkout's code
    .venv/bin/python bench/lists_scale.py --vacuum                      # VACUUM (ANALYZE) the two tables first

Database: yishiting_bench_lists (never a test one; --url to change), holding the demo district (scale 1, 25
communities). The first run loads the topics and demands in the database itself (INSERT … SELECT over
generate_series, spread over the communities' buildings, the categories and three years; one demand in ten
gathered into a topic, each topic's stored demand count filled in); later runs reuse them. Loaded rows carry no
event chain: the lists read none.

Each page is fetched in this process through Django's test client (server time, no network) as a street official
of the first street (the topic index, 问题清单 — and as a community staff member of its first community), through
the API with a bearer token (GET /api/v1/lists/problem) and Open311 with an api_key (requests.json, its default
page and the last 90 days), each as the first page, page 200 and a filtered page, after 3 warm-up fetches.
Page 200 twice: as 下一页 reaches it (?page=200&after=…, keyset) and as a bookmark (?page=200, OFFSET); the API's
page 200 also by next_after (&after=…). Then the lists that counted their whole list per page until session 22
(archive, evaluation rounds, 整改清单, unit ratings, my tasks, claims inbox, legal reviews) — at the demo's
volume of those rows: the loader adds none (their paging is guarded by web/tests/test_list_paging_more.py).
Prints per page the wall-clock median and p95 in ms, the part of it spent in SQL (median / p95), this
process's CPU ms (the Python side: on a busy shared machine the wall clock mostly measures waiting for a CPU)
and the SQL statements of one fetch, and the machine's 1-minute load average when the page's runs ended (the CPU
figure is the one to compare across loads). With --code, another checkout's code (for
"before" figures) reads the same database (no migrate, no load: run once without --code first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import _setup
from _setup import database_label, demo_root, machine_label, percentile, setup
from django.db.models import Q

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_lists"


def _execute(sql: str, params: list | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def load_topics(root, total: int) -> None:
    """`total` topics at the district's communities (skipped when as many are stored), newest spread over 3 years."""
    from yishiting.deliberation.models import Topic

    have = Topic.objects.filter(title__startswith="压测议题").count()
    if have >= total:
        print(f"已有 {have:,} 个压测议题，直接复用。")
        return
    started = time.perf_counter()
    _execute("""CREATE TEMP TABLE bench_communities AS
                SELECT (row_number() OVER (ORDER BY a.path)) - 1 AS i, a.id, a.path FROM areas_area a
                JOIN areas_arealevel l ON l.id = a.level_id WHERE l.code = 'community' AND a.path LIKE %s""",
             [root.path + "%"])
    statuses = "ARRAY['open','analysing','scheduled','resolved','publicising','handling','archived','dropped']"
    _execute(f"""INSERT INTO deliberation_topic (title, description, source, level_area_id, path, scope_area_path,
                     status, proposal_signed, analysis, draft_plan, created_at, demand_count)
                 SELECT '压测议题' || g || (ARRAY['电梯维修','路灯更换','停车位划线','垃圾分类点','加装扶手'])[1 + g %% 5],
                        '', 'demands', c.id, c.path, '', ({statuses})[1 + g %% 8], false, '', '',
                        now() - (g %% 1095) * interval '1 day' - (g %% 86400) * interval '1 second', 0
                 FROM generate_series(%s, %s) g
                 JOIN bench_communities c ON c.i = g %% (SELECT count(*) FROM bench_communities)""",
             [have + 1, total])
    _execute("DROP TABLE bench_communities")
    print(f"载入议题 {total - have:,} 个（{time.perf_counter() - started:.0f} s）", flush=True)


def load_demands(root, total: int, *, days: int = 1095) -> None:
    """`total` demands at the district's buildings over the last `days` days, one in ten gathered into a topic of
    its community."""
    from yishiting.demands.models import Demand

    have = Demand.objects.filter(number__startswith="L").count()
    if have >= total:
        print(f"已有 {have:,} 条压测诉求，直接复用。")
        return
    started = time.perf_counter()
    _execute("""CREATE TEMP TABLE bench_buildings AS
                SELECT (row_number() OVER (ORDER BY b.path)) - 1 AS i, b.id, b.path, c.id AS community_id,
                       c.path AS community_path,
                       (SELECT max(t.id) FROM deliberation_topic t WHERE t.path = c.path) AS topic_id
                FROM areas_area b JOIN areas_arealevel l ON l.id = b.level_id
                JOIN areas_area c ON c.path = substr(b.path, 1, length(c.path))
                JOIN areas_arealevel cl ON cl.id = c.level_id AND cl.code = 'community'
                WHERE l.code = 'building' AND b.path LIKE %s""", [root.path + "%"])
    _execute("CREATE TEMP TABLE bench_categories AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS i, id "
             "FROM demands_category WHERE is_active")
    for start in range(have + 1, total + 1, 200_000):
        end = min(total, start + 199_999)
        _execute("""INSERT INTO demands_demand (number, district_id, text, category_id, channel, urgency, area_id,
                        path, address, reporter_kind, consent_recorded, status, screening_area_id, screening_path,
                        level_area_id, screening_deadline, deadline_warning, outcome, nature, outcome_reason,
                        topic_id, created_at)
                    SELECT 'L' || lpad(g::text, 9, '0'), %s, '压测诉求：楼道灯坏了，晚上看不见路 ' || g, k.id,
                           (ARRAY['online','hotline','home_visit','patrol'])[1 + g %% 4], 'normal', b.id, b.path, '',
                           'self', false, CASE WHEN g %% 10 = 0 AND b.topic_id IS NOT NULL THEN 'topic'
                                               WHEN g %% 10 < 3 THEN 'pending' ELSE 'rejected' END,
                           b.community_id, b.community_path, b.community_id, (now() - s.ago)::date + 7, '',
                           CASE WHEN g %% 10 = 0 AND b.topic_id IS NOT NULL THEN 'topic'
                                WHEN g %% 10 < 3 THEN '' ELSE 'reject' END, '', '',
                           CASE WHEN g %% 10 = 0 THEN b.topic_id END, now() - s.ago
                    FROM generate_series(%s, %s) g
                    CROSS JOIN LATERAL (SELECT (g::bigint * 7919 %% %s) * interval '1 second' AS ago) s
                    JOIN bench_buildings b ON b.i = g %% (SELECT count(*) FROM bench_buildings)
                    JOIN bench_categories k ON k.i = (g / 7) %% (SELECT count(*) FROM bench_categories)""",
                 [root.pk, start, end, days * 86400])
        print(f"  已载入 {end:,} / {total:,} 条（{time.perf_counter() - started:.0f} s）", flush=True)
    _execute("DROP TABLE bench_buildings; DROP TABLE bench_categories")
    _execute("""UPDATE deliberation_topic t SET demand_count = n.n
                FROM (SELECT topic_id, count(*) AS n FROM demands_demand WHERE topic_id IS NOT NULL
                      GROUP BY topic_id) n WHERE n.topic_id = t.id""")
    print(f"载入诉求 {total - have:,} 条（{time.perf_counter() - started:.0f} s）", flush=True)


def persona(area, role: str, label: str):
    """A login at `area` with `role` (created once, reused) and an API token."""
    import secrets

    from django.contrib.auth.hashers import make_password

    from yishiting.accounts.models import User
    from yishiting.accounts.services import token_create
    from yishiting.areas import services

    user, created = User.objects.get_or_create(username=f"bench_lists_{role}_{area.pk}",
                                               defaults={"password": make_password(secrets.token_urlsafe(16))})
    if created:
        person = services.person_create(actor=None, name=label, mobile="", area=area, user=user)
        services.role_assign(actor=None, person=person, role=role, area=area)
    _, secret = token_create(actor=user, name="bench/lists_scale.py")
    return user, secret


def measure(client, path: str, runs: int, headers: dict | None = None) -> dict[str, list[float] | int]:
    """Per fetch of `path` (after 3 warm-up fetches): wall ms, this process's CPU ms (the Python side, without
    waiting for PostgreSQL or for a CPU on a busy machine) and ms spent in SQL; the statements of one fetch and
    its status."""
    from django.db import connection

    sql = {"n": 0, "ms": 0.0}

    def timed(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql["n"] += 1
            sql["ms"] += (time.perf_counter() - started) * 1000

    for _ in range(3):
        client.get(path, headers=headers)
    result: dict = {"wall": [], "cpu": [], "sql": []}
    with connection.execute_wrapper(timed):
        status = client.get(path, headers=headers).status_code
        result["queries"], result["status"] = sql["n"], status
        for _ in range(runs):
            sql["ms"] = 0.0
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(path, headers=headers)
            result["wall"].append((time.perf_counter() - started) * 1000)
            result["cpu"].append((time.process_time() - cpu_started) * 1000)
            result["sql"].append(sql["ms"])
    result["load"] = os.getloadavg()[0]
    return result


def cursor_at(queryset, index: int) -> str:
    """The ?after= position of row `index` of a newest-first list (what 下一页 carries: microseconds, pk)."""
    from datetime import UTC, datetime, timedelta

    moment, pk = queryset.values_list("created_at", "pk")[index]
    return f"{(moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)}_{pk}"


def pages(community_secret: str, street_secret: str, street) -> list[tuple[str, str, str, dict | None]]:
    """(who, label, path, headers) for every page measured. Page 200 as 下一页 reaches it (?page=200&after=…: by
    keyset on this branch; older code ignores `after` and reads by OFFSET) and as a bookmark (?page=200)."""
    from yishiting.deliberation.models import Topic
    from yishiting.demands.models import Demand

    bearer = {"Authorization": f"Bearer {street_secret}"}
    topics = Topic.objects.filter(Q(path__startswith=street.path) | Q(scope_area_path__startswith=street.path))
    problems = Demand.objects.filter(path__startswith=street.path, category__list_kind="problem")
    topic_after = cursor_at(topics.order_by("-created_at", "-pk"), 199 * 30 - 1)
    problem_after = cursor_at(problems.order_by("-created_at", "-pk"), 199 * 30 - 1)
    return [
        ("street", "/topics/ 第 1 页", "/topics/", None),
        ("street", "/topics/ 第 200 页（下一页）", f"/topics/?page=200&after={topic_after}", None),
        ("street", "/topics/ ?page=200（书签）", "/topics/?page=200", None),
        ("street", "/topics/ 按状态筛选", "/topics/?status=open", None),
        ("street", "/topics/ 查找“电梯”", "/topics/?q=电梯", None),
        ("street", "/topics/ 查找“词语”（两字，无结果）", "/topics/?q=词语", None),
        ("street", "/topics/ 查找“灯”（一字）", "/topics/?q=灯", None),
        ("street", "/topics/ 查找“电梯维修”", "/topics/?q=电梯维修", None),
        ("street", "/topics/ 查找“议题99999”（少见）", "/topics/?q=议题99999", None),
        ("community", "/topics/ 第 1 页（社区）", "/topics/", None),
        ("street", "/lists/problem/ 第 1 页", "/lists/problem/", None),
        ("street", "/lists/problem/ 第 200 页（下一页）", f"/lists/problem/?page=200&after={problem_after}", None),
        ("street", "/lists/problem/ ?page=200（书签）", "/lists/problem/?page=200", None),
        ("street", "/lists/problem/ 待筛选+渠道", "/lists/problem/?status=pending&channel=hotline", None),
        ("community", "/lists/problem/ 第 1 页（社区）", "/lists/problem/", None),
        ("street", "/lists/responsibility/ 第 1 页", "/lists/responsibility/", None),
        ("street", "/demands/inbox/ 本级及下级", "/demands/inbox/?below=on", None),
        ("street", "/demands/inbox/ 本级及下级第 50 页", "/demands/inbox/?below=on&page=50", None),
        ("street", "API /lists/problem 第 1 页", "/api/v1/lists/problem", bearer),
        ("street", "API /lists/problem 第 200 页", "/api/v1/lists/problem?page=200&page_size=30", bearer),
        ("street", "API /lists/problem 第 200 页（next_after）",
         f"/api/v1/lists/problem?page=200&page_size=30&after={problem_after}", bearer),
        ("street", "API /demands?status=pending", "/api/v1/demands?status=pending", bearer),
        # the pages that counted their whole list per page (Paginator) until this branch; demo volume of rows
        ("street", "/archive/ 一事一档", "/archive/", None),
        ("street", "/evaluations/ 评价轮次", "/evaluations/", None),
        ("street", "/oversight/rectifications/ 整改清单", "/oversight/rectifications/", None),
        ("street", "/oversight/ratings/ 单位评级", "/oversight/ratings/", None),
        ("community", "/tasks/mine/ 我的任务", "/tasks/mine/", None),
        ("community", "/claims/inbox/ 住户申报", "/claims/inbox/", None),
        ("street", "/legal-reviews/ 合法性审查", "/legal-reviews/?status=", None),
        ("street", "Open311 requests.json", f"/open311/v2/requests.json?api_key={street_secret}", None),
        ("street", "Open311 requests.json 第 5 页", f"/open311/v2/requests.json?api_key={street_secret}&page=5",
         None),
        ("street", "Open311 status=open", f"/open311/v2/requests.json?api_key={street_secret}&status=open", None),
        ("community", "Open311 requests.json（社区）",
         f"/open311/v2/requests.json?api_key={community_secret}", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL 数据库（不能是测试库）")
    parser.add_argument("--topics", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="每页测量次数")
    parser.add_argument("--vacuum", action="store_true", help="测量前 VACUUM (ANALYZE)（载入后第一次要）")
    parser.add_argument("--code", help="用另一份代码（如 /work/main）读同一个库，得出改前的数字；不迁移、不载入")
    args = parser.parse_args()
    if args.code:  # setup() puts ROOT first on sys.path: the other checkout's, so its code is the one imported
        _setup.ROOT = Path(args.code).resolve()
    setup(args.url, migrate=not args.code)

    from django.db import connection
    from django.test import Client

    from yishiting.areas.choices import Role
    from yishiting.areas.models import Area

    root = demo_root()
    if not args.code:
        load_topics(root, args.topics)
        load_demands(root, args.demands)
        if args.vacuum:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) deliberation_topic, demands_demand")
    street = Area.objects.filter(parent=root).order_by("path").first()
    community = Area.objects.filter(parent=street).order_by("path").first()
    street_user, street_secret = persona(street, Role.STREET_OFFICIAL, "压测街道干部")
    community_user, community_secret = persona(community, Role.COMMUNITY_STAFF, "压测社区工作人员")
    clients = {"street": Client(HTTP_HOST="localhost"), "community": Client(HTTP_HOST="localhost")}
    clients["street"].force_login(street_user)
    clients["community"].force_login(community_user)
    import yishiting

    print(f"数据库：{database_label()}；机器：{machine_label()}；代码：{Path(yishiting.__file__).parent.parent}")
    from yishiting.deliberation.models import Topic
    from yishiting.demands.models import Demand

    print(f"议题 {Topic.objects.count():,} 个，诉求 {Demand.objects.count():,} 条；{street.name}（街道干部）、"
          f"{community.name}（社区工作人员）；每页 {args.runs} 次")
    print("| 页面 | 中位 ms | p95 ms | 其中 SQL 中位 / p95 ms | 本进程 CPU 中位 / p95 ms | SQL 条数 | 状态 | 1 分钟负载 |\n"
          "|---|---|---|---|---|---|---|---|")
    for who, label, path, headers in pages(community_secret, street_secret, street):
        r = measure(clients[who], path, args.runs, headers)
        print(f"| {label} | {statistics.median(r['wall']):.1f} | {percentile(r['wall'], 0.95):.1f} | "
              f"{statistics.median(r['sql']):.1f} / {percentile(r['sql'], 0.95):.1f} | "
              f"{statistics.median(r['cpu']):.1f} / {percentile(r['cpu'], 0.95):.1f} | {r['queries']} | {r['status']} | "
              f"{r['load']:.1f} |", flush=True)
    print(f"测完时：{machine_label()}")


if __name__ == "__main__":
    main()
