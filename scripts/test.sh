#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL (PG_URL, default the local `test` database), both passes at once.
# Under CI=true a missing PostgreSQL is a failure; elsewhere it is reported and the PostgreSQL run skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# Two workers by default (the machines have 2 cores). Tests are handed out one by one in pytest-django's order
# (plain database tests first, then those with transaction=True, which flush the tables): grouping every file
# would run a flushing test before another file's plain tests on the same worker. Only the tests marked
# xdist_group go whole to one worker (--dist loadgroup), and xdist hands the groups out first, the largest first:
# the crawls (plain database tests whose data takes ~45 s to build: test_crawl.py, test_crawl_staff_only.py and
# the English pages of test_english.py are one group sharing one build, web/tests/crawl_session.py;
# test_crawl_demo.py crawls the demo district), the
# demo's history (demo/tests/test_history.py, ~45 s), the replica cluster (common/tests/test_replica.py), the
# pgbouncer tests and the console tests (test_cli.py, test_serve_granian.py: no database, a migrated file and a
# server to set up) — module-scoped set-ups that a worker would otherwise build again each time it came back to
# the module between other files' tests. The
# long groups first leave the short tests to even out the workers at the end. A group's tests must all be of
# one kind (plain, transactional, or no database), so the order above holds. TEST_WORKERS=0 runs in-process.
# pytest 9.2 no longer reads the group suffix pytest-xdist 3.8 writes: yishiting/common/xdist_groups.py (called
# from conftest.py) writes it where pytest reads it, and common/tests/test_xdist_groups.py shows a group stays whole.
# --durations=10: each pass ends with its ten slowest tests, so a test that grows slow is seen in CI's log.
args=(-n "${TEST_WORKERS:-2}" --dist loadgroup --durations=10 "$@")
# Both passes share one directory: each pass migrates once into a template its workers copy, and the PostgreSQL
# pass's console tests reuse the SQLite pass's migrated file (yishiting/common/testdb.py).
YISHITING_TEST_SHARE="$(mktemp -d -t yishiting-tests.XXXXXX)"
export YISHITING_TEST_SHARE
trap 'rm -rf "$YISHITING_TEST_SHARE"' EXIT
status=0

pg_ok=0
if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL 不可用：{exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  pg_ok=1
elif [ "${CI:-}" = "true" ]; then
  echo "错误：CI=true 时必须在 PostgreSQL 上运行测试，但 $PG_URL 无法连接。" >&2
  status=1
else
  echo "警告：PostgreSQL 不可用，本次只在 SQLite 上运行测试。" >&2
fi

sqlite_pass() { env -u DATABASE_URL "$BIN/pytest" -q "${args[@]}"; }
postgres_pass() { DATABASE_URL="$PG_URL" "$BIN/pytest" -q "${args[@]}"; }

if [ "${TEST_PASSES:-parallel}" = "serial" ] || [ "$pg_ok" = 0 ]; then
  echo "== 测试（SQLite）=="
  sqlite_pass || status=1
  if [ "$pg_ok" = 1 ]; then
    echo "== 测试（PostgreSQL）=="
    postgres_pass || status=1
  fi
else
  # Both passes at once (TEST_PASSES=serial runs one after the other): their waits (PostgreSQL's commits, the
  # browser, the servers started as subprocesses) overlap, and on a machine busy with other work the suite gets a
  # fairer share of it. Each pass's output is printed whole when it ends, so the two never interleave.
  sqlite_log="$YISHITING_TEST_SHARE/sqlite.log"
  postgres_log="$YISHITING_TEST_SHARE/postgres.log"
  echo "两轮测试同时运行：SQLite 与 PostgreSQL（各 ${TEST_WORKERS:-2} 个进程），每轮结束后输出它的结果……"
  sqlite_pass > "$sqlite_log" 2>&1 &
  sqlite_pid=$!
  postgres_pass > "$postgres_log" 2>&1 &
  postgres_pid=$!
  wait "$sqlite_pid" || status=1
  echo "== 测试（SQLite）=="
  cat "$sqlite_log"
  wait "$postgres_pid" || status=1
  echo "== 测试（PostgreSQL）=="
  cat "$postgres_log"
fi
exit $status
