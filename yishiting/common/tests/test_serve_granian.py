"""`yishiting serve` for real: granian (WSGI) started as a subprocess on a free port, spoken to over HTTP the way a
browser or an API client does — static files, the login form, a demand with a photo, the upload limits, PDF
downloads, an idempotent API retry, and a clean stop on SIGTERM.

The server gets its own SQLite file and var/ directory (also under the PostgreSQL run), filled once per module: a
copy of the database `yishiting migrate` made for this test process (root conftest.py, shared with test_cli.py),
then the test personas' world with one archived matter (a dossier and its meeting's minutes).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from PIL import Image

from yishiting.common.testing import PERSONA_PASSWORD
from yishiting.demands.photos import MAX_BYTES as PHOTO_MAX_BYTES

# The server's setup (migrated database, collectstatic, two granian workers loading Django) takes a minute on a busy
# machine: one xdist worker runs the whole module, with test_cli.py which shares the migrated database.
pytestmark = pytest.mark.xdist_group("migrated-sqlite")

REPO = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"
REQUEST_LIMIT = 2 * 1024 * 1024  # config/settings.py: DATA_UPLOAD_MAX_MEMORY_SIZE when MAX_REQUEST_BYTES is unset
UPLOAD_LIMIT = 60 * 1024 * 1024  # config/settings.py: MAX_UPLOAD_BYTES unset, a whole multipart body
GPS_IFD = 0x8825
# What config/settings.py and `serve` read from the environment: the server gets only the values set below.
SETTINGS_ENV = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "YISHITING_TESTING", "YISHITING_VAR_DIR", "SECRET_KEY",
                "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES", "BEHIND_TLS_PROXY",
                "FAST_PATHS", "DB_POOLER", "DB_PARALLEL_WORKERS", "MAX_REQUEST_BYTES", "MAX_UPLOAD_BYTES", "IMPORT_MAX_BYTES", "MESSAGING_BACKEND", "MESSAGING_EMAIL_TO",
                "EMAIL_BACKEND", "LOG_LEVEL", "BIND", "WEB_WORKERS", "WEB_THREADS", "LOGIN_MAX_FAILURES",
                "LOGIN_LOCKOUT_MINUTES", "SESSION_IDLE_MINUTES", "AUDIT_RETENTION_DAYS", "SMS_CODE_TTL_SECONDS",
                "SMS_CODE_RESEND_SECONDS", "TASKS_BACKEND", "JOBS_EMBEDDED", "LOG_FORMAT", "METRICS_ALLOWED_NETS",
                "METRICS_TOKEN", "METRICS_DIR", "PROMETHEUS_MULTIPROC_DIR"}
# One archived matter in the personas' world (yishiting.common.testing): its dossier and its meeting's minutes.
PREPARE = """
import json
from yishiting.common.testing import build_world
from yishiting.deliberation.models import Meeting
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
world = build_world()
topic = evaluating_topic(world)
dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
meeting = Meeting.objects.get(agenda__topic=topic)
print("WORLD " + json.dumps({"building": world.areas["B1"].pk, "dossier": dossier.pk, "meeting": meeting.pk}))
"""


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"Spawning worker-\d+ with PID: (\d+)", self.output())]

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to the main process and its workers (by PID) if it does not stop."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                for pid in [self.proc.pid, *self.workers()]:
                    if _alive(pid):
                        os.kill(pid, signal.SIGKILL)
                self.proc.wait(5)


@dataclass
class Site:
    var: Path
    env: dict[str, str]
    ids: dict[str, int]
    started: list[Server] = field(default_factory=list)  # every process started, stopped at the end
    server: Server | None = None  # the one the tests talk to

    @property
    def url(self) -> str:
        return self.server.url


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _yishiting(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "yishiting.cli", *args], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def start_server(site: Site, *options: str) -> Server:
    """`yishiting serve` on a free port, ready once /api/v1/health answers 200 and the log says it is ours."""
    for _attempt in range(3):
        port = _free_port()
        log = site.var / f"server-{port}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "yishiting.cli", "serve", "--bind", f"{HOST}:{port}",
                                     "--workers", "2", "--threads", "4", *options],
                                    cwd=REPO, env=site.env, stdout=out, stderr=subprocess.STDOUT)
        server = Server(proc, port, log)
        site.started.append(server)
        if _wait_ready(server):
            return server
        if "Address already in use" not in server.output():  # another process took the port: try another
            break
    pytest.fail(f"`yishiting serve` did not start:\n{server.output()[-3000:]}")


def _wait_ready(server: Server, timeout: float = 120) -> bool:
    """Each worker loads Django on its first request: a second or more on a busy machine."""
    deadline = time.monotonic() + timeout
    with _Session() as probe:
        while time.monotonic() < deadline and server.proc.poll() is None:
            try:
                ready = probe.get(server.url + "/api/v1/health", timeout=15).status_code == 200
            except requests.RequestException:
                ready = False
            if ready and f"Listening at: {server.url}" in server.output():
                return True
            time.sleep(0.1)
    server.stop()
    return False


class _Session(requests.Session):
    """Never through a proxy from the environment; never waits forever on a server that hangs."""

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False

    def request(self, *args, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return super().request(*args, **kwargs)


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_sqlite) -> Iterator[Site]:
    var = tmp_path_factory.mktemp("granian")
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    env.update({"YISHITING_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
                "SECRET_KEY": "granian-test-" + uuid.uuid4().hex, "DEBUG": "false", "ALLOWED_HOSTS": HOST,
                "SECURE_COOKIES": "false", "MESSAGING_BACKEND": "console", "PYTHONUNBUFFERED": "1",
                "JOBS_EMBEDDED": "false",  # no background worker beside these servers (test_jobs.py tests it)
                "TMPDIR": str(var / "spool")})  # where uploads are spooled while read: looked at after a refusal
    (var / "spool").mkdir()
    migrated_sqlite(var / "db.sqlite3")
    ids = json.loads(re.search(r"^WORLD (.+)$", _yishiting(env, "shell", "-c", PREPARE), re.M).group(1))
    site = Site(var, env, ids)
    try:
        site.server = start_server(site)  # with collectstatic, as in production
        yield site
    finally:
        for server in site.started:
            server.stop()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def login(site: Site, username: str) -> requests.Session:
    """The web login form: the page sets the CSRF cookie, the form posts the token with the password."""
    browser = _Session()
    page = browser.get(site.url + "/login/")
    assert page.status_code == 200 and "csrftoken" in browser.cookies
    response = browser.post(site.url + "/login/", allow_redirects=False, data={
        "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"), "username": username,
        "password": PERSONA_PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "sessionid" in browser.cookies
    return browser


def api_client(site: Site, username: str) -> requests.Session:
    """A script's first token: POST /api/v1/tokens with the username and password."""
    client = _Session()
    response = client.post(site.url + "/api/v1/tokens", json={"name": "脚本", "username": username,
                                                                "password": PERSONA_PASSWORD})
    assert response.status_code == 201, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['secret']}"
    return client


