"""The one settings module. Everything that differs between machines comes from the environment.

A bad value stops start-up with a message naming the variable and the reason (ImproperlyConfigured).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YISHITING_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：应为 true/false、1/0、yes/no 或 on/off。")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：应为整数。") from None
    if value < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：不能小于 {minimum}。")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# A transaction-mode connection pooler between the app and PostgreSQL (docs/deploy.md, 连接池 pgbouncer): each
# transaction of a client may run on another server connection, shared with other clients, so nothing the app does
# may outlive a transaction there — no prepared statements (pgbouncer 1.18, Debian 12's), no WITH HOLD cursors
# (.iterator() outside a transaction), no session settings or startup `options`. `none`: straight to PostgreSQL
# (or a session-mode pooler, which needs nothing).
DB_POOLERS = ("none", "pgbouncer")


def db_pooler() -> str:
    raw = os.environ.get("DB_POOLER", "")
    value = raw.strip().lower() or "none"
    if value not in DB_POOLERS:
        raise ImproperlyConfigured(
            f"环境变量 DB_POOLER={raw!r} 无效：可选 none（直连 PostgreSQL）或 pgbouncer（事务模式的 pgbouncer 连接池）。"
        )
    return value


def _behind_transaction_pooler(config: dict) -> None:
    """What Django and psycopg need when each transaction may get another server connection."""
    options = config.setdefault("OPTIONS", {})
    if "options" in options or os.environ.get("DB_PARALLEL_WORKERS", "").strip():
        raise ImproperlyConfigured(
            "环境变量 DB_POOLER=pgbouncer 时不能用 DB_PARALLEL_WORKERS 或 DATABASE_URL 的 options=：pgbouncer 不接受"
            "启动参数 options。请在数据库上设置，如 ALTER DATABASE yishiting SET max_parallel_workers_per_gather = 0"
            "（docs/deploy.md）。"
        )
    # psycopg prepares no statement by itself (Django's default too: said here, since a pooler depends on it)
    options["prepare_threshold"] = None
    # .iterator() reads in chunks from a plain cursor: a server-side cursor declared outside a transaction (WITH
    # HOLD) stays on one server connection, and the next chunk's FETCH may go to another.
    config["DISABLE_SERVER_SIDE_CURSORS"] = True


def database_from_env(name: str = "DATABASE_URL") -> dict:
    url = os.environ.get(name, "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'yishiting.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"环境变量 {name} 无效：{exc}") from None
    engine, pooler = config.get("ENGINE", ""), db_pooler()
    if pooler != "none" and not engine.endswith("postgresql"):
        raise ImproperlyConfigured(f"环境变量 DB_POOLER={pooler} 只用于 PostgreSQL：{name} 不是 postgresql://。")
    if engine.endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers work while one writer commits; IMMEDIATE avoids "database is locked" upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    elif not engine.endswith("postgresql"):
        raise ImproperlyConfigured(
            f"环境变量 {name} 无效：只支持 sqlite:// 和 postgresql://，收到 {url.split(':', 1)[0]}://。"
        )
    elif pooler != "none":
        # Each thread keeps its connection to the pooler (CONN_MAX_AGE, as without it): one held between
        # requests costs pgbouncer a socket, not a server connection.
        _behind_transaction_pooler(config)
    else:
        # Pages read bounded rows (keyset pages, counts capped at 1,000): a parallel plan's worker start-up costs
        # more than such a query, 30-100 ms on a busy 2-core machine against 2-25 ms serial (docs/deploy.md).
        # DB_PARALLEL_WORKERS (default 0) or options= in DATABASE_URL sets it otherwise.
        options = config.setdefault("OPTIONS", {})
        if "options" not in options:
            options["options"] = f"-c max_parallel_workers_per_gather={env_int('DB_PARALLEL_WORKERS', 0)}"
    config.setdefault("TEST", {})
    return config


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("YISHITING_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-not-for-production-0123456789"
    else:
        raise ImproperlyConfigured("环境变量 SECRET_KEY 未设置：DEBUG 关闭时必须提供一个随机长字符串。")
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("环境变量 SECRET_KEY 太短：至少 32 个字符。")

# The event log's HMAC key (common.events, docs/integrity.md): kept outside the database, so that writing the
# database alone cannot rewrite history. Optional (development, the tests): without it the chains are plain
# SHA-256 and `yishiting verify` says so; `make run` generates one in var/event.key.
EVENT_HMAC_KEY = os.environ.get("EVENT_HMAC_KEY", "")
# Where `yishiting anchor` writes the monthly anchors (the 三率 report prints the month's fingerprint). Copy them
# off the server too: an anchor only stops someone who cannot reach where it is kept (docs/integrity.md).
ANCHOR_DIR = Path(os.environ.get("YISHITING_ANCHOR_DIR", VAR_DIR / "anchors"))
if EVENT_HMAC_KEY and len(EVENT_HMAC_KEY) < 32:
    raise ImproperlyConfigured("环境变量 EVENT_HMAC_KEY 太短：至少 32 个字符（一个随机长字符串）。")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if (DEBUG or TESTING) else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("环境变量 ALLOWED_HOSTS 未设置：DEBUG 关闭时必须列出本服务的主机名，用逗号分隔。")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form sent from a page that went stale (a re-login in another tab): the site's own page, in Chinese, and the
# demand forms' content kept (web.guard).
CSRF_FAILURE_VIEW = "yishiting.web.views.csrf.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",  # background work (docs/adr/0004-task-queue.md); the backend is TASKS_BACKEND below
    "django_tasks_db",
    "yishiting.common",
    "yishiting.areas",
    "yishiting.accounts",
    "yishiting.notifications",
    "yishiting.demands",
    "yishiting.deliberation",
    "yishiting.handling",
    "yishiting.mediation",
    "yishiting.legal",
    "yishiting.ledgers",
    "yishiting.canteens",
    "yishiting.participation",
    "yishiting.wishes",
    "yishiting.appointments",
    "yishiting.volunteers",
    "yishiting.liaison",
    "yishiting.cadres",
    "yishiting.bodies",
    "yishiting.alliances",
    "yishiting.whistles",
    "yishiting.oversight",
    "yishiting.grid",  # 网格工作: 包联、走访巡查、亮身份 (issue 20)
    "yishiting.trusts",  # 信托制物业与业委会公共收益公开 (issue 21)
    "yishiting.demo",
    "yishiting.api",
    "yishiting.web",
]

MIDDLEWARE = [
    "yishiting.common.middleware.RouteNameMiddleware",  # the metrics' route label (docs/deploy.md)
    "django.middleware.security.SecurityMiddleware",
    "yishiting.common.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yishiting.common.sessions.session_renewal",  # renews the idle timeout, at most once a minute
    "yishiting.common.language.ChosenLanguageMiddleware",  # Chinese unless picked
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yishiting.common.middleware.TextEdgeMiddleware",  # docs/text-input.md
    "django.contrib.messages.middleware.MessageMiddleware",
    "yishiting.common.middleware.UploadLimitMiddleware",
    "yishiting.common.middleware.ArchivedRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yishiting.web.context.navigation",
                "yishiting.web.context.display",
            ],
        },
    },
]

DB_POOLER = db_pooler()
DATABASES = {"default": database_from_env()}


def replica_from_env() -> dict | None:
    """DATABASE_REPLICA_URL (optional): a PostgreSQL streaming replica of the primary for the heavy reads
    (yishiting.common.dbrouter, docs/replicas.md). The tests never create it (TEST MIRROR): they read the primary."""
    if not os.environ.get("DATABASE_REPLICA_URL", "").strip():
        return None
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("环境变量 DATABASE_REPLICA_URL 无效：只读副本只用于 PostgreSQL，"
                                   "而 DATABASE_URL 不是 postgresql://。")
    config = database_from_env("DATABASE_REPLICA_URL")
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("环境变量 DATABASE_REPLICA_URL 无效：只读副本必须是 postgresql:// 地址。")
    # a replica that does not answer costs a page at most this long before the primary serves it (dbrouter)
    config["OPTIONS"].setdefault("connect_timeout", env_int("REPLICA_CONNECT_TIMEOUT", 2, minimum=1))
    config["TEST"] = {"MIRROR": "default"}
    return config


# Read replica (docs/replicas.md): the heavy reads (overview, rankings, ratings, exports, public figures) go to
# it; a person who has just written reads the primary for REPLICA_STICKY_SECONDS; a replica that cannot be
# reached, or lags more than REPLICA_MAX_LAG_SECONDS (0: not checked), is left for REPLICA_RETRY_SECONDS.
REPLICA = replica_from_env()
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10, minimum=1)
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 60)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 10, minimum=1)
DATABASE_ROUTERS: list[str] = []
if REPLICA is not None:
    DATABASES["replica"] = REPLICA
    DATABASE_ROUTERS = ["yishiting.common.dbrouter.ReplicaRouter"]
    # outside the sessions: a login or a logout is a write too
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "yishiting.common.dbrouter.ReadYourWritesMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yishiting.accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:  # argon2 at its cheapest: a real hash and check, without 100 MiB per login (yishiting/accounts/hashers.py)
    PASSWORD_HASHERS.insert(0, "yishiting.accounts.hashers.TestArgon2PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "yishiting.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login lockout: LOGIN_MAX_FAILURES failed attempts lock the account for LOGIN_LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# Participation (issue 19): a dispatched service order nobody accepted within this many hours goes back to the
# community (`yishiting tick`); each community's menu may set its own in the admin.
PARTICIPATION_ACCEPT_HOURS = env_int("PARTICIPATION_ACCEPT_HOURS", 24, minimum=1)

# Idle session timeout: requests renew the session (at most once a minute: yishiting.common.sessions);
# SESSION_IDLE_MINUTES without one logs out.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ENGINE = "yishiting.common.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
# Strict-Transport-Security on every response served over HTTPS (directly, or behind a TLS proxy with
# BEHIND_TLS_PROXY=true). Django's SecurityMiddleware never sends it over plain HTTP, so the local demo is unaffected.
# HSTS_SECONDS=0 turns it off (e.g. while trying HTTPS on a new host name for the first time).
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False  # intranet host names are never on a browser's preload list

# Requests: anything larger is refused with a 413 and a clear error rather than read (common.uploads).
# MAX_REQUEST_BYTES: a JSON or form body, and the text fields of a form with files.
# MAX_UPLOAD_BYTES: a whole multipart body (photos and files); each photo ≤ 10 MB, each other file ≤ 20 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 2 * 1024 * 1024, minimum=1024)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 60 * 1024 * 1024, minimum=1024 * 1024)
# A whole request up to FILE_UPLOAD_MAX_MEMORY_SIZE is kept in memory; a larger one spooled to disk with the limits.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "yishiting.common.uploads.LimitedUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# The lean hot paths in front of Django (yishiting.api.fast, config/wsgi.py; PostgreSQL only): off to compare.
# They run prepared statements (common.prepared), which a transaction-mode pooler cannot keep: off behind one.
FAST_PATHS = env_bool("FAST_PATHS", DB_POOLER == "none")
if FAST_PATHS and DB_POOLER != "none":
    raise ImproperlyConfigured(
        f"环境变量 FAST_PATHS=true 不能与 DB_POOLER={DB_POOLER} 同用：事务模式的连接池不保留预编译语句（pgbouncer 1.18），"
        "快速路径依赖它们。去掉 FAST_PATHS 或设为 false。"
    )

# Audit entries (logins, unmasked reads) are kept at least 180 days; purge-audit deletes older ones.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
# `yishiting tick` writes last month's 月报 (three PDFs in the test world, most of a tick's time). Always in
# production; the test runs tick for deadlines and reminders hundreds of times, so there the reports' own tests
# (yishiting/oversight/tests/test_reports.py) switch it on. Not an environment setting: production cannot lose it.
TICK_MONTHLY_REPORTS = not TESTING

# Background work (docs/adr/0004-task-queue.md): one setting picks the queue. `db` (the default) keeps the jobs in
# this database (SQLite or PostgreSQL, no other server); `rq` puts them in Redis for workers on several machines;
# `immediate` runs each job in the process that enqueued it, right after its transaction commits. Every job is
# first written to the outbox (common.Job) in the transaction that causes it (yishiting/common/jobs.py).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
_TASK_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"环境变量 TASKS_BACKEND={TASKS_BACKEND!r} 无效：可选 db、rq、immediate。")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# A job pushed this long ago and still not done is pushed again (its worker died, or its run failed); a job stops
# being retried after JOBS_MAX_ATTEMPTS runs (it stays in the admin's 后台任务 list with its error).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 600, minimum=1)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 5, minimum=1)
# `yishiting serve` starts one worker-and-scheduler process beside the web server when the queue is the database
# (the embedded setup of `make run`); set JOBS_EMBEDDED=false where `yishiting worker` and `yishiting scheduler`
# run as their own services (docs/deploy.md).
JOBS_EMBEDDED = env_bool("JOBS_EMBEDDED", TASKS_BACKEND == "db")

# Text messages (SMS / WeChat templates) go through an adapter; the console backend prints them.
MESSAGING_BACKEND = os.environ.get("MESSAGING_BACKEND", "console")
if MESSAGING_BACKEND not in {"console", "email", "memory", "aliyun", "tencent"}:
    raise ImproperlyConfigured(
        f"环境变量 MESSAGING_BACKEND={MESSAGING_BACKEND!r} 无效：可选 console、email、memory、aliyun、tencent。"
    )
MESSAGING_EMAIL_TO = os.environ.get("MESSAGING_EMAIL_TO", "")
# Real providers (docs/messaging.md): credentials from the environment only; the endpoints are settings so the
# tests point them at fake servers on loopback. WeChat is a second channel, off unless MESSAGING_WECHAT_BACKEND.
MESSAGING_WECHAT_BACKEND = os.environ.get("MESSAGING_WECHAT_BACKEND", "")  # "", console, memory, wechat
MESSAGING_ALIYUN = {
    "endpoint": os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "access_key_id": os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", ""),
    "region": os.environ.get("ALIYUN_SMS_REGION", "cn-hangzhou"),
    "sign_name": os.environ.get("ALIYUN_SMS_SIGN_NAME", "议事厅"),
    "templates": {kind: os.environ.get(f"ALIYUN_SMS_TEMPLATE_{kind.upper()}", "") for kind in ("notice", "code", "digest")},
}
MESSAGING_TENCENT = {
    "endpoint": os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/"),
    "secret_id": os.environ.get("TENCENT_SMS_SECRET_ID", ""),
    "secret_key": os.environ.get("TENCENT_SMS_SECRET_KEY", ""),
    "region": os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou"),
    "sdk_app_id": os.environ.get("TENCENT_SMS_SDK_APP_ID", ""),
    "sign_name": os.environ.get("TENCENT_SMS_SIGN_NAME", "议事厅"),
    "templates": {kind: os.environ.get(f"TENCENT_SMS_TEMPLATE_{kind.upper()}", "") for kind in ("notice", "code", "digest")},
    "param_order": {"notice": ["content"], "code": ["code"], "digest": ["count"]},
}
MESSAGING_WECHAT = {
    "api_base": os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com"),
    "app_id": os.environ.get("WECHAT_APP_ID", ""),
    "app_secret": os.environ.get("WECHAT_APP_SECRET", ""),
    "mode": os.environ.get("WECHAT_MESSAGE_MODE", "template"),  # template, or subscribe (bizsend)
    "template_id": os.environ.get("WECHAT_TEMPLATE_ID", ""),
    "content_field": os.environ.get("WECHAT_TEMPLATE_CONTENT_FIELD", "thing1"),
    "time_field": os.environ.get("WECHAT_TEMPLATE_TIME_FIELD", "time2"),
    "site_url": os.environ.get("SITE_URL", ""),
    # the official account's server configuration (服务器配置): the Token its callback is signed with, and the
    # account's name as the binding instructions show it (docs/messaging.md, "Linking a WeChat account")
    "token": os.environ.get("WECHAT_CALLBACK_TOKEN", ""),
    "account_name": os.environ.get("WECHAT_ACCOUNT_NAME", "议事厅"),
    # 安全模式 / 兼容模式: the account's EncodingAESKey (43 characters; docs/messaging.md, "Safe mode")
    "encoding_aes_key": os.environ.get("WECHAT_ENCODING_AES_KEY", ""),
}
if MESSAGING_WECHAT["encoding_aes_key"]:
    from yishiting.notifications.wechat_crypto import aes_key as _wechat_aes_key

    try:
        _wechat_aes_key(MESSAGING_WECHAT["encoding_aes_key"])
    except ValueError:
        raise ImproperlyConfigured("环境变量 WECHAT_ENCODING_AES_KEY 无效：应为公众号后台“服务器配置”里的 43 位"
                                   "消息加解密密钥（EncodingAESKey）。") from None
# Receipts the SMS providers push (docs/messaging.md, "Receipts pushed"): the secret part of the address given
# to the provider's console, /sms/receipts/<aliyun|tencent>/<token>; unset, the addresses answer 404.
MESSAGING_RECEIPT_PUSH_TOKEN = os.environ.get("MESSAGING_RECEIPT_PUSH_TOKEN", "")
if MESSAGING_RECEIPT_PUSH_TOKEN and len(MESSAGING_RECEIPT_PUSH_TOKEN) < 24:
    raise ImproperlyConfigured("环境变量 MESSAGING_RECEIPT_PUSH_TOKEN 太短：至少 24 个字符（一个随机长字符串，"
                               "它是回执推送地址里唯一的凭据）。")
# Delivery receipts (docs/messaging.md): pulled each minute for the messages of the last 72 hours, each asked at
# most every 5 minutes (Alibaba's QuerySendDetails is one call a message), at most 200 a run.
MESSAGING_RECEIPT_WINDOW_HOURS = env_int("MESSAGING_RECEIPT_WINDOW_HOURS", 72, minimum=1)
MESSAGING_RECEIPT_POLL_SECONDS = env_int("MESSAGING_RECEIPT_POLL_SECONDS", 300, minimum=0)
MESSAGING_RECEIPT_BATCH = env_int("MESSAGING_RECEIPT_BATCH", 200, minimum=1)
WECHAT_BIND_CODE_MINUTES = env_int("WECHAT_BIND_CODE_MINUTES", 10, minimum=1)
MESSAGING_HTTP_TIMEOUT = env_int("MESSAGING_HTTP_TIMEOUT", 5, minimum=1)
MESSAGING_MAX_ATTEMPTS = env_int("MESSAGING_MAX_ATTEMPTS", 6, minimum=1)
MESSAGING_RETRY_BASE_SECONDS = env_int("MESSAGING_RETRY_BASE_SECONDS", 30, minimum=1)
MESSAGING_RETRY_MAX_SECONDS = env_int("MESSAGING_RETRY_MAX_SECONDS", 3600, minimum=1)
MESSAGING_DAILY_CAP = env_int("MESSAGING_DAILY_CAP", 20, minimum=1)  # a person's messages a day; urgent ones exempt
MESSAGING_RATE_PER_SECOND = env_int("MESSAGING_RATE_PER_SECOND", 50, minimum=0)  # one processor's sends (0: no pacing)
# Quiet hours and the staff's daily digest by default (a person's own settings win). Off in the test run, where
# the other apps' tests expect each text at once whatever the hour; the messaging tests switch them on.
MESSAGING_QUIET_HOURS = "" if TESTING else os.environ.get("MESSAGING_QUIET_HOURS", "22:00-07:00")
MESSAGING_STAFF_DIGEST = not TESTING and env_bool("MESSAGING_STAFF_DIGEST", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 300, minimum=60)
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60, minimum=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yishiting" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; `serve` fills it with collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Source maps (django-ninja's Swagger UI ships 5 MB of them) are for developer tools only: compressing them again
# took most of the ~9 s every `serve` spends in collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ("map", "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz",
                                       "br", "woff", "woff2", "mp4", "webm")
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

# Logs (docs/deploy.md): every record carries the request id of the request (or job) that wrote it.
# LOG_FORMAT=text (the default: development) or json (one object per line, for production's log collector).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"环境变量 LOG_FORMAT={LOG_FORMAT!r} 无效：可选 text、json。")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "yishiting.common.logs.RequestIdFilter"}},
    "formatters": {"text": {"()": "yishiting.common.logs.TextFormatter"},
                   "json": {"()": "yishiting.common.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# /metrics (yishiting.common.metrics, docs/deploy.md): answered to these networks (comma-separated CIDRs; `none`
# for no network) or to `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets a 404. METRICS_DIR holds the
# web processes' figures (prometheus_client's multiprocess mode); `yishiting serve` empties it at start.
METRICS_ALLOWED_NETS = env_list("METRICS_ALLOWED_NETS", ["127.0.0.1/32", "::1/128"])
for _net in METRICS_ALLOWED_NETS:
    try:
        if _net.lower() != "none":
            ipaddress.ip_network(_net, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 METRICS_ALLOWED_NETS 中的 {_net!r} 无效：应为网段，如 10.0.0.0/8。") from None
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_DIR = Path(os.environ.get("METRICS_DIR", VAR_DIR / "metrics"))
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("环境变量 METRICS_TOKEN 太短：至少 16 个字符（一个随机长字符串）。")
