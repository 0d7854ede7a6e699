"""The installed `yishiting` console command, run as a user would, against a fresh SQLite database."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BIN = Path(shutil.which("yishiting") or Path(__file__).resolve().parents[3] / ".venv/bin/yishiting")


# One worker runs this module and test_serve_granian.py, which share the migrated database (root conftest.py).
pytestmark = pytest.mark.xdist_group("migrated-sqlite")


@pytest.fixture(scope="module")
def run(tmp_path_factory, migrated_sqlite):
    """`yishiting` with its default database under a fresh var/: the file `yishiting migrate` made (the
    session's migrated_sqlite, which checks that the command succeeded)."""
    var = tmp_path_factory.mktemp("var")
    migrated_sqlite(var / "yishiting.sqlite3")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "YISHITING_TESTING"}}
    env.update({"YISHITING_VAR_DIR": str(var), "DEBUG": "1"})

    def _run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=300)

    result = _run("migrate", "--noinput", "-v", "0")  # the console command finds nothing left to apply
    assert result.returncode == 0, result.stderr
    return _run


def test_short_names_run_the_project_commands(run):
    result = run("verify")
    assert result.returncode == 0, result.stderr
    assert "全部校验通过" in result.stdout
    result = run("purge-audit")
    assert result.returncode == 0 and "已删除 0 条" in result.stdout


def test_import_areas_reports_a_missing_file_in_chinese(run):
    result = run("import-areas", "/nonexistent/areas.xlsx")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_unknown_command_fails_with_a_message(run):
    result = run("no-such-command")
    assert result.returncode == 1
    assert "Unknown command" in result.stderr


def test_serve_refuses_a_port_another_server_listens_on(run):
    """granian binds with SO_REUSEPORT: without the check a second `serve` would start beside the first and the
    kernel would share the connections between both sites. A listener with that option holds the port here."""
    import socket

    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run("serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic")
    assert result.returncode != 0
    assert f"端口 {port} 已被占用" in result.stderr
    assert "Traceback" not in result.stderr
