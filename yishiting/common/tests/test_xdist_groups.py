"""The suite's `xdist_group` tests run on one worker (--dist loadgroup), so a crawl's data is built once per pass.

Runs a small suite of its own in a bare pytest with two workers: six tests of one group and six without, each
writing the worker it ran on. Without yishiting.common.xdist_groups (pytest 9.2 + pytest-xdist 3.8) the group's
tests land on both workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CONFTEST = """
from yishiting.common.xdist_groups import keep_groups_together

def pytest_collection_modifyitems(config, items):
    if config.option.loadgroup:
        keep_groups_together(items)
"""

TESTS = """
import os, time
import pytest

def _record(name):
    with open(os.environ["GROUP_LOG"], "a") as log:
        log.write(f"{name} {os.environ['PYTEST_XDIST_WORKER']}\\n")
    time.sleep(0.05)

@pytest.mark.xdist_group("crawl")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    _record(f"grouped[{n}]")

@pytest.mark.parametrize("n", range(6))
def test_loose(n):
    _record(f"loose[{n}]")
"""


def run_suite(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_groups.py").write_text(TESTS)
    log = tmp_path / "workers.log"
    env = {**os.environ, "GROUP_LOG": str(log), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:django",
         "-p", "no:randomly", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return dict(line.split() for line in log.read_text().splitlines())


def test_a_groups_tests_run_on_one_worker(tmp_path):
    ran = run_suite(tmp_path)
    assert len(ran) == 12
    grouped = {worker for name, worker in ran.items() if name.startswith("grouped")}
    assert len(grouped) == 1, f"the group's tests ran on {sorted(grouped)}"
    # the loose tests are still shared out: the other worker is not idle
    assert {worker for name, worker in ran.items() if name.startswith("loose")} - grouped