@pytest.fixture(scope="module")
def resident(site) -> requests.Session:
    return login(site, "resident")


def photo(width: int = 1280, height: int = 960, *, size: int = 0) -> bytes:
    """A phone photo: a noisy JPEG with the GPS position in its EXIF, padded to `size` bytes if asked."""
    image = Image.merge("RGB", [Image.effect_noise((width, height), 40 + 10 * band) for band in range(3)])
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue() + b"\0" * max(0, size - out.tell())


def submit_demand(site: Site, browser: requests.Session, text: str, jpeg: bytes) -> requests.Response:
    """Fill in 反映问题 as the page hands it out (CSRF token, the form's own idempotency token) with one photo."""
    form = browser.get(site.url + "/demands/new/").text
    return browser.post(site.url + "/demands/new/", allow_redirects=False, data={
        "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"), "token": hidden(form, "token"), "text": text,
        "area": site.ids["building"], "address": "3栋1单元门口", "urgency": "normal",
    }, files={"photos": ("IMG_0001.jpg", jpeg, "image/jpeg")})


def test_static_files_are_served_and_gzipped_for_browsers_that_accept_it(site):
    page = _Session().get(site.url + "/login/").text
    assert 'href="/static/web/app.css"' in page
    conn = http.client.HTTPConnection(HOST, site.server.port, timeout=10)
    conn.request("GET", "/static/web/app.css")  # http.client sends no Accept-Encoding of its own
    plain = conn.getresponse()
    body = plain.read()
    assert plain.status == 200 and plain.getheader("Content-Encoding") is None
    assert body == (site.var / "static/web/app.css").read_bytes() and int(plain.getheader("Content-Length")) == len(body)
    conn.request("GET", "/static/web/app.css", headers={"Accept-Encoding": "gzip"})
    zipped = conn.getresponse()
    raw = zipped.read()
    assert zipped.status == 200 and zipped.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in zipped.getheader("Vary") and int(zipped.getheader("Content-Length")) == len(raw)
    assert len(raw) < len(body) / 2 and gzip.decompress(raw) == body
    conn.close()


def test_no_response_names_the_server_software_and_static_files_cannot_be_framed(site):
    """A page, a static file, a JSON answer and a fast-path refusal: none says "granian" (an empty Server header
    replaces it) and the static file carries the same X-Frame-Options as the pages."""
    client = api_client(site, "resident")
    answers = {
        "page": _Session().get(site.url + "/login/"),
        "static": _Session().get(site.url + "/static/web/app.css"),
        "api": client.get(site.url + "/api/v1/health"),
        "fast path": client.post(site.url + "/api/v1/demands", data="{", headers={"Content-Type": "application/json"}),
    }
    for kind, response in answers.items():
        assert response.headers.get("Server") == "", (kind, response.headers.get("Server"))
    assert answers["static"].status_code == 200 and answers["static"].headers["X-Frame-Options"] == "DENY"
    assert answers["fast path"].status_code in (400, 422)


def test_metrics_add_up_the_figures_of_both_granian_processes(site):
    """Two granian workers, each counting in its own file under var/metrics (multiprocess mode): every scrape,
    whichever process answers it, counts every request (docs/deploy.md)."""
    def health_count(text: str) -> float:
        found = re.search(r'yishiting_http_responses_total\{method="GET",route="api:health",status="200"\} (\S+)', text)
        return float(found.group(1)) if found else 0.0

    before = health_count(_Session().get(site.url + "/metrics").text)
    for _ in range(20):  # a new connection each: the kernel spreads them over both processes
        reply = _Session().get(site.url + "/api/v1/health", headers={"X-Request-ID": "granian-metrics-1"})
        assert reply.status_code == 200 and reply.headers["X-Request-ID"] == "granian-metrics-1"
    for _ in range(4):  # each scrape sums both processes' files
        scrape = _Session().get(site.url + "/metrics")
        assert scrape.status_code == 200 and scrape.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        assert health_count(scrape.text) == before + 20
    writers = {path.stem.rsplit("_", 1)[-1] for path in (site.var / "metrics").glob("*.db")}
    assert len(writers) >= 2, writers  # both processes counted requests


def test_a_resident_logs_in_and_reports_a_problem_with_a_photo(site, resident):
    jpeg = photo()
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(GPS_IFD)  # the phone recorded where it was taken
    text = "幸福苑3栋门口的路灯坏了三天，晚上出门很黑"
    response = submit_demand(site, resident, text, jpeg)
    assert response.status_code == 302, response.text[-2000:]
    done = resident.get(site.url + response.headers["Location"]).text
    number = re.search(r'id="demand-number">([^<]+)<', done).group(1)
    assert number in resident.get(site.url + "/demands/mine/").text
    pk = re.search(r"/demands/(\d+)/done/", response.headers["Location"]).group(1)
    detail = resident.get(f"{site.url}/demands/{pk}/").text
    assert text in detail
    photo_url = re.search(rf'/demands/{pk}/photos/\d+/', detail).group(0)
    stored = resident.get(site.url + photo_url)
    assert stored.status_code == 200 and stored.headers["Content-Type"] == "image/jpeg"
    assert int(stored.headers["Content-Length"]) == len(stored.content)
    kept = Image.open(io.BytesIO(stored.content))
    assert kept.size == (1280, 960) and not kept.getexif().get_ifd(GPS_IFD)  # the location is not kept


def test_a_photo_just_under_the_limit_goes_through_and_one_just_over_is_refused_in_chinese(site, resident):
    near = submit_demand(site, resident, "幸福苑3栋电梯坏了两天，老人上下楼很困难", photo(size=PHOTO_MAX_BYTES - 65536))
    assert near.status_code == 302, near.text[-2000:]  # a body 5× MAX_REQUEST_BYTES: files count to MAX_UPLOAD_BYTES
    assert "/done/" in near.headers["Location"]
    text = "幸福苑3栋楼道堆满杂物，消防通道被堵"
    over = submit_demand(site, resident, text, photo(size=PHOTO_MAX_BYTES + 65536))
    assert over.status_code == 200
    assert "第 1 张照片超过 10 MB，请换一张或压缩后再传。" in over.text and "照片需要重新选择一次" in over.text
    assert f">{text}</textarea>" in over.text  # what the resident typed is still there
    mine = resident.get(site.url + "/demands/mine/")
    assert mine.status_code == 200 and text not in mine.text


def post_claiming(site: Site, path: str, headers: dict[str, str], fields: dict, size: int) -> tuple[int, str]:
    """Start a multipart POST whose Content-Length says `size` bytes, send its first 256 KB and read the answer
    (a server that waited for the rest would time out here)."""
    boundary = uuid.uuid4().hex
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in fields.items())
    head += f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n' \
            "Content-Type: image/jpeg\r\n\r\n"
    conn = http.client.HTTPConnection(HOST, site.server.port, timeout=30)
    try:
        conn.putrequest("POST", path)
        for name, value in {"Content-Type": f"multipart/form-data; boundary={boundary}",
                            "Content-Length": str(size), **headers}.items():
            conn.putheader(name, value)
        conn.endheaders()
        # The server may answer and close without reading on: the answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.send(head.encode() + photo(640, 480) + b"\0" * 256 * 1024)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_a_300_mb_upload_is_refused_with_413_before_it_is_read_and_nothing_is_kept(site, resident):
    text = "幸福苑3栋门口的垃圾桶满了三天没人清"
    form = resident.get(site.url + "/demands/new/").text
    cookies = "; ".join(f"{k}={v}" for k, v in resident.cookies.items())
    status, page = post_claiming(site, "/demands/new/", {"Cookie": cookies}, {
        "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"), "token": hidden(form, "token"), "text": text,
        "area": site.ids["building"], "urgency": "normal"}, 300 * 1024 * 1024)
    assert status == 413
    assert "提交的内容过大" in page and "超过了 60 MB 的上限" in page and "没有保存任何内容" in page
    client = api_client(site, "resident")
    status, body = post_claiming(site, "/api/v1/demands/multipart", {"Authorization": client.headers["Authorization"]},
                                 {"text": text, "area_id": site.ids["building"]}, 300 * 1024 * 1024)
    assert (status, json.loads(body)) == (413, {"code": "request_too_large", "message": "请求内容过大：上限为 60 MB。",
                                                "details": {"max_bytes": UPLOAD_LIMIT}})
    mine = resident.get(site.url + "/demands/mine/")  # the server keeps answering
    assert mine.status_code == 200 and text not in mine.text
    assert list((site.var / "spool").iterdir()) == []  # nothing was spooled


def test_an_api_body_over_the_request_limit_gets_413_in_chinese_and_the_server_keeps_answering(site):
    client = api_client(site, "resident")
    for size in (REQUEST_LIMIT + 1024, 20 * REQUEST_LIMIT):
        body = json.dumps({"text": "幸福苑3栋电梯坏了", "area_id": site.ids["building"], "address": "长" * size})
        response = client.post(site.url + "/api/v1/demands", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.json() == {"code": "request_too_large", "message": "请求内容过大：上限为 2 MB。",
                                   "details": {"max_bytes": REQUEST_LIMIT}}
        assert client.get(site.url + "/api/v1/health").json() == {"status": "ok", "database": True}


@pytest.mark.parametrize(("username", "path", "name"), [
    ("resident", "/archive/{dossier}/dossier.pdf", "dossier-{dossier}.pdf"),
    ("community_staff", "/meetings/{meeting}/minutes.pdf", "minutes-{meeting}.pdf"),
])
def test_pdf_downloads_arrive_whole(site, username, path, name):
    response = login(site, username).get(site.url + path.format(**site.ids), stream=True)
    body = response.raw.read(decode_content=False)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name.format(**site.ids)}"'
    assert int(response.headers["Content-Length"]) == len(body) > 10_000
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def test_an_api_retry_with_the_same_idempotency_key_returns_the_same_demand(site):
    client = api_client(site, "resident")
    text = f"幸福苑3栋北侧下水道堵了，污水漫到路面（{uuid.uuid4().hex[:6]}）"
    body = {"text": text, "area_id": site.ids["building"]}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = client.post(site.url + "/api/v1/demands", json=body, headers=key)
    retry = client.post(site.url + "/api/v1/demands", json=body, headers=key)
    assert (first.status_code, retry.status_code) == (201, 201), first.text
    assert (first.json()["id"], first.json()["number"]) == (retry.json()["id"], retry.json()["number"])
    mine = client.get(site.url + "/api/v1/me/demands", params={"page_size": 200}).json()["items"]
    assert [d["id"] for d in mine if d["text"] == text] == [first.json()["id"]]
    changed = client.post(site.url + "/api/v1/demands", json={**body, "text": "小区北门路灯不亮了"}, headers=key)
    assert (changed.status_code, changed.json()["code"]) == (409, "idempotency_key_reused")


def test_sigterm_finishes_the_upload_in_flight_then_stops_with_exit_code_0(site):
    server = start_server(site, "--no-collectstatic")  # its own server: the others keep serving
    workers = server.workers()
    client = api_client(site, "resident")
    text = "幸福苑3栋屋顶漏水，雨天楼道积水（停机时提交）"
    upload = requests.Request("POST", server.url + "/api/v1/demands/multipart", headers={
        "Authorization": client.headers["Authorization"], "Connection": "close"},
        data={"text": text, "area_id": str(site.ids["building"])},
        files={"photos": ("IMG_0002.jpg", photo(size=3 * 1024 * 1024), "image/jpeg")}).prepare()
    head = f"POST /api/v1/demands/multipart HTTP/1.1\r\nHost: {HOST}:{server.port}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in upload.headers.items()) + "\r\n"
    with socket.create_connection((HOST, server.port), timeout=20) as conn:
        conn.sendall(head.encode() + upload.body[:500_000])  # the resident's phone is halfway through
        time.sleep(0.5)
        stopping = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        conn.sendall(upload.body[500_000:])
        reply = b"".join(iter(lambda: conn.recv(65536), b""))
        assert server.proc.wait(20) == 0
    # Before granian's --workers-kill-timeout (20 s): a worker killed mid-upload would not have answered 201. (The
    # photo's processing takes 1-2 s on a quiet machine, 11 s was seen with the other pass and more tests running.)
    assert time.monotonic() - stopping < 20
    status, _, payload = reply.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 201 "), reply[:2000]
    number = json.loads(payload)["number"]
    assert not [pid for pid in workers if _alive(pid)]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((HOST, server.port), timeout=2).close()
    mine = client.get(site.url + "/api/v1/me/demands", params={"page_size": 200}).json()["items"]
    assert [d["number"] for d in mine if d["text"] == text] == [number]  # saved, seen by the server still up


# ---- transport: bodies without a length, clients that go away (issue 16) -----------------------------------

WORLD_ONLY = """
import json
from yishiting.common.testing import build_world
world = build_world()
print("WORLD " + json.dumps({"building": world.areas["B1"].pk}))
"""


@pytest.fixture(scope="module")
def transport(site, request, django_db_blocker) -> Iterator[Site]:
    """The server the transport tests talk to: `site` on a SQLite run (Django answers every POST); on a
    PostgreSQL run a second server on a PostgreSQL database of its own, where the fast intake path (api.fast,
    PostgreSQL only) answers the demands — the path where a lost connection used to answer 500. Its database is
    a copy of the test database, already migrated (CREATE DATABASE … TEMPLATE: a second or two, where migrating
    took two minutes on a busy machine); the copy needs no one connected to the original, so the test's own
    connection is closed first (Django opens it again when the next test needs it)."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        yield site
        return
    request.getfixturevalue("django_db_setup")  # the test database exists (the whole run shares it)
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url, name = os.environ["DATABASE_URL"], f"yst_granian_{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:  # the test database's name, as the test run made it
            cursor.execute("SELECT current_database()")
            template = cursor.fetchone()[0]
        connections.close_all()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    ours = Site(site.var, {**site.env, "DATABASE_URL": urlunsplit(urlsplit(url)._replace(path="/" + name))}, {})
    try:
        ours.ids = json.loads(re.search(r"^WORLD (.+)$", _yishiting(ours.env, "shell", "-c", WORLD_ONLY),
                                        re.M).group(1))
        ours.server = start_server(ours, "--no-collectstatic")
        yield ours
    finally:
        for server in ours.started:
            server.stop()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def raw_post(site: Site, path: str, headers: dict[str, str], chunks: list[bytes], *, read: bool = True) -> bytes:
    """POST over a plain socket with `Transfer-Encoding: chunked`, one chunk at a time as a phone on a slow line
    sends them; the whole reply, or nothing when `read` is False (the client hangs up at once, RST)."""
    head = f"POST {path} HTTP/1.1\r\nHost: {HOST}:{site.server.port}\r\nTransfer-Encoding: chunked\r\n" \
           "Connection: close\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    conn = socket.create_connection((HOST, site.server.port), timeout=30)
    try:
        conn.sendall(head.encode())
        for chunk in chunks:
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            time.sleep(0.05)
        conn.sendall(b"0\r\n\r\n")
        if not read:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return b""
        return b"".join(iter(lambda: conn.recv(65536), b""))
    finally:
        conn.close()


def _body(reply: bytes) -> tuple[int, dict]:
    head, _, payload = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():  # the reply may come in chunks too
        joined, rest = b"", payload
        while True:
            size, _, rest = rest.partition(b"\r\n")
            if int(size, 16) == 0:
                break
            joined, rest = joined + rest[:int(size, 16)], rest[int(size, 16) + 2:]
        payload = joined
    return status, json.loads(payload)


def _mine(client: requests.Session, site: Site, text: str) -> list[dict]:
    items = client.get(site.url + "/api/v1/me/demands", params={"page_size": 200}).json()["items"]
    return [d for d in items if d["text"] == text]


@pytest.mark.django_db  # the run then makes the test database, which `transport` copies on PostgreSQL
def test_a_chunked_demand_over_a_socket_is_stored_and_answered(transport):
    site = transport
    client = api_client(site, "resident")
    text = f"幸福苑3栋地下车库积水，车开不出去（分块发送 {uuid.uuid4().hex[:6]}）"
    body = json.dumps({"text": text, "area_id": site.ids["building"]}, ensure_ascii=False).encode()
    reply = raw_post(site, "/api/v1/demands", {"Authorization": client.headers["Authorization"],
                                               "Content-Type": "application/json",
                                               "Idempotency-Key": uuid.uuid4().hex},
                     [body[:17], body[17:40], body[40:]])
    status, answer = _body(reply)
    assert status == 201, reply[:2000]
    assert answer["text"] == text
    assert [d["id"] for d in _mine(client, site, text)] == [answer["id"]]


@pytest.mark.django_db  # the run then makes the test database, which `transport` copies on PostgreSQL
def test_a_client_that_hangs_up_before_the_reply_finds_its_demand_stored_once_on_retry(transport):
    site = transport
    client = api_client(site, "resident")
    text = f"幸福苑3栋门禁坏了，外人随意进出（断线 {uuid.uuid4().hex[:6]}）"
    body = json.dumps({"text": text, "area_id": site.ids["building"]}, ensure_ascii=False).encode()
    key = uuid.uuid4().hex
    headers = {"Authorization": client.headers["Authorization"], "Content-Type": "application/json",
               "Idempotency-Key": key}
    raw_post(site, "/api/v1/demands", headers, [body], read=False)
    deadline = time.monotonic() + 20
    while not (stored := _mine(client, site, text)) and time.monotonic() < deadline:
        time.sleep(0.1)  # the server goes on with the request the client left
    assert len(stored) == 1, "the demand sent before hanging up was not stored"
    retry = client.post(site.url + "/api/v1/demands", data=body, headers={"Idempotency-Key": key,
                                                                           "Content-Type": "application/json"})
    assert retry.status_code == 201, retry.text
    assert (retry.json()["id"], retry.json()["number"]) == (stored[0]["id"], stored[0]["number"])
    assert len(_mine(client, site, text)) == 1
