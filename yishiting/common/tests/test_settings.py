"""A bad environment stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "YISHITING_TESTING"}}
    clean.update({"YISHITING_VAR_DIR": "/tmp/yishiting-settings-test", **env})
    return subprocess.run([sys.executable, "-m", "yishiting.cli", "check"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("env", "variable"), [
    ({"DEBUG": "false", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
    ({"DEBUG": "maybe"}, "DEBUG"),
    ({"DEBUG": "1", "DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL"),
    ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS"),
    ({"DEBUG": "1", "SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
    ({"DEBUG": "1", "AUDIT_RETENTION_DAYS": "30"}, "AUDIT_RETENTION_DAYS"),
])
def test_bad_environment_is_refused_with_the_variable_named(env, variable):
    result = _start(env)
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_good_environment_starts():
    result = _start({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr
