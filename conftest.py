import gc
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.test import testcases


class _OneRequestAtATime(testcases.ThreadedWSGIServer):
    """The live server on in-memory SQLite shares the test's one database connection with every request thread
    (Django's connections_override): two requests at once (a page's nine thumbnails) would interleave their
    savepoints on it. Requests there take turns; on PostgreSQL each thread has its own connection, as in
    production, and they run at once."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


def _create_server(self, connections_override=None):
    server_class = _OneRequestAtATime if connections_override else self.server_class
    return server_class((self.host, self.port), testcases.QuietWSGIRequestHandler, allow_reuse_address=False,
                        connections_override=connections_override)


testcases.LiveServerThread._create_server = _create_server

# The tests that commit reset the database in a fraction of Django's time (yishiting/common/testdb.py).
from yishiting.common import testdb  # noqa: E402

testdb.install()


def pytest_sessionfinish(session, exitstatus):
    """The browser tests share one Chromium per process (yishiting/web/tests/test_browser.py): close it while
    its thread still runs, before the interpreter's exit stops thread pools."""
    browser_tests = sys.modules.get("yishiting.web.tests.test_browser")
    if browser_tests is not None:
        browser_tests.shared_chromium.stop()


@pytest.fixture(autouse=True)
def _fresh_local_caches():
    """Each test starts with empty per-process caches: a test's rolled-back rows fire no signal."""
    from yishiting.common.localcache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def _sites_language_after():
    """A safety net: the language middleware puts the thread's language back after each response, but a test that
    activates English itself and fails before undoing it must not leave the next test in English."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db):
    """The fixed personas and their area tree (yishiting.common.testing): built once per process, restored per test."""
    from yishiting.common import testing

    return testing.world()


@pytest.fixture
def messages_outbox(settings):
    """Route text messages to memory and hand back the list they land in."""
    from yishiting.common import messaging

    settings.MESSAGING_BACKEND = "memory"
    messaging.outbox.clear()
    return messaging.outbox


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """Copy into a path a migrated SQLite database file: the tests that start the console command or the server as
    subprocesses (test_cli.py, test_serve_granian.py) start from it instead of migrating again — about thirty
    seconds of CPU, minutes on a busy machine. It is the template this run's SQLite test databases were copied
    from (or the SQLite pass's, kept for the PostgreSQL pass by scripts/test.sh); only without one does
    `yishiting migrate` make it here. The console tests run `migrate` on their copy again either way."""
    var = tmp_path_factory.mktemp("migrated")
    share = testdb.share_dir()
    template = testdb.sqlite_template(share) if share else None

    def copy_to(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(var / "db.sqlite3", path)
        return path

    if template is not None and template.exists():  # the migrations this run's SQLite test databases came from
        shutil.copyfile(template, var / "db.sqlite3")
        return copy_to
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "YISHITING_TESTING"}}
    env.update({"YISHITING_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}", "DEBUG": "1"})
    result = subprocess.run([sys.executable, "-m", "yishiting.cli", "migrate", "--noinput", "-v", "0"],
                            cwd=Path(__file__).parent, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list(var.glob("db.sqlite3-*")), "the migrate process left its write-ahead log behind"
    return copy_to


def pytest_collection_modifyitems(config, items):
    _refuse_transactional_without_serialized_rollback(items)
    if getattr(config.option, "loadgroup", False):  # pytest-xdist's --dist loadgroup
        from yishiting.common.xdist_groups import keep_groups_together

        keep_groups_together(items)


def _refuse_transactional_without_serialized_rollback(items):
    """A transaction=True test must also restore the serialized database (serialized_rollback=True). One that does
    not lets its closing flush re-create content types and permissions, and the next restoring test on that worker
    then fails at setup with a duplicate key (PostgreSQL; SQLite skips most race tests). Refuse it at collection,
    naming the test, rather than as 50 errors in other files."""
    bad = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker and marker.kwargs.get("transaction")) or "live_server" in getattr(item, "fixturenames", ())
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            bad.append(item.nodeid)  # live_server makes a test transactional even without the marker
    if bad:
        raise pytest.UsageError("transaction=True（或使用 live_server）的测试须同时 serialized_rollback=True：\n  " + "\n  ".join(bad))


RACES_ONLY_ON_POSTGRESQL = "只在 PostgreSQL 上有真正的并发写；同一测试在 PostgreSQL 轮次中运行"


def pytest_collection_finish(session):
    """Once the tests are collected, what is alive (Django, every module and test module, their objects: ~380,000)
    lives to the end of the process: frozen, the collector's full passes no longer walk it. The crawls' data
    builds made ~50 full passes of about a quarter of a second each; with the frozen objects out of them and the
    first generation collected every 2,000 net allocations instead of 700, the crawl spent 12 s in the collector
    instead of 19–22 s (two personas of test_crawl.py; README, "测试")."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)  # after pytest's own tmp_path plugin has set up config._tmp_path_factory
def pytest_configure(config):
    gc.set_threshold(2000, 10, 10)  # the first generation every 2,000 net allocations (Python's default: 700)
    config.addinivalue_line("markers", "races: concurrent writes racing; skipped on SQLite (it serializes every "
                                       "write), run in the PostgreSQL round")
    # The directory the workers of one run share for the migrated template (yishiting/common/testdb.py): the
    # run's own temporary directory, unless scripts/test.sh gives one that outlives the pass.
    factory = getattr(config, "_tmp_path_factory", None)
    if os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("YISHITING_TEST_SHARE") and factory is not None:
        os.environ["YISHITING_TEST_SHARE"] = str(factory.getbasetemp().parent)


def pytest_runtest_setup(item):
    """`@pytest.mark.races` (or `pytestmark`): the one place that skips the races on SQLite, instead of a copy of
    the same fixture or `if` in every concurrency test file."""
    if item.get_closest_marker("races") is not None:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip(RACES_ONLY_ON_POSTGRESQL)
