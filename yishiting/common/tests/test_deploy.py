"""The deployment files in deploy/ (docs/deploy.md): the systemd units pass `systemd-analyze verify`, the nginx
site passes `nginx -t`. Each needs its tool (Debian's `systemd` and `nginx`/`nginx-light` packages,
scripts/system-deps.sh); without it the test is skipped and says which package to install. No database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SITE = DEPLOY / "nginx" / "yishiting.conf"


def test_the_units_and_the_site_are_there():
    assert {unit.name for unit in UNITS} == {
        "yishiting.service",
        "yishiting-worker@.service",
        "yishiting-scheduler.service",
    }
    assert SITE.exists()
    serve = (DEPLOY / "systemd" / "yishiting.service").read_text()
    assert "yishiting serve --no-worker" in serve and "LOG_FORMAT=json" in serve


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None and os.environ.get("CI") != "true",  # CI: missing is a failure
    reason="systemd-analyze not installed (Debian package `systemd`: apt-get install systemd)",
)
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    # The units name /opt/yishiting/.venv/bin/yishiting; verify checks that it is executable, so here it is
    # this checkout's own (the rest of each unit is verified as written).
    venv_bin = Path(sys.executable).parent
    names = []
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/yishiting/.venv/bin", str(venv_bin)))
        names.append(unit.name.replace("@.service", "@1.service"))  # a template is verified as an instance
    done = subprocess.run(
        ["systemd-analyze", "verify", *[f"./{name}" for name in names]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify only warns (exit 0) about an unknown or misspelt setting: any word about our units is a failure
    ours = [line for line in done.stderr.splitlines() if "yishiting" in line]
    assert done.returncode == 0 and not ours, done.stderr


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists() and os.environ.get("CI") != "true",
    reason="nginx not installed (Debian package `nginx-light` or `nginx`)",
)
@pytest.mark.skipif(
    shutil.which("openssl") is None and os.environ.get("CI") != "true", reason="openssl not installed (Debian package `openssl`)"
)
def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = SITE.read_text()
    assert "location = /metrics" in site and "ssl_certificate" in site
    site = (
        site.replace("/etc/ssl/yishiting/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/yishiting/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(f"""pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
{temp}
    access_log {tmp_path}/access.log;
    include {tmp_path}/site.conf;
}}
""")
    done = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", f"{tmp_path}/"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr
