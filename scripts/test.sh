#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL (DATABASE_URL, default the local `test` database).
# Under CI=true a missing PostgreSQL is a failure; elsewhere it is reported and the PostgreSQL run skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# Two workers by default (the machines have 2 cores). Tests are handed out one by one in pytest-django's order
# (plain database tests first, then those with transaction=True, which flush the tables): grouping every file
# would run a flushing test before another file's plain tests on the same worker. Only the modules marked
# xdist_group go whole to one worker (--dist loadgroup): test_cli.py and test_serve_granian.py, whose migrated
# database and server take a minute to set up on a busy machine; they come last in that order (no database),
# where xdist hands out the smallest chunks and split them between both workers. A group's tests must all be of
# one kind (plain, transactional, or no database), so the order above holds. TEST_WORKERS=0 runs in-process.
# --durations=10: each pass ends with its ten slowest tests, so a test that grows slow is seen in CI's log.
args=(-n "${TEST_WORKERS:-2}" --dist loadgroup --durations=10 "$@")
# Both passes share one directory: each pass migrates once into a template its workers copy, and the PostgreSQL
# pass's console tests reuse the SQLite pass's migrated file (yishiting/common/testdb.py).
YISHITING_TEST_SHARE="$(mktemp -d -t yishiting-tests.XXXXXX)"
export YISHITING_TEST_SHARE
trap 'rm -rf "$YISHITING_TEST_SHARE"' EXIT
status=0

echo "== 测试（SQLite）=="
env -u DATABASE_URL "$BIN/pytest" -q "${args[@]}" || status=1

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL 不可用：{exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== 测试（PostgreSQL）=="
  DATABASE_URL="$PG_URL" "$BIN/pytest" -q "${args[@]}" || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "错误：CI=true 时必须在 PostgreSQL 上运行测试，但 $PG_URL 无法连接。" >&2
  status=1
else
  echo "警告：PostgreSQL 不可用，本次只在 SQLite 上运行了测试。" >&2
fi
exit $status
